/**
 * What an acknowledgement accepted: the finding's fingerprint (severity, the
 * sources that reach it, the load balancer scheme on its path, the listener /
 * routes / hops it goes through). An acknowledgement holds while the finding
 * stays within what it accepted; a material change (higher severity, internal
 * → internet-facing, a source outside the accepted CIDRs, a new listener, route
 * or hop) voids it.
 */
import { createHash } from "node:crypto";
import { canonicalCidr, isCidrProblem, parseCidr, type ParsedCidr } from "../contract/cidr";
import { coverInternet } from "../exposure/graph/cidr-cover";
import type { ExposureModel, Listener, LoadBalancer } from "../exposure/model";
import { refOf } from "../exposure/model";
import type { TfResource } from "../exposure/terraform-json";
import { severityRank, SEVERITIES, type Fingerprint, type Severity } from "./types";

export type { Fingerprint };

const LISTENERS = new Set(["aws_lb_listener", "aws_alb_listener"]);
const RULES = new Set(["aws_lb_listener_rule", "aws_alb_listener_rule"]);
const hashless = (text: string) => text.replace(/_[0-9A-F]{8}\b/g, "");
const CIDR_TOKEN = /(?:\d{1,3}\.){3}\d{1,3}\/\d{1,3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*\/\d{1,3}/g;

function listenerFor(model: ExposureModel, resource: TfResource, path: readonly string[]): Listener | undefined {
  if (LISTENERS.has(resource.type)) return model.listeners.find((l) => l.resource.address === resource.address);
  if (RULES.has(resource.type)) return model.listeners.find((l) => l.resource.address === refOf(resource.values.listener_arn));
  const text = path.join("\n");
  return model.listeners.find((l) => text.includes(l.resource.address) || text.includes(hashless(l.resource.address)));
}

function forwards(r: TfResource): boolean {
  const actions = Array.isArray(r.values.action) ? r.values.action : [];
  return actions.some((a: Record<string, unknown>) => a?.type === "forward" || a?.target_group_arn !== undefined || a?.forward !== undefined);
}

function routesOf(r: TfResource): string[] {
  const conditions = Array.isArray(r.values.condition) ? r.values.condition : [];
  const out: string[] = [];
  for (const c of conditions) {
    for (const [kind, block] of Object.entries(c ?? {})) {
      const b = Array.isArray(block) ? block[0] : block;
      const values = b && typeof b === "object" && Array.isArray((b as { values?: unknown }).values) ? ((b as { values: unknown[] }).values) : [];
      for (const v of values) out.push(`${kind.replace(/_/g, "-")} ${String(v)}`);
    }
  }
  return out;
}

/** CIDRs and prefix lists admitted on `port` by the load balancer's groups. */
function lbSources(model: ExposureModel, lb: LoadBalancer, port: number | undefined): string[] {
  if (lb.securityGroups.length === 0) return [lb.internal ? "the VPC" : "0.0.0.0/0"];
  const out = new Set<string>();
  for (const g of lb.securityGroups) {
    if (!model.resources.some((r) => r.address === g)) out.add(`sources of ${hashless(g)} (not in this stack)`);
  }
  for (const r of model.sgRules) {
    if (r.direction !== "ingress" || !lb.securityGroups.includes(r.group)) continue;
    if (r.protocol === "udp" || (port !== undefined && (port < r.fromPort || port > r.toPort))) continue;
    if (r.peer.kind === "cidr") out.add(canonicalCidr(r.peer.cidr) ?? r.peer.cidr);
    else if (r.peer.kind === "prefix-list") out.add(`prefix list ${r.peer.id}`);
  }
  return [...out].sort();
}

/** The fingerprint of a finding of `severity` on `resource` with `path`, read from the model. */
export function fingerprintOf(model: ExposureModel, severity: Severity, resource: TfResource, path: readonly string[]): Fingerprint {
  const listener = listenerFor(model, resource, path);
  const lb = listener?.loadBalancer !== undefined ? model.loadBalancers.find((x) => x.ref === listener.loadBalancer) : undefined;
  const via = new Set<string>();
  if (listener) via.add(`listener ${listener.protocol ?? "?"} ${listener.port ?? "?"}`);
  if (RULES.has(resource.type)) for (const r of routesOf(resource)) via.add(r);
  else if (listener && LISTENERS.has(resource.type)) {
    // A listener's finding covers the rules that forward through it: a new route is a change. One digest of them
    // (the public route table is long); the count tells a reviewer how many.
    const routes = model.resources
      .filter((r) => RULES.has(r.type) && refOf(r.values.listener_arn) === listener.resource.address && forwards(r))
      .map((r) => routesOf(r).join(" & "))
      .sort();
    if (routes.length > 0) via.add(`${routes.length} forwarding rule${routes.length === 1 ? "" : "s"} ${createHash("sha256").update(routes.join("\n")).digest("hex").slice(0, 12)}`);
  }
  for (const hop of path.slice(1)) via.add(hashless(hop));
  let sources: string[];
  if (lb) sources = lbSources(model, lb, listener?.port);
  else if (path.length > 1) {
    const found = (path[0].match(CIDR_TOKEN) ?? []).map((c) => canonicalCidr(c)).filter((c): c is string => c !== undefined);
    sources = found.length > 0 ? [...new Set(found)].sort() : [hashless(path[0])];
  } else sources = [];
  return { severity, sources, ...(lb ? { scheme: lb.internal ? "internal" : "internet-facing" } : {}), via: [...via].sort() };
}

/** Do the fingerprint's sources (CIDRs) together cover the internet? */
export function fromInternet(fp: Fingerprint): boolean {
  const cidrs = fp.sources.filter((s) => canonicalCidr(s) !== undefined);
  return (fp.scheme === "internet-facing" || fp.scheme === undefined) && cidrs.length > 0 && coverInternet(cidrs);
}

function contains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.family !== inner.family || outer.length > inner.length) return false;
  const max = BigInt(outer.family === 4 ? 32 : 128);
  const shift = max - BigInt(outer.length);
  return inner.address >> shift === outer.address >> shift;
}

