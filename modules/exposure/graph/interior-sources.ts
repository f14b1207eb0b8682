/**
 * Untrusted sources inside the cluster (issue 20): nodes and every pod that
 * uses the nodes' security groups, pods in other namespaces, pods in Mimir's
 * namespace that are not Mimir's, whole namespaces a NetworkPolicy admits
 * (the monitoring namespace beyond its named pods), and pods a policy names
 * (trusted on http only, like a referenced monitoring group).
 *
 * A source reaches a Mimir port when both layers admit it: the security
 * groups on Mimir's pods (a SecurityGroupPolicy's groups; without one, the
 * nodes' groups, shared with every pod) and the NetworkPolicies that select
 * Mimir's pods (none: every pod). Traffic from a node is not subject to
 * NetworkPolicies. Edges: source → (security-group hop) → Mimir's pods, one
 * pair per source and port, so the walk stays linear.
 */
import type { TfResource } from "../terraform-json";
import type { SgRule } from "../readers/aws";
import { list, strings } from "../readers/json";
import { short, type AwsIndex } from "./aws-edges";
import type { EntryKind, Graph } from "./graph";
import type { K8sObjects, KSecurityGroupPolicy, Labels } from "./k8s-objects";
import type { MimirScope } from "./mimir-scope";
import { peerText, podClassesOf, restrictsIngress, rulePorts, type PodClass } from "./pod-peers";
import { addAdmittedGroupCarriers, addMembership, memberGroupsOf } from "./membership";

/** Why a security-group layer admits a source on a port. */
export interface SgAdmit {
  readonly label: string;
  readonly resource?: TfResource;
  /** The node group admitted on the http port only (the kubelet-probe rule). */
  readonly probe: boolean;
}

/** References that name the cluster or node groups (variables, EKS attributes, data sources). */
const NODE_GROUP_REF = /cluster_security_group|nodes?_security_group|node_group_security_group|worker_security_group/;

/** Security groups that nodes (and pods without a group of their own) carry: the EKS cluster group, node groups, launch templates. */
export function nodeGroupsOf(ix: AwsIndex, members: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown) => {
    const r = ix.ref(v);
    if (r && !members.has(r)) out.add(r);
  };
  for (const r of ix.sgRules) for (const x of [r.group, r.peer.kind === "security-group" ? r.peer.ref : ""]) if (NODE_GROUP_REF.test(x)) out.add(x);
  for (const c of ix.byType("aws_eks_cluster")) {
    for (const v of list(c.values.vpc_config)) {
      for (const g of strings(v.security_group_ids)) add(g);
      if (typeof v.cluster_security_group_id === "string") add(v.cluster_security_group_id);
    }
  }
  for (const t of ix.byType("aws_launch_template")) {
    for (const g of strings(t.values.vpc_security_group_ids)) add(g);
    for (const n of list(t.values.network_interfaces)) for (const g of strings(n.security_groups)) add(g);
  }
  return out;
}

/**
 * A nodes' group by its role, as the README names the variables:
 * `var.cluster_security_group_id (the group the data-plane pods carry, from their nodes)`,
 * `var.node_security_group_id (the nodes' group)`.
 */
export function nodeGroupName(ref: string): string {
  const name = short(ref);
  if (/cluster_security_group/.test(ref)) return `${name} (the group the data-plane pods carry, from their nodes)`;
  return `${name} (the nodes' group)`;
}

export const isNodeGroup = (nodeGroups: ReadonlySet<string>, ref: string) => nodeGroups.has(ref) || NODE_GROUP_REF.test(ref);

/** What shows the stack runs Mimir's pods (a chart release, a Mimir workload, a Service or SecurityGroupPolicy that selects them); undefined: none. */
export function deploysMimir(k8s: K8sObjects, scope: MimirScope, charts: readonly TfResource[]): TfResource | undefined {
  const selectsMimir = (sel: Record<string, string> | undefined, ns: string | undefined) => sel !== undefined && Object.keys(sel).length > 0 && scope.selects(ns, sel) !== undefined;
  return charts[0] ?? k8s.workloads.find((w) => scope.isMimirWorkload(w))?.resource ?? k8s.services.find((s) => selectsMimir(s.selector, s.namespace))?.resource ?? k8s.sgPolicies.find((p) => selectsMimir(p.podSelector, p.namespace))?.resource;
}

const covers = (r: SgRule, port: number) => (r.protocol === "tcp" || r.protocol === "all") && r.fromPort <= port && port <= r.toPort;

