/**
 * One model of who can reach which port, built from Terraform JSON. It reads
 * any resource of the known types, whoever created it: our constructs, raw
 * provider resources, escape-hatch overrides, or a plan of someone else's code.
 * The readers per provider live in ./readers.
 */
import { isAnywhere } from "../contract/cidr";
import { listenerOf, loadBalancerOf, sgRulesOf, targetGroupOf, type Listener, type LoadBalancer, type SgRule, type Source, type TargetGroup } from "./readers/aws";
import { helmReleaseOf, type HelmRelease } from "./readers/helm";
import { ingressOf, networkPolicyOf, serviceOf, type Ingress, type NetworkPolicy, type Service } from "./readers/kubernetes";
import { admittedPorts, type ContractInfo, type StackDocument, type TfResource } from "./terraform-json";
import { buildGraph, type ExposureGraph } from "./graph/build";

export type { Listener, LoadBalancer, SgRule, Source, TargetGroup } from "./readers/aws";
export type { HelmRelease } from "./readers/helm";
export type { Ingress, IngressRoute, NetworkPolicy, PolicyPeer, Service, ServicePort } from "./readers/kubernetes";
export { refOf } from "./readers/json";
export type { ExposureGraph } from "./graph/build";
export type { Hit, Unknown, GEdge, GNode, PathCond } from "./graph/graph";

export interface ExposureModel {
  readonly stack: string;
  readonly file: string;
  readonly format: StackDocument["format"];
  readonly contract: ContractInfo;
  readonly resources: readonly TfResource[];
  /** Plans only: what the plan will do, per resource. */
  readonly plannedChanges?: StackDocument["plannedChanges"];
  /** Synthesized stacks only: providers, backend, data sources, outputs, ... (everything but resources). */
  readonly settings?: StackDocument["settings"];
  readonly securityGroups: ReadonlyArray<{ readonly resource: TfResource; readonly ref: string; readonly label: string }>;
  readonly sgRules: readonly SgRule[];
  readonly loadBalancers: readonly LoadBalancer[];
  readonly listeners: readonly Listener[];
  readonly targetGroups: readonly TargetGroup[];
  readonly services: readonly Service[];
  readonly ingresses: readonly Ingress[];
  readonly networkPolicies: readonly NetworkPolicy[];
  readonly helmReleases: readonly HelmRelease[];
  /** The reachability graph every rule, `check` and the review read. */
  readonly graph: ExposureGraph;
}

export function buildModel(doc: StackDocument): ExposureModel {
  const of = (...types: string[]) => doc.resources.filter((r) => types.includes(r.type));
  const sgRules = of("aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule").flatMap(sgRulesOf);
  const graph = buildGraph(doc, sgRules);
  return {
    stack: doc.stack,
    file: doc.file,
    format: doc.format,
    contract: doc.contract,
    resources: doc.resources,
    ...(doc.plannedChanges ? { plannedChanges: doc.plannedChanges } : {}),
    ...(doc.settings ? { settings: doc.settings } : {}),
    securityGroups: of("aws_security_group").map((r) => ({ resource: r, ref: r.address, label: String(r.values.name ?? r.values.name_prefix ?? r.name) })),
    sgRules,
    loadBalancers: of("aws_lb", "aws_alb").map(loadBalancerOf),
    listeners: of("aws_lb_listener", "aws_alb_listener").map(listenerOf),
    targetGroups: of("aws_lb_target_group", "aws_alb_target_group").map(targetGroupOf),
    services: of("kubernetes_service_v1", "kubernetes_service").map(serviceOf),
    ingresses: of("kubernetes_ingress_v1", "kubernetes_ingress").map(ingressOf),
    networkPolicies: of("kubernetes_network_policy_v1", "kubernetes_network_policy").map(networkPolicyOf),
    // Mimir chart values are resolved once, by the graph (values, set, set_list, set_sensitive); other charts read here.
    helmReleases: of("helm_release").map((r) => {
      const resolved = graph.mimirCharts.find((c) => c.resource === r);
      return resolved ? { resource: r, name: String(r.values.name ?? r.name), chart: String(r.values.chart ?? ""), namespace: r.values.namespace, values: resolved.values } : helmReleaseOf(r, doc.format);
    }),
    graph,
  };
}

/** Every members-only port as [name, port] pairs: http, grpc, memberlist, then the chart's neighbours. */
export function internalPorts(model: ExposureModel): Array<[string, number]> {
  const { http, grpc, memberlist } = model.contract.ports;
  // A port in transition is Mimir's on both numbers (old and new pods listen side by side mid-rollout).
  const moving = (["http", "grpc", "memberlist"] as const).flatMap((name) => admittedPorts(model.contract, name).filter((p) => p !== model.contract.ports[name]).map((p): [string, number] => [name, p]));
  return [["http", http], ["grpc", grpc], ["memberlist", memberlist], ...Object.entries(model.contract.neighbours), ...moving];
}

export function covers(rule: { fromPort: number; toPort: number }, port: number): boolean {
  return rule.fromPort <= port && port <= rule.toPort;
}

export function describeSource(s: Source): string {
  switch (s.kind) {
    case "cidr":
      return isAnywhere(s.cidr) ? `${s.cidr} (anywhere)` : s.cidr;
    case "prefix-list":
      return `prefix list ${s.id}`;
    case "security-group":
      return `group ${s.ref}`;
    case "self":
      return "itself";
  }
}
