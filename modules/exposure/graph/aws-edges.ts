/**
 * AWS into the graph: security group rules (every shape) from CIDRs and
 * prefix lists, load balancers and their listeners (any port and protocol),
 * default actions and listener rules (forward, weighted forward, redirect),
 * target groups and what registers in them.
 */
import { isAnywhere } from "../../contract/cidr";
import type { TfResource } from "../terraform-json";
import { sgRulesOf, type SgRule } from "../readers/aws";
import { first, list, num, refOf, strings } from "../readers/json";
import { coverInternet } from "./cidr-cover";
import { internetSegments, outside, type CidrRuleRange } from "./cidr-cover-ports";
import { albTransforms } from "./rewrites";
import { ruleConditions } from "./rule-conditions";
import type { Graph, PathCond, Proto } from "./graph";
import type { MimirScope } from "./mimir-scope";
import { isToken } from "./mimir-scope";

export const SG_TYPES = ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"];
export const short = (text: string) => text.replace(/_[0-9A-F]{8}\b/g, "");

const TLS_PROTOCOLS = new Set(["HTTPS", "TLS"]);

export interface AwsIndex {
  readonly byType: (type: string) => readonly TfResource[];
  readonly byAddress: Map<string, TfResource>;
  readonly sgRules: readonly SgRule[];
  /** A reference or a literal id/ARN (plans) → the address of the resource it names, when in the stack. */
  readonly ref: (v: unknown) => string;
}

export interface TgTargets {
  /** Target group address → how to continue from it (filled by the Kubernetes reader for bindings). */
  readonly bound: Set<string>;
}

function protoOf(v: unknown): Proto {
  const p = String(v ?? "").toLowerCase();
  if (p === "-1" || p === "all") return "all";
  if (p === "udp" || p === "17") return "udp";
  return "tcp";
}

/** Security groups whose members are Mimir's pods. */
export function mimirGroups(ix: AwsIndex, scope: MimirScope, declared: readonly string[], sgPolicyGroups: readonly string[]): Set<string> {
  const groups = new Set<string>([...declared.map((x) => ix.ref(x)), ...sgPolicyGroups.map((x) => ix.ref(x))]);
  // A group that admits grpc or memberlist from itself is a Mimir members group.
  const members = new Set([scope.ports[1].port, scope.ports[2].port]);
  for (const r of ix.sgRules) if (r.direction === "ingress" && r.peer.kind === "self" && r.fromPort === r.toPort && members.has(r.fromPort)) groups.add(r.group);
  // Nodes' groups reach pods that have no group of their own (VPC CNI): EKS cluster and launch template groups.
  for (const c of ix.byType("aws_eks_cluster")) for (const v of list(c.values.vpc_config)) for (const g of strings(v.security_group_ids)) groups.add(ix.ref(g));
  for (const t of ix.byType("aws_launch_template")) {
    for (const g of strings(t.values.vpc_security_group_ids)) groups.add(ix.ref(g));
    for (const n of list(t.values.network_interfaces)) for (const g of strings(n.security_groups)) groups.add(ix.ref(g));
  }
  for (const r of ix.sgRules) if (r.group.includes("cluster_security_group_id")) groups.add(r.group);
  // Every group on an instance (a node) that carries a Mimir group reaches Mimir's pods too (security groups are a union).
  for (const inst of ix.byType("aws_instance")) {
    const own = [...strings(inst.values.vpc_security_group_ids), ...strings(inst.values.security_groups)].map((x) => ix.ref(x));
    if (own.some((x) => groups.has(x))) for (const x of own) groups.add(x);
  }
  return groups;
}

