/**
 * Authenticated is not authorized (issue 27): a route on the Gateway that serves a public path of group G, decided by
 * a SecurityPolicy that admits a client class's credential (the same authentication and authorization principals as
 * that class's own SecurityPolicy, which the contract output names), must belong to a class that holds G (or, for a
 * read-only group's paths, its full group). Otherwise the class's credential reaches what its scopes exclude: e.g. an
 * own HTTPRoute that out-ranks `<fullname>-rules` (a method or header match is more specific) carrying the readers'
 * basic auth. Judged where a load balancer way reaches the route without the load balancer authenticating (the Gateway
 * is then the only check). Methods are not modelled: a path shared by a group and its read-only form counts for both.
 * A policy whose credential is no class's is not judged here.
 */
import type { ClientClassInfo } from "../exposure/clients-info";
import type { DataPlaneAuth } from "../exposure/graph/envoy-policies";
import type { ExposureModel } from "../exposure/model";
import { PUBLIC_ROUTES } from "../contract/public-api";
import { routeNodeId, reachesMimir } from "./graph-queries";
import { overlapping } from "./path-overlap";
import { loadBalancerWays } from "./route-ways";
import type { RawFinding } from "./types";

/** The classes each credential admits (by the `admits` of each class's own SecurityPolicy). */
function classesByCredential(m: ExposureModel, policies: readonly DataPlaneAuth[]): Map<string, ClientClassInfo[]> {
  const out = new Map<string, ClientClassInfo[]>();
  for (const c of m.contract.clients ?? []) {
    const own = policies.find((p) => p.kind === "SecurityPolicy" && p.name === c.securityPolicy && p.admits !== undefined);
    if (own) out.set(own.admits!, [...(out.get(own.admits!) ?? []), c]);
  }
  return out;
}

export function classScopeFindings(m: ExposureModel): RawFinding[] {
  const routes = m.graph.authenticatedRoutes();
  const policies = [...new Set(routes.flatMap((r) => r.by))];
  const byCredential = classesByCredential(m, policies);
  if (byCredential.size === 0) return [];
  const out: RawFinding[] = [];
  for (const { route: r, by } of routes) {
    const id = routeNodeId(r);
    if (!reachesMimir(m, id)) continue;
    const open = loadBalancerWays(m, id).filter((w) => w.authenticatedBy === undefined);
    if (open.length === 0) continue;
    const matched = r.rules.flatMap((rule) => rule.paths ?? [{ kind: "prefix" as const, value: "/" }]);
    // The public paths the route serves, each with the groups that list it.
    const served = new Map<string, string[]>();
    for (const pr of PUBLIC_ROUTES) {
      const reached = overlapping([{ kind: pr.match, value: pr.path }], matched);
      if (reached !== undefined && reached.length === 0) continue;
      served.set(pr.path, [...(served.get(pr.path) ?? []), pr.group]);
    }
    for (const p of by) {
      for (const c of byCredential.get(p.admits ?? "") ?? []) {
        const beyond = [...served].filter(([, groups]) => !groups.some((g) => c.groups.includes(g)));
        if (beyond.length === 0) continue;
        const groups = [...new Set(beyond.flatMap(([, g]) => g))];
        const paths = beyond.map(([path]) => path);
        out.push({
          resource: r.resource,
          message: `${r.kind} ${r.namespace ?? "default"}/${r.name} serves ${paths.slice(0, 4).join(", ")}${paths.length > 4 ? `, … (${paths.length})` : ""} (group ${groups.join(", ")}), and ${p.kind} ${p.name} on it admits the credential of client class ${c.name} (${c.mode}: ${c.groups.join(", ") || "no group"}), which does not hold ${groups.length === 1 ? "that group" : "those groups"}: authenticated is not authorized, so ${c.name}'s credential reaches what its groups exclude`,
          fix: `remove the route (the stack's own route for ${groups[0]} serves it), or target it with the SecurityPolicy of a class that holds ${groups.join(" or ")}`,
        });
      }
    }
  }
  return out;
}
