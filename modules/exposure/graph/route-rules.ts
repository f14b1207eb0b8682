/**
 * One route rule into the graph, with its rewrites applied (./rewrites.ts):
 * the edge to each backend carries the path that reaches it, not the one
 * matched. A rule-level `RequestRedirect` forwards nowhere: the client asks
 * the route's Gateways again with the redirected path (the model does not
 * match hosts or listeners, so a redirect to another host, scheme or port of
 * the same Gateway is followed the same way). What cannot be evaluated is an
 * unknown (MP015), never a pass.
 */
import type { Graph, PathCond } from "./graph";
import type { KRoute, KRouteRule } from "./k8s-objects";
import { isToken } from "./mimir-scope";
import { gatewayFilters, gatewayPathModifier } from "./rewrites";

export interface RuleTargets {
  /** Service port nodes of a backend. */
  readonly find: (namespace: string | undefined, name: string, port: string | number | undefined) => ReadonlyArray<{ id: string }>;
  /** The Gateway nodes the route is attached to (a redirect asks them again). */
  readonly parents: readonly string[];
  readonly routeId: string;
  readonly routeLabel: string;
}

const EVERY_PATH: readonly PathCond[] = [{ kind: "prefix", value: "/" }];
const show = (paths: readonly PathCond[] | undefined) => (paths ? `paths ${paths.map((x) => (x.kind === "exact" ? `=${x.value}` : x.value)).join(", ")}` : "every path");

export function addRouteRule(g: Graph, r: KRoute, rule: KRouteRule, t: RuleTargets): void {
  const matched: PathCond[] | undefined = rule.paths && rule.paths.length > 0 ? [...rule.paths] : undefined;
  const match = matched ?? EVERY_PATH;
  const unknown = (reason: string) => g.unknown({ resource: r.resource, reason: `${t.routeLabel}: ${reason}, so the path that reaches its backends is not known`, path: [t.routeLabel, show(matched)] });
  const tokenPath = matched?.find((p) => isToken(p.value));
  if (tokenPath) return unknown(`path ${tokenPath.value} is not known until apply`);
  const ruleFilters = gatewayFilters(rule.filters);
  if (ruleFilters.opaque) return unknown(ruleFilters.opaque);
  if (ruleFilters.redirect) {
    const moved = gatewayPathModifier(matched, ruleFilters.redirect.path === undefined ? undefined : firstOf(ruleFilters.redirect.path), "RequestRedirect");
    if (moved.unknown !== undefined) return unknown(moved.unknown);
    for (const gw of t.parents) g.edge({ from: t.routeId, to: gw, paths: moved.paths, matched: match, label: `${show(matched)} RequestRedirect${moved.label ? ` (${moved.label})` : ""} → the client asks ${g.nodes.get(gw)?.label ?? gw} again`, resource: r.resource });
    return;
  }
  const ruleRewrite = ruleFilters.rewrite?.path === undefined ? undefined : firstOf(ruleFilters.rewrite.path);
  for (const b of rule.backends) {
    const own = gatewayFilters(b.filters);
    if (own.opaque) {
      unknown(`backendRef ${b.name}: ${own.opaque}`);
      continue;
    }
    const ownRewrite = own.rewrite?.path === undefined ? undefined : firstOf(own.rewrite.path);
    if (ruleRewrite && ownRewrite) {
      unknown(`backendRef ${b.name} rewrites a path the rule already rewrote`);
      continue;
    }
    if (own.redirect) {
      const moved = gatewayPathModifier(matched, own.redirect.path === undefined ? undefined : firstOf(own.redirect.path), "RequestRedirect");
      if (moved.unknown !== undefined) unknown(`backendRef ${b.name}: ${moved.unknown}`);
      else for (const gw of t.parents) g.edge({ from: t.routeId, to: gw, paths: moved.paths, matched: match, label: `${show(matched)} RequestRedirect${moved.label ? ` (${moved.label})` : ""} → the client asks ${g.nodes.get(gw)?.label ?? gw} again`, resource: r.resource });
      continue;
    }
    const moved = gatewayPathModifier(matched, ruleRewrite ?? ownRewrite, "URLRewrite");
    if (moved.unknown !== undefined) {
      unknown(`backendRef ${b.name}: ${moved.unknown}`);
      continue;
    }
    for (const sp of t.find(b.namespace ?? r.namespace, b.name, b.port)) {
      g.edge({ from: t.routeId, to: sp.id, paths: moved.paths, matched: match, label: `${show(matched)}${moved.label ? ` ${moved.label}` : ""}${b.mirror ? " RequestMirror" : ""} → ${g.nodes.get(sp.id)?.label}`, resource: r.resource });
    }
  }
}

function firstOf(v: unknown): Record<string, any> | undefined {
  if (Array.isArray(v)) return v[0];
  return v && typeof v === "object" ? (v as Record<string, any>) : undefined;
}
