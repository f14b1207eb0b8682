/**
 * The entry path between base and head, per environment: entry kind, public
 * API groups, hosts, the public route table, operator access and
 * authentication. Each is one cause, so one summary line (grouped across
 * environments), and the entry resources it changes are counted on that line
 * instead of being listed one type at a time.
 */
import type { EntryInfo, EntryRouteInfo } from "../exposure/entry-info";
import { authChange, authLine } from "../policy/auth-rule";
import type { StackReport } from "./stack-report";
import type { ResourceChange, RiskLevel } from "./risk";
import { isReadOnlyGroup } from "../contract/public-api";

export interface EntryChange {
  readonly kind?: { readonly before: string; readonly after: string; readonly legacy: boolean; readonly wasLegacy: boolean };
  readonly groups?: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly hosts?: { readonly before: readonly string[]; readonly after: readonly string[] };
  /** Paths added and removed; re-routed ones with their new and old backend. */
  readonly routes?: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly rerouted: readonly string[] };
  readonly operatorAccess?: {
    readonly before?: EntryInfo["operatorAccess"];
    readonly after?: EntryInfo["operatorAccess"];
    /** Operator paths reachable from a CIDR in the head that were not in the base. */
    readonly opened: readonly string[];
    /** The CIDRs from which they became reachable. */
    readonly from: readonly string[];
  };
}

// A read-only group shares its full group's paths: the group is part of the route's identity.
const routeKey = (r: EntryRouteInfo) => `${r.match === "exact" ? "=" : ""}${r.path}${isReadOnlyGroup(r.group ?? "") ? ` (${r.group})` : ""}`;
const backend = (r: EntryRouteInfo) => (r.component === "all" || r.component === r.service ? r.service : `${r.service} (${r.component})`);
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));

/** What changed in the entry path; undefined when nothing did (or a side does not declare its entry). */
export function entryChange(b: EntryInfo | undefined, h: EntryInfo | undefined): EntryChange | undefined {
  if (!b || !h) return undefined;
  const out: { -readonly [K in keyof EntryChange]: EntryChange[K] } = {};
  if (b.kind !== h.kind) out.kind = { before: b.kind, after: h.kind, legacy: h.legacy, wasLegacy: b.legacy };
  const groupsAdded = minus(h.groups, b.groups);
  const groupsRemoved = minus(b.groups, h.groups);
  if (groupsAdded.length + groupsRemoved.length) out.groups = { added: groupsAdded, removed: groupsRemoved };
  if (!same([...b.hosts].sort(), [...h.hosts].sort())) out.hosts = { before: b.hosts, after: h.hosts };
  const bRoutes = new Map(b.routes.map((r) => [routeKey(r), r]));
  const hRoutes = new Map(h.routes.map((r) => [routeKey(r), r]));
  const added = [...hRoutes.keys()].filter((k) => !bRoutes.has(k)).sort().map((k) => hRoutes.get(k)!.path);
  const removed = [...bRoutes.keys()].filter((k) => !hRoutes.has(k)).sort().map((k) => bRoutes.get(k)!.path);
  const rerouted = [...hRoutes.keys()]
    .filter((k) => bRoutes.has(k) && backend(bRoutes.get(k)!) !== backend(hRoutes.get(k)!))
    .sort()
    .map((k) => `\`${hRoutes.get(k)!.path}\`: ${bRoutes.get(k)!.service} → ${hRoutes.get(k)!.service}`);
  if (added.length + removed.length + rerouted.length) out.routes = { added, removed, rerouted };
  const bo = b.operatorAccess;
  const ho = h.operatorAccess;
  if (JSON.stringify(bo ?? null) !== JSON.stringify(ho ?? null)) {
    const pairs = (o: EntryInfo["operatorAccess"]) => new Set((o?.routes ?? []).flatMap((r) => o!.cidrs.map((c) => `${r.path}\u0000${c}`)));
    const before = pairs(bo);
    const newPairs = [...pairs(ho)].filter((p) => !before.has(p)).map((p) => p.split("\u0000"));
    out.operatorAccess = { before: bo, after: ho, opened: [...new Set(newPairs.map(([p]) => p))].sort(), from: [...new Set(newPairs.map(([, c]) => c))].sort() };
  }
  return Object.keys(out).length ? out : undefined;
}

