/** Security groups and their rules (per-rule, legacy and inline), load balancers, listeners and target groups. */
import type { TfResource } from "../terraform-json";
import { first, list, num, refOf, strings } from "./json";

export type Source =
  | { readonly kind: "cidr"; readonly cidr: string }
  | { readonly kind: "prefix-list"; readonly id: string }
  | { readonly kind: "security-group"; readonly ref: string }
  | { readonly kind: "self" };

export interface SgRule {
  readonly resource: TfResource;
  /** Inline blocks share their group's resource; `index` tells them apart. */
  readonly inline: boolean;
  readonly direction: "ingress" | "egress";
  /** Reference to the group the rule belongs to (`aws_security_group.x`) or a literal id. */
  readonly group: string;
  /** `tcp`, `udp`, `icmp` or `all`. */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly peer: Source;
  readonly description?: string;
}

export interface Listener {
  readonly resource: TfResource;
  readonly loadBalancer?: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly sslPolicy?: string;
  readonly actions: ReadonlyArray<{ readonly type: string; readonly redirectProtocol?: string; readonly targetGroup?: string }>;
}

export interface LoadBalancer {
  readonly resource: TfResource;
  readonly ref: string;
  readonly type: string;
  readonly internal: boolean;
  readonly dropInvalidHeaderFields: boolean;
  readonly securityGroups: readonly string[];
}

export interface TargetGroup {
  readonly resource: TfResource;
  readonly ref: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly healthCheckPath?: string;
}


function protocolOf(v: unknown): string {
  const p = String(v ?? "").toLowerCase();
  if (p === "-1" || p === "all") return "all";
  if (p === "6") return "tcp";
  if (p === "17") return "udp";
  return p;
}

function portRange(protocol: string, from: unknown, to: unknown): [number, number] {
  if (protocol === "all") return [0, 65535];
  const f = num(from);
  const t = num(to);
  if (f === undefined && t === undefined) return [0, 65535];
  if (f === -1 || f === undefined) return [0, 65535];
  return [f, t ?? f];
}

export function sgRulesOf(r: TfResource): SgRule[] {
  const v = r.values;
  const rules: SgRule[] = [];
  const push = (direction: "ingress" | "egress", group: string, block: Record<string, any>, inline: boolean, peers: Source[]) => {
    const protocol = protocolOf(block.ip_protocol ?? block.protocol);
    const [fromPort, toPort] = portRange(protocol, block.from_port, block.to_port);
    for (const peer of peers) rules.push({ resource: r, inline, direction, group, protocol, fromPort, toPort, peer, description: typeof block.description === "string" && block.description.trim() !== "" ? block.description : undefined });
  };
  const peersOfBlock = (b: Record<string, any>): Source[] => [
    ...strings(b.cidr_blocks).map((cidr) => ({ kind: "cidr", cidr }) as Source),
    ...strings(b.ipv6_cidr_blocks).map((cidr) => ({ kind: "cidr", cidr }) as Source),
    ...strings(b.prefix_list_ids).map((id) => ({ kind: "prefix-list", id }) as Source),
    ...strings(b.security_groups).map((ref) => ({ kind: "security-group", ref: refOf(ref) }) as Source),
    ...(b.self === true ? [{ kind: "self" } as Source] : []),
  ];
  switch (r.type) {
    case "aws_security_group":
      for (const dir of ["ingress", "egress"] as const) for (const b of list(v[dir])) push(dir, r.address, b, true, peersOfBlock(b));
      break;
    case "aws_security_group_rule": {
      const peers = peersOfBlock(v);
      if (v.source_security_group_id) peers.push({ kind: "security-group", ref: refOf(v.source_security_group_id) });
      push(v.type === "egress" ? "egress" : "ingress", refOf(v.security_group_id), v, false, peers);
      break;
    }
    case "aws_vpc_security_group_ingress_rule":
    case "aws_vpc_security_group_egress_rule": {
      const peers: Source[] = [];
      if (v.cidr_ipv4) peers.push({ kind: "cidr", cidr: String(v.cidr_ipv4) });
      if (v.cidr_ipv6) peers.push({ kind: "cidr", cidr: String(v.cidr_ipv6) });
      if (v.prefix_list_id) peers.push({ kind: "prefix-list", id: String(v.prefix_list_id) });
      if (v.referenced_security_group_id) {
        const ref = refOf(v.referenced_security_group_id);
        peers.push(ref === refOf(v.security_group_id) ? { kind: "self" } : { kind: "security-group", ref });
      }
      push(r.type.endsWith("ingress_rule") ? "ingress" : "egress", refOf(v.security_group_id), v, false, peers);
      break;
    }
  }
  return rules;
}

export function loadBalancerOf(r: TfResource): LoadBalancer {
  return {
    resource: r,
    ref: r.address,
    type: String(r.values.load_balancer_type ?? "application"),
    internal: r.values.internal === true,
    dropInvalidHeaderFields: r.values.drop_invalid_header_fields === true,
    securityGroups: strings(r.values.security_groups).map(refOf),
  };
}

export function listenerOf(r: TfResource): Listener {
  return {
    resource: r,
    loadBalancer: r.values.load_balancer_arn ? refOf(r.values.load_balancer_arn) : undefined,
    port: num(r.values.port),
    protocol: r.values.protocol ? String(r.values.protocol).toUpperCase() : undefined,
    sslPolicy: r.values.ssl_policy,
    actions: list(r.values.default_action).map((a) => ({
      type: String(a.type),
      redirectProtocol: first(a.redirect)?.protocol ? String(first(a.redirect)!.protocol).toUpperCase() : undefined,
      targetGroup: a.target_group_arn ? refOf(a.target_group_arn) : undefined,
    })),
  };
}

export function targetGroupOf(r: TfResource): TargetGroup {
  return {
    resource: r,
    ref: r.address,
    port: num(r.values.port),
    protocol: r.values.protocol ? String(r.values.protocol).toUpperCase() : undefined,
    healthCheckPath: first(r.values.health_check)?.path,
  };
}
