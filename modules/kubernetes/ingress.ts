import { Construct } from "constructs";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import type { Environment } from "../config/environment";
import { commonLabels, monolithicServiceName, serviceName } from "./naming";
import { GATEWAY_ROUTES } from "./routes";
import { recordContractUse } from "../contract/contract-hook";

/**
 * The in-cluster entry: a TLS Ingress whose paths follow the Mimir gateway's
 * route table to each component's Service on the contract's http port (or,
 * monolithic, to the one Mimir Service; or `/` to the chart's gateway).
 */
export class MimirIngress extends Construct {
  readonly ingress: IngressV1;

  constructor(scope: Construct, id: string, props: { readonly environment: Environment; readonly namespace: string }) {
    super(scope, id);
    const env = props.environment;
    recordContractUse(this, env);
    const settings = env.ingress!;
    const port = { number: env.contract.http.port };
    const backend = (name: string) => ({ service: { name, port } });

    let paths: Array<{ path: string; pathType: string; backend: ReturnType<typeof backend> }>;
    if (settings.useGateway) {
      paths = [{ path: "/", pathType: "Prefix", backend: backend(serviceName(env.fullname, "gateway")) }];
    } else if (env.deploymentMode === "monolithic") {
      paths = GATEWAY_ROUTES.map((r) => ({ path: r.path, pathType: r.exact ? "Exact" : "Prefix", backend: backend(monolithicServiceName(env.fullname)) }));
    } else {
      paths = GATEWAY_ROUTES.filter((r) => env.components.includes(r.component)).map((r) => ({
        path: r.path,
        pathType: r.exact ? "Exact" : "Prefix",
        backend: backend(serviceName(env.fullname, r.component)),
      }));
    }

    this.ingress = new IngressV1(this, "ingress", {
      metadata: { name: env.fullname, namespace: props.namespace, labels: commonLabels(env) },
      spec: {
        ingressClassName: settings.className,
        tls: [{ hosts: settings.hosts, secretName: settings.tlsSecretName }],
        rule: settings.hosts.map((host) => ({ host, http: { path: paths } })),
      },
    });
  }
}