export interface InteriorContext {
  readonly g: Graph;
  readonly ix: AwsIndex;
  readonly scope: MimirScope;
  readonly k8s: K8sObjects;
  /** Groups declared as Mimir's members groups (contract output). */
  readonly declared: readonly string[];
  /** What deploys Mimir's pods (a chart release, a workload, a Service): the finding's resource when no other is on the path. */
  readonly deployer: TfResource;
  /** A namespace as written (maybe a `${kubernetes_namespace...}` reference) → its name. */
  readonly resolveNs: (ns: string | undefined) => string | undefined;
  /** The Gateways (`ns/name`) the entry uses, when provable (the EnvoyProxy that names the entry's data-plane Service). */
  readonly entryGateways?: ReadonlySet<string>;
  /** Labels any Envoy proxy may carry (./data-plane.ts `envoyProxyLabels`): a peer made only of these admits every Gateway's proxies. */
  readonly envoyLabels?: Labels;
}

const OWNING_NAME = "gateway.envoyproxy.io/owning-gateway-name";
const OWNING_NS = "gateway.envoyproxy.io/owning-gateway-namespace";

/**
 * Pods a peer names as Envoy proxies that are not provably the entry's: its owning-gateway labels name a Gateway the
 * entry does not use, or it has none and selects only by labels any Envoy proxy may carry (every Gateway's proxies).
 */
function otherGatewayProxies(cls: PodClass, podSelector: Labels | undefined, cx: Pick<InteriorContext, "entryGateways" | "envoyLabels" | "resolveNs">): PodClass {
  const { entryGateways, envoyLabels, resolveNs } = cx;
  const name = podSelector?.[OWNING_NAME];
  if (cls.kind !== "named" || podSelector === undefined) return cls;
  const using = entryGateways !== undefined && entryGateways.size > 0 ? ` (the entry uses Gateway ${[...entryGateways].join(", ")})` : "";
  if (name === undefined) {
    const entries = Object.entries(podSelector);
    if (envoyLabels === undefined || entries.length === 0 || !entries.every(([k, v]) => envoyLabels[k] === v)) return cls;
    return { ...cls, label: `${cls.label}: Envoy proxies named without the owning-gateway labels, so every Gateway's proxies there${using}`, untrusted: true };
  }
  if (entryGateways === undefined || entryGateways.size === 0) return cls;
  const ns = podSelector?.[OWNING_NS];
  const gw = `${ns === undefined ? "?" : resolveNs(ns) ?? ns}/${name}`;
  if (entryGateways.has(gw)) return cls;
  return { ...cls, label: `${cls.label}: the proxies of Gateway ${gw}, not of the Gateway the entry uses (${[...entryGateways].join(", ")})`, untrusted: true };
}

/** The graph id of the source for a class of pods (a PodClass key, or other-namespace / own-namespace). */
export const podsSourceId = (key: string) => `interior:pods:${key}`;

