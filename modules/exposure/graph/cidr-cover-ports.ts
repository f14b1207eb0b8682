/**
 * "CIDRs that together cover the internet" per (security group, port range,
 * protocol): 0.0.0.0/1 on one port plus 128.0.0.0/1 on another is not the
 * internet on either port. Security group rules are a union per port, so only rules of the
 * same group whose ranges both hold a port (and whose protocols both carry it)
 * add up on that port.
 */
import { coverInternet } from "./cidr-cover";

export interface CidrRuleRange {
  /** `tcp`, `udp` or `all` (as the graph reads the rule). */
  readonly proto: "tcp" | "udp" | "all";
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidr: string;
}

/** A part of one rule's port range on which the group's CIDRs together are the internet, and those CIDRs. */
export interface InternetSegment {
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidrs: readonly string[];
}

/** Does `other` carry the traffic `rule` admits? (`all` reads as TCP: Mimir's ports are TCP.) */
function sameProtocol(rule: CidrRuleRange, other: CidrRuleRange): boolean {
  const want = rule.proto === "udp" ? "udp" : "tcp";
  return other.proto === "all" || other.proto === want;
}

/**
 * The parts of `rule`'s range on which the CIDRs of `group` (every CIDR rule of
 * the rule's group, `rule` included) together cover the internet. Adjacent parts
 * with the same CIDRs are one segment.
 */
export function internetSegments(rule: CidrRuleRange, group: readonly CidrRuleRange[]): InternetSegment[] {
  const others = group.filter((o) => sameProtocol(rule, o) && o.fromPort <= rule.toPort && rule.fromPort <= o.toPort);
  const cuts = new Set<number>([rule.fromPort, rule.toPort + 1]);
  for (const o of others) {
    if (o.fromPort > rule.fromPort) cuts.add(o.fromPort);
    if (o.toPort < rule.toPort) cuts.add(o.toPort + 1);
  }
  const bounds = [...cuts].sort((a, b) => a - b);
  const out: InternetSegment[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const from = bounds[i];
    const to = bounds[i + 1] - 1;
    const cidrs = [...new Set(others.filter((o) => o.fromPort <= from && to <= o.toPort).map((o) => o.cidr))].sort();
    if (!coverInternet(cidrs)) continue;
    const last = out[out.length - 1];
    if (last && last.toPort + 1 === from && last.cidrs.join() === cidrs.join()) out[out.length - 1] = { ...last, toPort: to };
    else out.push({ fromPort: from, toPort: to, cidrs });
  }
  return out;
}

/** The parts of [from, to] not in `segments` (sorted, disjoint). */
export function outside(fromPort: number, toPort: number, segments: readonly InternetSegment[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let next = fromPort;
  for (const s of segments) {
    if (s.fromPort > next) out.push([next, s.fromPort - 1]);
    next = Math.max(next, s.toPort + 1);
  }
  if (next <= toPort) out.push([next, toPort]);
  return out;
}
