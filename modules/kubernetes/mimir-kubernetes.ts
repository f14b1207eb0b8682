import { Construct } from "constructs";
import { NamespaceV1 } from "../platform/kubernetes";
import type { Environment } from "../config/environment";
import { MimirGatewayApi } from "./gateway-api/mimir-gateway-api";
import { MimirDataPlaneProtection } from "./data-plane/mimir-data-plane";
import { MimirIngress } from "./ingress";
import { MimirMonolithic } from "./monolithic/workload";
import { commonLabels } from "./naming";
import { MimirNetworkPolicies } from "./network-policies";
import { MimirServices } from "./services";
import { recordContractUse } from "../contract/contract-hook";

/**
 * One environment's Kubernetes objects, derived from the port contract:
 * namespace, Services (external ownership only: with helm ownership the chart
 * creates them and we target its names), the monolithic workload, the TLS
 * Ingress and NetworkPolicies.
 */
export class MimirKubernetes extends Construct {
  /** The namespace name, as a token when we create it (so dependents wait for it). */
  readonly namespace: string;
  readonly services?: MimirServices;
  readonly ingress?: MimirIngress;
  /** Entry kind gateway-api: the HTTPRoutes (and the Gateway when the stack creates it). */
  readonly gatewayApi?: MimirGatewayApi;
  readonly networkPolicies?: MimirNetworkPolicies;
  /** Monolithic mode: the -target=all workload, unless `monolithic.create` is false. */
  readonly monolithic?: MimirMonolithic;
  /** Entry kind gateway-api: what keeps the data plane to the load balancer (EnvoyProxy, NetworkPolicy, SecurityPolicies; basic auth with auth.mode basic). */
  readonly dataPlane?: MimirDataPlaneProtection;

  constructor(scope: Construct, id: string, props: { readonly environment: Environment }) {
    super(scope, id);
    const env = props.environment;
    recordContractUse(this, env);
    this.namespace = env.createNamespace
      ? new NamespaceV1(this, "namespace", { metadata: { name: env.namespace, labels: commonLabels(env) } }).metadata.name
      : env.namespace;
    const scoped = { environment: env, namespace: this.namespace };
    if (env.serviceOwnership === "external") this.services = new MimirServices(this, "services", scoped);
    if (env.deploymentMode === "monolithic" && (env.monolithic?.create ?? true)) this.monolithic = new MimirMonolithic(this, "monolithic", scoped);
    if (env.ingress && env.entry.kind !== "gateway-api") this.ingress = new MimirIngress(this, "ingress", scoped);
    if (env.entry.kind === "gateway-api") this.gatewayApi = new MimirGatewayApi(this, "gateway-api", scoped);
    if (env.entry.kind === "gateway-api") this.dataPlane = new MimirDataPlaneProtection(this, "data-plane", scoped);
    if (env.networkPolicy.enabled) this.networkPolicies = new MimirNetworkPolicies(this, "network-policies", scoped);
  }
}