export function addInteriorSources(cx: InteriorContext): void {
  const { g, ix, scope, k8s } = cx;
  const mimirSgps = k8s.sgPolicies.filter((p) => p.podSelector !== undefined && scope.selects(p.namespace, p.podSelector) !== undefined);
  const podGroups = new Map<string, KSecurityGroupPolicy>();
  for (const p of mimirSgps) for (const x of p.groups) if (!podGroups.has(ix.ref(x))) podGroups.set(ix.ref(x), p);
  const members = memberGroupsOf(ix, cx.declared, [...podGroups.keys()]);
  const nodeGroups = nodeGroupsOf(ix, members);
  const pods = scope.podsNode("*");
  // A group on Mimir's pods whose rules are not in the stack: whom it admits is not visible (never assumed safe).
  for (const [ref, sgp] of podGroups) {
    if (ix.byAddress.has(ref) || isNodeGroup(nodeGroups, ref)) continue;
    g.unknown({ resource: sgp.resource, reason: `security group ${short(ref)} is on Mimir's pods (SecurityGroupPolicy ${sgp.name}) but is not in this stack, so the sources it admits to grpc, memberlist and http are not visible`, path: [`sg ${short(ref)} (not in this stack)`, `SecurityGroupPolicy ${sgp.name}`, `pods ${pods.label}`] });
  }
  // Mimir's http ports: the contract's and, mid-move, the transition's other number (probes and named pods use both).
  const httpPorts = new Set(scope.ports.filter((p) => p.contractName === "http").map((p) => p.port));
  const ports = pods.mimir!.ports.map((p) => p.port);

  // Security-group layer: nodes and pods without a group of their own carry the nodes' groups.
  const sgNodes = new Map<number, SgAdmit>();
  const attachedNodeGroup = [...podGroups.entries()].find(([ref]) => isNodeGroup(nodeGroups, ref));
  const nodeRules = ix.sgRules.filter((r) => r.direction === "ingress" && podGroups.has(r.group) && r.peer.kind === "security-group" && isNodeGroup(nodeGroups, r.peer.ref));
  for (const port of ports) {
    if (podGroups.size === 0) {
      sgNodes.set(port, { label: "no SecurityGroupPolicy gives Mimir's pods a group of their own: they use the nodes' groups, shared with every node and every pod without its own group", probe: false });
    } else if (attachedNodeGroup) {
      const [ref, sgp] = attachedNodeGroup;
      sgNodes.set(port, { label: `sg ${short(ref)} (the cluster/node group) on Mimir's pods through SecurityGroupPolicy ${sgp.name} (${sgp.resource.address}): it admits all traffic from itself`, resource: sgp.resource, probe: false });
    } else {
      const r = nodeRules.find((x) => covers(x, port));
      if (r) sgNodes.set(port, { label: `${r.resource.address}${r.inline ? " (inline)" : ""} ${r.protocol} ${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`} from sg ${nodeGroupName(r.peer.kind === "security-group" ? r.peer.ref : "")}`, resource: r.resource, probe: httpPorts.has(port) && r.fromPort === port && r.toPort === port });
    }
  }

  // NetworkPolicy layer: which pod classes the policies that select Mimir's pods admit, per port.
  const selecting = k8s.policies.filter((p) => restrictsIngress(p) && scope.selects(p.namespace, p.podSelector) !== undefined);
  const coversAll = selecting.some((p) => !p.selectorExpressions && scope.selects(p.namespace, p.podSelector) === "*");
  const admitted = new Map<string, { cls: PodClass; ports: Map<number, { label: string; resource: TfResource }> }>();
  const admit = (cls: PodClass, port: number, label: string, resource: TfResource) => {
    const key = cls.kind === "namespace" || cls.kind === "named" ? cls.key : cls.kind;
    let a = admitted.get(key);
    if (!a) admitted.set(key, (a = { cls, ports: new Map() }));
    if (!a.ports.has(port)) a.ports.set(port, { label, resource });
  };
  for (const p of selecting) {
    const name = `NetworkPolicy ${cx.resolveNs(p.namespace) ?? p.namespace ?? "default"}/${p.name}`;
    p.ingress.forEach((rule, i) => {
      const open = rulePorts(rule, ports, (n) => scope.portByName(n));
      if (open.length === 0) return;
      const peers = rule.from.length === 0 ? [undefined] : rule.from;
      for (const f of peers) {
        const classes: PodClass[] = f === undefined ? [{ kind: "other-namespace" }, { kind: "own-namespace" }] : podClassesOf(f, p.namespace, scope).map((cls) => otherGatewayProxies(cls, f.podSelector, cx));
        const label = `${name} ingress[${i}] (${f === undefined ? "no from: every source" : peerText(f)}) (${p.resource.address})`;
        for (const cls of classes) for (const port of open) admit(cls, port, label, p.resource);
      }
    });
  }
  if (!coversAll) {
    for (const cls of [{ kind: "other-namespace" }, { kind: "own-namespace" }] as PodClass[]) {
      for (const port of ports) admit(cls, port, selecting.length === 0 ? "no NetworkPolicy restricts Mimir's pods" : "no NetworkPolicy selects all of Mimir's pods", undefined as unknown as TfResource);
    }
  }

  const connect = (sourceId: string, sourceLabel: string, port: number, sg: SgAdmit, np: { label: string; resource?: TfResource } | undefined, kind: EntryKind) => {
    g.node({ id: sourceId, kind: "source", untrusted: true, label: sourceLabel });
    const hop = g.node({ id: `${sourceId}|${port}`, kind: "hop", label: `Mimir's pods on ${port}` });
    const resource = np?.resource ?? sg.resource ?? mimirSgps[0]?.resource ?? cx.deployer;
    g.edge({ from: sourceId, to: hop.id, accept: [port, port], proto: "tcp", label: sg.label, resource, entry: kind, tls: false });
    g.edge({ from: hop.id, to: pods.id, out: port, label: np?.label ?? "NetworkPolicies do not apply to traffic from the node", resource });
  };

  for (const port of ports) {
    const sg = sgNodes.get(port);
    if (!sg) continue;
    connect("interior:nodes", "a node of the cluster (kubelet, hostNetwork pods)", port, sg, undefined, sg.probe ? "interior-probe" : "interior");
  }
  const nsName = scope.namespace ?? "Mimir's namespace";
  for (const { cls, ports: by } of admitted.values()) {
    const label = cls.kind === "other-namespace" ? "a pod in another namespace (any labels)" : cls.kind === "own-namespace" ? `a pod in namespace ${nsName} that is not Mimir's` : cls.label;
    for (const [port, np] of by) {
      if (cls.kind === "named" && !cls.untrusted && httpPorts.has(port)) continue; // named pods (monitoring, the entry's proxies) on http
      const sg = sgNodes.get(port);
      if (!sg) continue;
      connect(podsSourceId(cls.kind === "namespace" || cls.kind === "named" ? cls.key : cls.kind), label, port, { ...sg, probe: false }, np.resource ? np : { label: np.label }, "interior");
    }
  }

  addMembership(g, ix, scope, k8s, members, pods.id);
  addAdmittedGroupCarriers(g, ix, new Set([...podGroups.keys(), ...members]), (ref) => isNodeGroup(nodeGroups, ref), pods.id);
}
