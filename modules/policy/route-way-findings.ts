/**
 * MP018 beside an authenticating Envoy Gateway SecurityPolicy (client classes split between the load balancer and
 * the Gateway): a route (or an Ingress beside the Gateway) that reaches Mimir without Gateway-side authentication
 * is judged by its ways in (./route-ways.ts). It is a finding when a way through a load balancer listener reaches
 * it without the load balancer authenticating there (one finding per route and listener, naming the listener, its
 * rules or default action, and the paths). Where no load balancer way reaches it (a Gateway the stack's load
 * balancer does not front, or no forwarded path the route matches), it is a finding unless some listener verifies
 * client certificates, as before ways were read: a way that skips the load balancer (pods, a shared Gateway's other
 * listener) is MP018 at the data plane (./data-plane-auth.ts).
 */
import type { ExposureModel } from "../exposure/model";
import type { TfResource } from "../exposure/terraform-json";
import { routeNodeId, pathToMimir, reachesMimir } from "./graph-queries";
import { LISTENER_TYPES, mutualMode, priorities } from "./lb-auth";
import { arrow } from "./reachability";
import { loadBalancerWays, type RouteWay } from "./route-ways";
import type { RawFinding } from "./types";

const short = (address: string) => address.replace(/_[0-9A-F]{8}\b/g, "");

function listenerText(l: TfResource): string {
  const protocol = String(l.values.protocol ?? "").toUpperCase();
  return `listener ${short(l.address)} (${protocol ? `${protocol} ` : ""}:${l.values.port ?? "?"})`;
}

function pathsText(ways: readonly RouteWay[]): string {
  if (ways.some((w) => w.paths === undefined)) return "every path";
  const all = [...new Set(ways.flatMap((w) => w.paths!.map((p) => (p.kind === "exact" ? `=${p.value}` : p.value))))];
  return `paths ${all.slice(0, 6).join(", ")}${all.length > 6 ? `, … (${all.length})` : ""}`;
}

/** One finding per listener that lets a way reach `what` without authenticating it. */
function openWays(m: ExposureModel, ways: readonly RouteWay[], subject: TfResource, what: string, fix: string): RawFinding[] {
  const byListener = new Map<string, RouteWay[]>();
  for (const w of ways) {
    if (w.authenticatedBy !== undefined) continue;
    byListener.set(w.listener.address, [...(byListener.get(w.listener.address) ?? []), w]);
  }
  return [...byListener.values()].map((group) => {
    const l = group[0].listener;
    const rules = [...new Set(group.flatMap((w) => (w.rule ? [w.rule] : [])))];
    const via = [group.some((w) => !w.rule) ? "its default action" : "", rules.length > 0 ? `listener rule${rules.length === 1 ? "" : "s"}${priorities(rules)}` : ""].filter(Boolean).join(" and ");
    const mode = mutualMode(l);
    const passthrough = mode === "passthrough" ? "; mutual TLS passthrough verifies nothing at the load balancer" : "";
    const lb = l.values.load_balancer_arn === undefined ? undefined : m.graph.ref(l.values.load_balancer_arn);
    const internetFacing = m.loadBalancers.some((x) => x.ref === lb && !x.internal);
    return {
      resource: subject,
      severity: internetFacing ? "critical" : "error",
      message: `${what}; reached through ${listenerText(l)} without authentication there (${via}${passthrough}), ${pathsText(group)}: anyone who reaches that listener can write or read any tenant; path: ${arrow(group[0].hit.path)}`,
      fix,
      path: group[0].hit.path,
    } satisfies RawFinding;
  });
}

const WAY_FIX = "authenticate at that listener (mutual TLS verify, or an authenticate action first in each rule that forwards there), stop forwarding the route's paths there, or target the route with the authenticating SecurityPolicy";

export function gatewayEntryFindings(m: ExposureModel, proxies: readonly string[]): RawFinding[] {
  const out: RawFinding[] = [];
  const viaListener = m.resources.some((r) => LISTENER_TYPES.includes(r.type) && mutualMode(r) === "verify");
  const policies = `SecurityPolicy ${proxies.join(", ")}`;
  const severity = m.loadBalancers.some((lb) => !lb.internal) ? "critical" : "error";
  for (const { route: r, why } of m.graph.routesWithoutAuthentication()) {
    const id = routeNodeId(r);
    if (!reachesMimir(m, id)) continue;
    const name = `${r.kind} ${r.namespace ?? "default"}/${r.name}`;
    const what = `${name} serves Mimir, and ${why}; ${policies} authenticates only what its targetRefs/targetSelectors name`;
    const ways = loadBalancerWays(m, id);
    if (ways.length > 0) {
      out.push(...openWays(m, ways, r.resource, what, WAY_FIX));
      continue;
    }
    if (viaListener) continue;
    out.push({
      resource: r.resource,
      severity,
      message: `${what}: anyone who reaches it can write or read any tenant; path: ${arrow([...pathToMimir(m, id)])}`,
      fix: "target the route (or its Gateway) with the authenticating SecurityPolicy, or remove the route",
      path: [name, ...pathToMimir(m, id)],
    });
  }
  // An Ingress serves beside the Gateway and is not covered by its policy.
  for (const ing of m.ingresses) {
    const node = m.graph.k8s.routes.find((x) => x.kind === "Ingress" && x.resource === ing.resource);
    const ways = node ? loadBalancerWays(m, routeNodeId(node)) : [];
    const what = `Ingress ${ing.name} serves Mimir beside the Gateway, and the ${policies} does not apply to it`;
    const fix = "remove the Ingress (the Gateway API entry replaces it) or authenticate on the load balancer with auth.mode mtls/oidc";
    if (ways.length > 0) out.push(...openWays(m, ways, ing.resource, what, fix));
    else if (!viaListener) out.push({ resource: ing.resource, message: what, fix });
  }
  return out;
}
