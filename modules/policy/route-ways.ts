/**
 * The ways in to one route (an HTTPRoute, GRPCRoute or Ingress node of the graph) through a load balancer, and
 * whether the load balancer authenticated each one. A way is a hit that passes the route's node after a
 * listener door; it counts only where what the hops in front forward (the last path conditions before the route,
 * e.g. an ALB rule's `path_pattern`) overlaps what the route matches there (./path-overlap.ts): a rule that
 * forwards `/api/v1/push` does not reach a route that matches only query paths. It is authenticated when some
 * listener on it verifies client certificates (`mutual_authentication` verify), or the listener's default action
 * it took, or the listener rule it took, runs an authenticate action first (./lb-auth.ts).
 */
import type { ExposureModel, GEdge, Hit, PathCond } from "../exposure/model";
import type { TfResource } from "../exposure/terraform-json";
import { list } from "../exposure/readers/json";
import { authenticates, LISTENER_TYPES, mutualMode, RULE_TYPES } from "./lb-auth";
import { overlapping } from "./path-overlap";

export interface RouteWay {
  readonly hit: Hit;
  /** The listener closest to the route on the way (the door it came through). */
  readonly listener: TfResource;
  /** The listener rule it took there (undefined: the listener's default action). */
  readonly rule?: TfResource;
  /** What authenticated it at the load balancer (undefined: nothing did). */
  readonly authenticatedBy?: string;
  /** The conditions in front of the route that reach it (undefined: every path). */
  readonly paths?: readonly PathCond[];
}

const isListener = (r: TfResource | undefined) => r !== undefined && LISTENER_TYPES.includes(r.type);
const isRule = (r: TfResource | undefined) => r !== undefined && RULE_TYPES.includes(r.type);

/** What authenticates one edge of a way, if anything. */
function edgeAuthentication(e: GEdge): string | undefined {
  const r = e.resource;
  if (isListener(r) && e.entry === "listener" && mutualMode(r!) === "verify") return `mutual TLS (verify) on ${r!.address}`;
  // The listener's default action: an edge from the listener node that names the listener itself.
  if (isListener(r) && e.from.startsWith("listener:") && authenticates(list(r!.values.default_action))) return `the authenticate action of ${r!.address}'s default action`;
  if (isRule(r) && authenticates(list(r!.values.action))) return `the authenticate action of ${r!.address}`;
  return undefined;
}

function wayOf(hit: Hit, routeId: string): RouteWay | undefined {
  const at = hit.edges.findIndex((e) => e.to === routeId);
  if (at < 0) return undefined;
  const before = hit.edges.slice(0, at + 1);
  const doorAt = before.map((e) => e.entry === "listener" && isListener(e.resource)).lastIndexOf(true);
  if (doorAt < 0) return undefined;
  let paths: readonly PathCond[] | undefined;
  for (const e of before) if (e.paths !== undefined) paths = e.paths;
  const next = hit.edges[at + 1];
  const reaching = overlapping(paths, next?.from === routeId ? next.matched : undefined);
  if (reaching !== undefined && reaching.length === 0) return undefined;
  const listener = before[doorAt].resource!;
  const rule = before.slice(doorAt + 1).find((e) => isRule(e.resource))?.resource;
  const authenticatedBy = before.map(edgeAuthentication).find((x) => x !== undefined);
  return { hit, listener, ...(rule ? { rule } : {}), ...(authenticatedBy ? { authenticatedBy } : {}), ...(reaching ? { paths: reaching } : {}) };
}

const memo = new WeakMap<ExposureModel, Map<string, RouteWay[]>>();

/** Every load balancer way in to the route's node (empty: no hit passes it after a listener). */
export function loadBalancerWays(m: ExposureModel, routeId: string): readonly RouteWay[] {
  let byRoute = memo.get(m);
  if (!byRoute) {
    byRoute = new Map();
    memo.set(m, byRoute);
    for (const hit of m.graph.hits) {
      if (hit.entry?.entry !== "listener") continue;
      for (const id of new Set(hit.edges.filter((e) => e.to.startsWith("route:")).map((e) => e.to))) {
        const way = wayOf(hit, id);
        if (way) byRoute.set(id, [...(byRoute.get(id) ?? []), way]);
      }
    }
  }
  return byRoute.get(routeId) ?? [];
}