export function addAws(g: Graph, ix: AwsIndex, scope: MimirScope, mimirSgs: Set<string>): void {
  const lbs = [...ix.byType("aws_lb"), ...ix.byType("aws_alb")];
  const lbByGroup = new Map<string, string[]>();
  for (const lb of lbs) {
    for (const sg of strings(lb.values.security_groups)) {
      const list = lbByGroup.get(ix.ref(sg));
      if (list) list.push(lb.address);
      else lbByGroup.set(ix.ref(sg), [lb.address]);
    }
  }

  // Security group rules from untrusted sources (CIDRs, prefix lists); a group's CIDRs that together cover the internet are the internet.
  // Per port (./cidr-cover-ports.ts): the union of the whole group is only the quick test.
  const cidrsByGroup = new Map<string, CidrRuleRange[]>();
  for (const r of ix.sgRules) {
    if (r.direction !== "ingress" || r.peer.kind !== "cidr") continue;
    const range: CidrRuleRange = { proto: protoOf(r.protocol), fromPort: r.fromPort, toPort: r.toPort, cidr: r.peer.cidr };
    const list = cidrsByGroup.get(r.group);
    if (list) list.push(range);
    else cidrsByGroup.set(r.group, [range]);
  }
  const covered = new Map<string, boolean>();
  const groupCoversInternet = (group: string) => {
    let c = covered.get(group);
    if (c === undefined) covered.set(group, (c = coverInternet((cidrsByGroup.get(group) ?? []).map((x) => x.cidr))));
    return c;
  };
  for (const r of ix.sgRules) {
    if (r.direction !== "ingress") continue;
    const inMimir = mimirSgs.has(r.group);
    const lbsOfGroup = lbByGroup.get(r.group) ?? [];
    if (!inMimir && lbsOfGroup.length === 0) {
      // A group this stack does not define (a literal id, a variable): its members are not visible, so they may be Mimir's pods.
      const external = !ix.byAddress.has(r.group);
      const untrusted = r.peer.kind === "cidr" || r.peer.kind === "prefix-list";
      const hit = scope.ports.filter((p) => r.protocol !== "udp" && r.fromPort <= p.port && p.port <= r.toPort);
      if (external && untrusted && hit.length > 0) {
        g.unknown({ resource: r.resource, reason: `security group ${short(r.group)} is not in this stack, so whether its members are Mimir's pods is not known; the rule opens ${hit.map((p) => `${p.contractName} ${p.port}`).join(", ")}`, path: [describePeer(r), `${short(r.resource.address)} ${r.protocol} ${r.fromPort}-${r.toPort}`, `sg ${short(r.group)} members (not in this stack)`] });
      }
      continue;
    }
    const portUnknown = [r.resource.values.from_port, r.resource.values.to_port].some(isToken);
    if (r.peer.kind === "cidr" && isToken(r.peer.cidr)) {
      const opened = scope.ports.filter((p) => r.protocol !== "udp" && r.fromPort <= p.port && p.port <= r.toPort).map((p) => `${p.contractName} ${p.port} (${p.k8sName})`);
      g.unknown({ resource: r.resource, reason: `source CIDR ${r.peer.cidr} is not known until apply; the rule opens ${opened.length > 0 ? opened.join(", ") : `${r.protocol} ${r.fromPort}-${r.toPort}`} on ${inMimir ? "Mimir's members group" : "a load balancer in front of Mimir"}`, path: [r.peer.cidr, `${r.resource.address} (${short(r.group)})`] });
    }
    if (portUnknown && inMimir) g.unknown({ resource: r.resource, reason: "port is not known until apply", path: [describePeer(r), `${r.resource.address} (${short(r.group)})`, "Mimir members"] });
    let sourceId: string;
    // The rule's range in parts, each from its own source node (a CIDR is the internet only on the ports where the group's CIDRs add up).
    let pieces: Array<{ id: string; accept: [number, number] }> | undefined;
    if (r.peer.kind === "cidr") {
      const cidr = r.peer.cidr;
      const whole = isAnywhere(cidr);
      const segments = !whole && groupCoversInternet(r.group) ? internetSegments({ proto: protoOf(r.protocol), fromPort: r.fromPort, toPort: r.toPort, cidr }, cidrsByGroup.get(r.group) ?? []) : [];
      sourceId = `cidr:${cidr}`;
      const plain = outside(r.fromPort, r.toPort, segments);
      if (plain.length > 0) g.node({ id: sourceId, kind: "source", untrusted: true, internet: whole, label: cidr });
      if (segments.length > 0) {
        pieces = plain.map((accept) => ({ id: sourceId, accept }));
        for (const seg of segments) {
          const id = `cidr-union:${r.group}:${seg.fromPort}-${seg.toPort}:${cidr}`;
          const ports = seg.fromPort === seg.toPort ? `${seg.fromPort}` : `${seg.fromPort}-${seg.toPort}`;
          g.node({ id, kind: "source", untrusted: true, internet: true, label: `${cidr} (with ${seg.cidrs.filter((c) => c !== cidr).join(" + ")} on port ${ports}: the whole internet)` });
          pieces.push({ id, accept: [seg.fromPort, seg.toPort] });
        }
      }
    } else if (r.peer.kind === "prefix-list") {
      const entries = prefixListCidrs(ix, r.peer.id);
      const whole = entries !== undefined && coverInternet(entries);
      sourceId = `prefix:${r.peer.id}`;
      g.node({ id: sourceId, kind: "source", untrusted: true, internet: whole, label: whole ? `0.0.0.0/0 (prefix list ${short(ix.ref(r.peer.id))}: ${entries!.join(" + ")}, the whole internet)` : `prefix list ${short(r.peer.id)}` });
    } else if (r.peer.kind === "security-group" && inMimir) {
      // A referenced group that is neither a Mimir members group nor a load balancer's: its members are not Mimir's,
      // so it may reach http (monitoring) but never grpc, memberlist or a neighbour's port.
      const peer = r.peer.ref;
      if (mimirSgs.has(peer) || lbByGroup.has(peer)) continue;
      const members = scope.ports.filter((p) => p.contractName !== "http" && r.fromPort <= p.port && p.port <= r.toPort && (r.protocol !== "udp" || p.contractName === "memberlist"));
      if (members.length === 0) continue;
      sourceId = `sg-peer:${peer}`;
      g.node({ id: sourceId, kind: "source", untrusted: true, label: `sg ${short(peer)} (not a Mimir member)` });
      const groupNode = g.node({ id: `sg:${r.group}`, kind: "hop", label: `sg ${short(r.group)} members` });
      for (const p of members) g.edge({ from: sourceId, to: groupNode.id, accept: [p.port, p.port], proto: protoOf(r.protocol), label: `${r.resource.address}${r.inline ? " (inline)" : ""} ${r.protocol} ${p.port}`, resource: r.resource, entry: "security-group" });
      continue;
    } else continue;
    const groupNode = g.node({ id: `sg:${r.group}`, kind: "hop", label: `sg ${short(r.group)} members` });
    const how = r.protocol === "all" ? "all protocols" : `${r.protocol} ${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`}`;
    for (const piece of pieces ?? [{ id: sourceId, accept: [r.fromPort, r.toPort] as [number, number] }]) {
      g.edge({ from: piece.id, to: groupNode.id, accept: piece.accept, proto: protoOf(r.protocol), label: `${r.resource.address}${r.inline ? " (inline)" : ""} ${how}`, resource: r.resource, entry: inMimir ? "security-group" : undefined });
    }
  }
  for (const group of mimirSgs) g.edge({ from: `sg:${group}`, to: scope.podsNode("*").id, label: `sg ${short(group)} members`, proto: "tcp" });
  for (const [group, addrs] of lbByGroup) for (const a of addrs) g.edge({ from: `sg:${group}`, to: `lb:${a}`, label: "" });

  for (const lb of lbs) {
    const internal = lb.values.internal === true;
    g.node({ id: `lb:${lb.address}`, kind: "hop", label: short(lb.address) });
    const groups = strings(lb.values.security_groups);
    if (groups.length === 0) {
      // No security group (an NLB without one): whoever routes to it reaches every listener.
      const id = internal ? "vpc" : "internet";
      g.node({ id, kind: "source", untrusted: true, internet: !internal, label: internal ? "the VPC (load balancer without a security group)" : "0.0.0.0/0" });
      g.edge({ from: id, to: `lb:${lb.address}`, label: "" });
    }
    for (const sg of groups) {
      if (ix.byAddress.has(ix.ref(sg))) continue;
      // A group not in this stack: its rules are not visible, so its sources are unknown.
      const id = `external-sg:${sg}`;
      g.node({ id, kind: "source", untrusted: true, label: `sources of ${short(ix.ref(sg))} (not in this stack)` });
      g.edge({ from: id, to: `lb:${lb.address}`, label: "" });
    }
  }

  const listeners = [...ix.byType("aws_lb_listener"), ...ix.byType("aws_alb_listener")];
  for (const l of listeners) {
    const lbRef = l.values.load_balancer_arn === undefined ? "(unknown)" : ix.ref(l.values.load_balancer_arn);
    let lbId = `lb:${lbRef}`;
    if (!g.nodes.has(lbId)) {
      lbId = `external-lb:${lbRef}`;
      g.node({ id: lbId, kind: "source", untrusted: true, label: `load balancer ${short(lbRef)} (not in this stack)` });
    }
    const port = num(l.values.port);
    const protocol = String(l.values.protocol ?? (port === undefined ? "?" : "HTTP")).toUpperCase();
    const tls = TLS_PROTOCOLS.has(protocol);
    const node = g.node({ id: `listener:${l.address}`, kind: "hop", label: short(l.address) });
    if (port === undefined && l.values.port !== undefined) g.unknown({ resource: l, reason: `listener port ${l.values.port} is not known until apply`, path: [short(lbRef), short(l.address)] });
    g.edge({ from: lbId, to: node.id, accept: port === undefined ? undefined : [port, port], proto: protocol === "UDP" ? "udp" : "tcp", tls, label: `${short(lbRef)}:${port ?? "?"} (${protocol}${tls ? "" : ", no TLS"})`, resource: l, entry: "listener" });
    addActions(g, ix, node.id, list(l.values.default_action), undefined, l);
  }
  for (const rule of [...ix.byType("aws_lb_listener_rule"), ...ix.byType("aws_alb_listener_rule")]) {
    const listenerId = `listener:${ix.ref(rule.values.listener_arn)}`;
    if (!g.nodes.has(listenerId)) continue;
    const read = ruleConditions(rule);
    const moved = read.unknown === undefined ? albTransforms(read.paths, rule.values.transform) : { unknown: read.unknown };
    if (moved.unknown !== undefined) {
      g.unknown({ resource: rule, reason: `listener rule ${short(rule.address)}: ${moved.unknown}, so the path that reaches its targets is not known`, path: [short(ix.ref(rule.values.listener_arn)), short(rule.address)] });
      continue;
    }
    addActions(g, ix, listenerId, list(rule.values.action), moved.paths, rule, [...read.others, ...(moved.label ? [moved.label] : [])]);
  }

  // Registrations by attachment: a load balancer (ALB behind NLB), an instance, an IP.
  for (const a of [...ix.byType("aws_lb_target_group_attachment"), ...ix.byType("aws_alb_target_group_attachment")]) {
    const tgRef = ix.ref(a.values.target_group_arn);
    const tg = ix.byAddress.get(tgRef);
    const target = ix.ref(a.values.target_id);
    const port = num(a.values.port) ?? num(tg?.values.port);
    const tgId = `tg:${tgRef}`;
    g.node({ id: tgId, kind: "hop", label: `tg ${short(tgRef)}` });
    if (target.startsWith("aws_lb.") || target.startsWith("aws_alb.")) {
      g.edge({ from: tgId, to: `lb:${target}`, out: port, label: `${short(a.address)} → ${short(target)}`, resource: a });
    } else if (target.startsWith("aws_instance.")) {
      // An instance is Mimir's when it carries a Mimir members group (Mimir on EC2, or a node with hostNetwork pods).
      const inst = ix.byAddress.get(target);
      const groups = [...strings(inst?.values.vpc_security_group_ids), ...strings(inst?.values.security_groups)].map((x) => ix.ref(x));
      if (groups.some((x) => mimirSgs.has(x))) g.edge({ from: tgId, to: scope.podsNode("*").id, out: port, label: `${short(a.address)} → ${short(target)} (Mimir members group)`, resource: a });
    } else if (!/^aws_instance\.|^aws_lambda/.test(target) && !target.startsWith("arn:aws:lambda") && port !== undefined && scope.isContractPort(port)) {
      g.unknown({ resource: a, reason: `target ${target} on Mimir's port ${port} is not known to be or not be a Mimir pod`, path: [`tg ${short(tgRef)} ${port}`, `${short(a.address)} → ${target}`] });
    }
  }
}