function sourceWithin(source: string, accepted: readonly string[]): boolean {
  if (accepted.includes(source)) return true;
  const p = parseCidr(source);
  if (isCidrProblem(p)) return false;
  return accepted.some((a) => {
    const q = parseCidr(a);
    return !isCidrProblem(q) && contains(q, p);
  });
}

/** What changed materially from `accepted` to `now` (empty when `now` is within what was accepted). */
export function materialChanges(now: Fingerprint, accepted: Fingerprint): string[] {
  const out: string[] = [];
  if (severityRank(now.severity) > severityRank(accepted.severity)) out.push(`severity ${accepted.severity} → ${now.severity}`);
  if (now.scheme === "internet-facing" && accepted.scheme !== "internet-facing") out.push(`${accepted.scheme ?? "no load balancer"} → internet-facing`);
  // Nothing is wider than the internet: when the accepted CIDRs cover it, any source is within.
  const acceptedCidrs = accepted.sources.filter((x) => canonicalCidr(x) !== undefined);
  const anything = acceptedCidrs.length > 0 && coverInternet(acceptedCidrs);
  const wider = anything ? [] : now.sources.filter((s) => !sourceWithin(s, accepted.sources));
  if (wider.length > 0) out.push(`new source${wider.length === 1 ? "" : "s"} ${wider.join(", ")}`);
  const more = now.via.filter((v) => !accepted.via.includes(v));
  if (more.length > 0) out.push(`new listener/route/hop ${more.join(", ")}`);
  return out;
}

/** One line: `critical from 0.0.0.0/0, internet-facing, via listener HTTPS <port>`. */
export function describeFingerprint(fp: Fingerprint): string {
  const parts = [`${fp.severity} from ${fp.sources.length > 0 ? fp.sources.join(" + ") : "(no source)"}`];
  if (fp.scheme) parts.push(fp.scheme);
  if (fp.via.length > 0) parts.push(`via ${fp.via.join(", ")}`);
  return parts.join(", ");
}

/** A fingerprint read from user input or a contract output; undefined when malformed. */
export function fingerprintFrom(v: unknown): Fingerprint | undefined {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const strings = (x: unknown) => (Array.isArray(x) && x.every((s) => typeof s === "string") ? (x as string[]) : undefined);
  const sources = strings(o.sources);
  const via = strings(o.via ?? []);
  if (!(SEVERITIES as readonly unknown[]).includes(o.severity) || !sources || !via) return undefined;
  if (o.scheme !== undefined && o.scheme !== "internal" && o.scheme !== "internet-facing") return undefined;
  return { severity: o.severity as Severity, sources, ...(o.scheme ? { scheme: o.scheme as Fingerprint["scheme"] } : {}), via };
}
