/**
 * Findings from the reachability graph: every hit (a path from an untrusted
 * source to a Mimir port) that is not the designed entry — TLS into the http
 * port with only public paths — becomes a finding of the rule its door
 * belongs to, with the whole path in the message.
 */
import { MIMIR_HTTP_API } from "../contract/http-api";
import { admitter } from "./path-overlap";
import type { ExposureModel, Hit, PathCond } from "../exposure/model";
import type { RawFinding, Severity } from "./types";


const OPERATOR_PATHS = MIMIR_HTTP_API.filter((e) => e.audience === "operator").map((e) => e.path);

export const arrow = (path: readonly string[]) => path.filter((p) => p !== "").join(" → ");

/** Operator paths a path condition lets through (`undefined`: the condition cannot be evaluated). */
export function leakedPaths(cond: PathCond): string[] | undefined {
  const admits = admitter(cond);
  return admits && OPERATOR_PATHS.filter(admits);
}

export type HitClass = "port" | "plaintext" | "paths" | "ok";

export interface Classified {
  readonly hit: Hit;
  readonly cls: HitClass;
  readonly leaked?: readonly string[];
}

/**
 * Operator routes the environment opened on purpose (`entry.operatorAccess`, limited to operators' CIDRs and
 * acknowledged with a reason in the contract output): their conditions, as an Ingress / HTTPRoute (exact,
 * prefix) or an ALB rule (`path`, `path/*`) writes them, are not reported.
 */
function operatorConditions(m: ExposureModel): Set<string> {
  const out = new Set<string>();
  for (const r of m.contract.operatorRoutes ?? []) {
    out.add(`${r.match} ${r.path}`);
    out.add(`glob ${r.path}`);
    if (r.match === "prefix") out.add(`glob ${r.path.replace(/\/$/, "")}/*`);
  }
  return out;
}

export function classify(hit: Hit, operator: ReadonlySet<string> = new Set()): Classified {
  if (hit.port.contractName !== "http") return { hit, cls: "port" };
  if (!hit.tls) return { hit, cls: "plaintext" };
  // Every Mimir component serves operator endpoints on http (the chart gateway and monolithic Mimir all of them):
  // a forward without a path condition, whatever else it matches (host, header, query, source, method), leaks them.
  if (hit.paths === undefined) return { hit, cls: "paths", leaked: ["every path"] };
  const leaked = new Set<string>();
  for (const c of hit.paths) {
    if (operator.has(`${c.kind} ${c.value}`)) continue;
    for (const p of leakedPaths(c) ?? [`${c.value} (unreadable pattern)`]) leaked.add(p);
  }
  return leaked.size > 0 ? { hit, cls: "paths", leaked: [...leaked] } : { hit, cls: "ok" };
}

let cache = new WeakMap<ExposureModel, Classified[]>();
/** Every hit with its class, once per model. */
export function classified(m: ExposureModel): Classified[] {
  let c = cache.get(m);
  if (!c) {
    const operator = operatorConditions(m);
    c = m.graph.hits.map((h) => classify(h, operator));
    cache.set(m, c);
  }
  return c;
}
export function resetClassifiedCache(): void {
  cache = new WeakMap();
}

/** The ports a group of hits reaches: `grpc <port>, memberlist <port>`. */
export const portsOf = (group: readonly Classified[]) => [...new Set(group.map((c) => `${c.hit.port.contractName} ${c.hit.port.port}`))].join(", ");

/** One finding per door and source, naming every Mimir port reached; the path shown is the first hit's. */
export function findingsFor(m: ExposureModel, doors: ReadonlySet<string>, describe: (group: readonly Classified[]) => { message: string; fix: string; severity?: Severity }): RawFinding[] {
  const groups = new Map<string, Classified[]>();
  for (const c of classified(m)) {
    if (c.cls === "ok" || c.cls === "paths") continue;
    const door = c.hit.entry;
    if (!door?.resource || !doors.has(door.entry ?? "")) continue;
    const key = `${door.resource.address}|${c.hit.source.id}|${door.label}`;
    const g = groups.get(key);
    if (g) g.push(c);
    else groups.set(key, [c]);
  }
  return [...groups.values()].map((group) => {
    const d = describe(group);
    return { resource: group[0].hit.entry!.resource!, message: d.message, fix: d.fix, severity: d.severity, path: group[0].hit.path };
  });
}
