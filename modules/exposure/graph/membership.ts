/**
 * Membership is a privilege (issue 20, item 4): whoever carries Mimir's
 * members group is a ring peer at the network level (grpc, memberlist, http).
 * A SecurityGroupPolicy (any name) that gives the group to pods that are not
 * Mimir's, or to every pod (empty selector), and a launch template that puts
 * it on nodes (and so on every pod without a group of its own), and a network
 * interface that carries it (an instance's, a Lambda's), are sources.
 */
import type { SgRule } from "../readers/aws";
import { short, type AwsIndex } from "./aws-edges";
import type { Graph } from "./graph";
import type { K8sObjects, Labels } from "./k8s-objects";
import type { MimirScope } from "./mimir-scope";
import { ATTACHMENTS, placedGroups } from "./attachments";

const labelText = (l: Labels) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(",");

/** Mimir's members groups: the contract's, and the groups of SecurityGroupPolicies on Mimir's pods that admit grpc or memberlist from themselves. */
export function memberGroupsOf(ix: AwsIndex, declared: readonly string[], podGroups: readonly string[]): Set<string> {
  const out = new Set(declared.map((x) => ix.ref(x)));
  const selfRule = (g: string) => ix.sgRules.some((r) => r.direction === "ingress" && r.group === g && (r.peer.kind === "self" || (r.peer.kind === "security-group" && r.peer.ref === g)));
  for (const g of podGroups) if (selfRule(g)) out.add(g);
  return out;
}

/** The rules by which a members group admits its own members, per port. */
export function memberRules(ix: AwsIndex, members: ReadonlySet<string>): SgRule[] {
  return ix.sgRules.filter((r) => r.direction === "ingress" && members.has(r.group) && (r.protocol === "tcp" || r.protocol === "all") && (r.peer.kind === "self" || (r.peer.kind === "security-group" && members.has(r.peer.ref))));
}

export function addMembership(g: Graph, ix: AwsIndex, scope: MimirScope, k8s: K8sObjects, members: ReadonlySet<string>, podsId: string): void {
  if (members.size === 0) return;
  const rules = memberRules(ix, members);
  const ports = (g.nodes.get(podsId)?.mimir?.ports ?? []).map((p) => p.port);
  const add = (id: string, label: string, via: string, resource: Parameters<Graph["edge"]>[0]["resource"]) => {
    let any = false;
    for (const port of ports) {
      const r = rules.find((x) => x.fromPort <= port && port <= x.toPort);
      if (!r) continue;
      if (!any) g.node({ id, kind: "source", untrusted: true, label });
      any = true;
      const hop = g.node({ id: `${id}|${port}`, kind: "hop", label: `members group on ${port}` });
      g.edge({ from: id, to: hop.id, accept: [port, port], proto: "tcp", label: via, resource, entry: "interior", tls: false });
      g.edge({ from: hop.id, to: podsId, out: port, label: `${r.resource.address}${r.inline ? " (inline)" : ""} admits the members group on ${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`}`, resource });
    }
  };
  for (const p of k8s.sgPolicies) {
    const mine = p.groups.map((x) => ix.ref(x)).filter((x) => members.has(x));
    if (mine.length === 0) continue;
    const every = p.podSelector === undefined || Object.keys(p.podSelector).length === 0;
    const notMimir = !every && (!scope.namespaceMatches(p.namespace) || scope.selects(p.namespace, p.podSelector!) === undefined);
    if (!every && !notMimir) continue;
    const ns = p.namespace ?? "default";
    const who = every ? `every pod in namespace ${ns}` : `pods ${labelText(p.podSelector!)} in namespace ${ns}`;
    add(`interior:member:${p.resource.address}`, `${who} (SecurityGroupPolicy ${p.name})`, `SecurityGroupPolicy ${ns}/${p.name} (${p.resource.address}) gives them sg ${mine.map(short).join(", ")}, Mimir's members group`, p.resource);
  }
  // Every other attachment AWS offers: instances, launch templates, ENIs, Lambda, ECS, ... (./attachments.ts).
  for (const [type, a] of Object.entries(ATTACHMENTS)) {
    for (const t of ix.byType(type)) {
      const groups = a.groups(t).map((x) => ix.ref(x)).filter((x) => members.has(x));
      if (groups.length === 0) continue;
      add(`interior:member:${t.address}`, a.who(t), `${t.address} puts sg ${groups.map(short).join(", ")}, Mimir's members group, on it`, t);
    }
  }
  // A resource type the model does not know that places the members group: what it puts there is not visible.
  for (const t of ix.byAddress.values()) {
    if (ATTACHMENTS[t.type] !== undefined) continue;
    const groups = placedGroups(t).map((x) => ix.ref(x)).filter((x) => members.has(x));
    if (groups.length === 0) continue;
    g.unknown({ resource: t, reason: `${t.type} ${t.address} places sg ${groups.map(short).join(", ")}, Mimir's members group, on something the model does not know: whatever carries it is a ring peer (grpc, memberlist, http)`, path: [t.address, `sg ${groups.map(short).join(", ")} (members)`, `pods ${g.nodes.get(podsId)?.label ?? "Mimir"}`] });
  }
}

/**
 * The groups Mimir's pods admit on their ports from another group (the load balancer's, a monitoring group):
 * whatever else carries such a group reaches those ports as that group does (issue 30, item 2). The load balancer
 * itself (aws_lb) carries its own; nodes are the interior sources' business.
 */
export function addAdmittedGroupCarriers(g: Graph, ix: AwsIndex, podGroups: ReadonlySet<string>, excluded: (ref: string) => boolean, podsId: string): void {
  const ports = (g.nodes.get(podsId)?.mimir?.ports ?? []).map((p) => p.port);
  const admitting = ix.sgRules.filter((r) => r.direction === "ingress" && podGroups.has(r.group) && r.peer.kind === "security-group" && !podGroups.has(r.peer.ref) && !excluded(r.peer.ref) && (r.protocol === "tcp" || r.protocol === "all"));
  if (admitting.length === 0) return;
  for (const [type, a] of Object.entries(ATTACHMENTS)) {
    if (type === "aws_launch_template" || type === "aws_launch_configuration") continue;
    for (const t of ix.byType(type)) {
      const carried = new Set(a.groups(t).map((x) => ix.ref(x)));
      for (const r of admitting) {
        const peer = r.peer.kind === "security-group" ? r.peer.ref : "";
        if (!carried.has(peer)) continue;
        const id = `interior:carrier:${t.address}`;
        for (const port of ports) {
          if (port < r.fromPort || port > r.toPort) continue;
          g.node({ id, kind: "source", untrusted: true, label: `${a.who(t)} (carries sg ${short(peer)})` });
          const hop = g.node({ id: `${id}|${port}`, kind: "hop", label: `sg ${short(peer)} on ${port}` });
          g.edge({ from: id, to: hop.id, accept: [port, port], proto: "tcp", label: `${t.address} carries sg ${short(peer)}, which Mimir's pods admit`, resource: t, entry: "interior", tls: false });
          g.edge({ from: hop.id, to: podsId, out: port, label: `${r.resource.address}${r.inline ? " (inline)" : ""} admits sg ${short(peer)} on ${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`}`, resource: t });
        }
      }
    }
  }
}
