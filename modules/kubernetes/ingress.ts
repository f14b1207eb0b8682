import { Construct } from "constructs";
import { ingressV1Class, type IngressV1 } from "../platform/kubernetes";
import type { Environment } from "../config/environment";
import { commonLabels } from "./naming";
import { operatorBackendRoutes, publicBackendRoutes, type BackendRoute } from "./routes";
import { recordContractUse } from "../contract/contract-hook";

/**
 * The legacy in-cluster entry (entry kind `ingress`; ingress-nginx was retired
 * in March 2026, prefer Gateway API): a TLS Ingress whose paths are exactly the
 * public API table (Exact for exact routes, Prefix, element-wise, for the
 * rest), each to its component's Service on the contract's http port (or,
 * monolithic, to the one Mimir Service; or, with `useGateway`, to the chart's
 * gateway). With `entry.operatorAccess`, a separate `<fullname>-operator`
 * Ingress carries the operator paths (the load balancer limits them to the
 * operators' CIDRs).
 */
export class MimirIngress extends Construct {
  readonly ingress: IngressV1;
  readonly operatorIngress?: IngressV1;

  constructor(scope: Construct, id: string, props: { readonly environment: Environment; readonly namespace: string }) {
    super(scope, id);
    const env = props.environment;
    recordContractUse(this, env);
    const settings = env.ingress!;
    const IngressV1 = ingressV1Class();
    const make = (cid: string, name: string, routes: BackendRoute[]) =>
      new IngressV1(this, cid, {
        metadata: { name, namespace: props.namespace, labels: commonLabels(env) },
        spec: {
          ingressClassName: settings.className,
          tls: [{ hosts: settings.hosts, secretName: settings.tlsSecretName }],
          rule: settings.hosts.map((host) => ({
            host,
            http: { path: routes.map((r) => ({ path: r.path, pathType: r.match === "exact" ? "Exact" : "Prefix", backend: { service: { name: r.service, port: { number: r.port } } } })) },
          })),
        },
      });
    this.ingress = make("ingress", env.fullname, publicBackendRoutes(env));
    const operator = operatorBackendRoutes(env);
    if (operator.length > 0) this.operatorIngress = make("operator-ingress", `${env.fullname}-operator`, operator);
  }
}