function addActions(g: Graph, ix: AwsIndex, from: string, actions: Array<Record<string, any>>, paths: PathCond[] | undefined, r: TfResource, others: readonly string[] = []): void {
  const where = paths ? ` [${paths.map((p) => p.value).join(", ")}${others.length > 0 ? `; ${others.join("; ")}` : ""}]` : "";
  const head = !paths && others.length > 0 ? `(every path; ${others.join("; ")}) ` : "";
  for (const a of actions) {
    const type = String(a.type ?? "");
    if (type === "forward") {
      const tgs = [...strings(a.target_group_arn), ...list(first(a.forward)?.target_group).flatMap((t) => strings(t.arn))];
      for (const arn of tgs) {
        const ref = ix.ref(arn);
        const tgId = `tg:${ref}`;
        g.node({ id: tgId, kind: "hop", label: `tg ${short(ref)}` });
        g.edge({ from, to: tgId, paths, label: `${r.type === "aws_lb_listener" || r.type === "aws_alb_listener" ? "" : `${head}${short(r.address)}${where} → `}tg ${short(ref)}`.trim(), resource: r });
      }
    }
    // redirect: the client reconnects to a listener of its own (itself an entry); fixed-response goes nowhere.
  }
}

/** The CIDRs of a managed prefix list in this stack (its inline entries and its entry resources); undefined when not visible. */
function prefixListCidrs(ix: AwsIndex, id: string): string[] | undefined {
  const address = ix.ref(id);
  const pl = ix.byAddress.get(address);
  if (!pl || pl.type !== "aws_ec2_managed_prefix_list") return undefined;
  const cidrs = list(pl.values.entry).flatMap((e) => strings(e.cidr));
  for (const e of ix.byType("aws_ec2_managed_prefix_list_entry")) if (ix.ref(e.values.prefix_list_id) === address) cidrs.push(...strings(e.values.cidr));
  return cidrs;
}

function describePeer(r: SgRule): string {
  return r.peer.kind === "cidr" ? r.peer.cidr : r.peer.kind === "prefix-list" ? r.peer.id : r.peer.kind === "security-group" ? r.peer.ref : "self";
}

export { sgRulesOf };