/** One cause line with `{where}` for the environments it happens in. */
export interface EntryCauseLine {
  readonly level?: RiskLevel;
  readonly text: string;
}

const code = (xs: readonly string[], max = 4) => `${xs.slice(0, max).map((x) => `\`${x}\``).join(", ")}${xs.length > max ? `, … (${xs.length} in all)` : ""}`;
const count = (n: number, what: string, xs: readonly string[]) => (n ? [`${n} ${what} (${code(xs, 3)})`] : []);
const listed = (n: number, what: string, xs: readonly string[]) => (n ? [`${n} ${what} (${xs.slice(0, 2).join(", ")}${xs.length > 2 ? ", …" : ""})`] : []);

/** The summary lines of one environment's entry change (and auth change), `{where}` to fill. */
export function entryCauseLines(c: EntryChange | undefined, b: StackReport, h: StackReport): EntryCauseLine[] {
  const out: EntryCauseLine[] = [];
  const oa = c?.operatorAccess;
  if (oa && oa.opened.length) {
    out.push({ level: "high", text: `**high risk** {where}: operator endpoints ${code(oa.opened)} now reachable from ${oa.from.join(", ")} through the load balancer; acknowledged as _${oa.after?.acknowledged ?? ""}_` });
  } else if (oa && !oa.after) {
    out.push({ text: `**operator access removed** {where}: ${code((oa.before?.routes ?? []).map((r) => r.path))} no longer reachable from outside the cluster` });
  } else if (oa) {
    out.push({ text: `**operator access narrowed** {where}: ${code((oa.after?.routes ?? []).map((r) => r.path))} from ${(oa.after?.cidrs ?? []).join(", ")}` });
  }
  const auth = authChange(b.auth, h.auth);
  if (auth?.removed) out.push({ level: "high", text: `**high risk** {where}: authentication removed: ${authLine([])}` });
  else if (auth) out.push({ text: `**authentication changed** {where}: ${authLine(auth.before)} → ${authLine(auth.after)}` });
  if (c?.kind) {
    const k = c.kind;
    const note = k.legacy
      ? ": the legacy ingress-nginx entry is deprecated (retired in March 2026, no more security fixes); prefer entry.kind gateway-api"
      : k.wasLegacy
        ? ": leaves the deprecated ingress-nginx entry"
        : "";
    out.push({ ...(k.legacy ? { level: "medium" as const } : {}), text: `**entry kind ${k.before} → ${k.after}** {where}${note}` });
  }
  const r = c?.routes;
  const routeParts = r ? [...count(r.added.length, "added", r.added), ...count(r.removed.length, "removed", r.removed), ...listed(r.rerouted.length, "re-routed", r.rerouted)] : [];
  if (c?.groups) {
    const g = c.groups;
    const groups = [...g.added.map((x) => `+${x}`), ...g.removed.map((x) => `−${x}`)].join(", ");
    out.push({ ...(g.added.length ? { level: "medium" as const } : {}), text: `**public API groups ${groups}** {where}${routeParts.length ? `: public routes ${routeParts.join(", ")}` : ""}` });
  } else if (routeParts.length) {
    out.push({ ...(r!.added.length ? { level: "medium" as const } : {}), text: `**public route table changed** {where}: ${routeParts.join(", ")}` });
  }
  if (c?.hosts) out.push({ text: `**entry hosts** {where}: ${c.hosts.before.join(", ") || "any"} → ${c.hosts.after.join(", ") || "any"}` });
  return out;
}

const ENTRY_MANIFEST_KINDS = new Set(["HTTPRoute", "Gateway", "Ingress", "TargetGroupBinding", "SecurityPolicy"]);

/** Resources that carry the entry path (listener rules, Ingress, HTTPRoutes, the Gateway, its binding): an entry change explains them. */
export function isEntryResource(c: ResourceChange): boolean {
  if (c.type === "aws_lb_listener_rule" || c.type === "aws_alb_listener_rule" || c.type === "kubernetes_ingress_v1") return true;
  if (c.type !== "kubernetes_manifest") return false;
  const kind = (v: Readonly<Record<string, unknown>> | undefined) => (v?.manifest as { kind?: unknown } | undefined)?.kind;
  return [kind(c.before), kind(c.after)].some((k) => typeof k === "string" && ENTRY_MANIFEST_KINDS.has(k));
}
