import { Construct } from "constructs";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import type { Environment } from "../config/environment";
import { MimirIngress } from "./ingress";
import { commonLabels } from "./naming";
import { MimirNetworkPolicies } from "./network-policies";
import { MimirServices } from "./services";
import { recordContractUse } from "../contract/contract-hook";

/**
 * One environment's Kubernetes objects, derived from the port contract:
 * namespace, Services (external ownership only: with helm ownership the chart
 * creates them and we target its names), the TLS Ingress and NetworkPolicies.
 */
export class MimirKubernetes extends Construct {
  /** The namespace name, as a token when we create it (so dependents wait for it). */
  readonly namespace: string;
  readonly services?: MimirServices;
  readonly ingress?: MimirIngress;
  readonly networkPolicies?: MimirNetworkPolicies;

  constructor(scope: Construct, id: string, props: { readonly environment: Environment }) {
    super(scope, id);
    const env = props.environment;
    recordContractUse(this, env);
    this.namespace = env.createNamespace
      ? new NamespaceV1(this, "namespace", { metadata: { name: env.namespace, labels: commonLabels(env) } }).metadata.name
      : env.namespace;
    const scoped = { environment: env, namespace: this.namespace };
    if (env.serviceOwnership === "external") this.services = new MimirServices(this, "services", scoped);
    if (env.ingress) this.ingress = new MimirIngress(this, "ingress", scoped);
    if (env.networkPolicy.enabled) this.networkPolicies = new MimirNetworkPolicies(this, "network-policies", scoped);
  }
}
