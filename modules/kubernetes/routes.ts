import type { Environment } from "../config/environment";
import type { EntryRoute } from "../config/entry";
import type { PathMatch } from "../contract/public-api";
import { monolithicServiceName, routableServiceName, serviceName } from "./naming";

/**
 * The routes every in-cluster entry (HTTPRoute, Ingress) serves: the
 * contract's PUBLIC API table (modules/contract/public-api.ts) for this
 * environment's groups and components, each to the Service that serves it on
 * the contract's http port. Monolithic: every path to the one Mimir Service;
 * Ingress with `useGateway`: every path to the chart's gateway. Operator
 * endpoints are never in it (see `operatorBackendRoutes` for the explicit,
 * CIDR-limited `entry.operatorAccess`).
 *
 * (This replaces `GATEWAY_ROUTES`, the chart gateway's table, which also
 * published operator endpoints such as /distributor/ha_tracker and /ruler/ring.)
 */
export interface BackendRoute {
  readonly path: string;
  readonly match: PathMatch;
  /** `all` in monolithic mode. */
  readonly component: EntryRoute["component"];
  readonly service: string;
  readonly port: number;
  /** The public API group (or `operator`) the path belongs to: one HTTPRoute per group. */
  readonly group: EntryRoute["group"];
  /** The methods forwarded; undefined: every method (operator routes). */
  readonly methods?: EntryRoute["methods"];
}

function backendOf(env: Environment, route: EntryRoute, viaChartGateway: boolean): BackendRoute {
  const service = viaChartGateway
    ? serviceName(env.fullname, "gateway")
    : route.component === "all"
      ? monolithicServiceName(env.fullname)
      : routableServiceName(env.fullname, route.component);
  return { path: route.path, match: route.match, component: route.component, service, port: env.contract.http.port, group: route.group, ...(route.methods ? { methods: route.methods } : {}) };
}

/** The public routes, most specific first, with their Services. */
export function publicBackendRoutes(env: Environment): BackendRoute[] {
  const viaGateway = env.ingress?.useGateway === true;
  return env.entry.routes.map((r) => backendOf(env, r, viaGateway));
}

/** The public routes of the groups some client class holds (a group no class holds is 404 at the load balancer too). */
export function heldBackendRoutes(env: Environment): BackendRoute[] {
  return publicBackendRoutes(env).filter((r) => env.clients.some((c) => (c.groups as readonly string[]).includes(r.group)));
}

/** The operator routes of `entry.operatorAccess` (empty when off). */
export function operatorBackendRoutes(env: Environment): BackendRoute[] {
  const viaGateway = env.ingress?.useGateway === true;
  return (env.entry.operatorAccess?.routes ?? []).map((r) => backendOf(env, r, viaGateway));
}

/**
 * The entry as the review shows it (in the `mimir_port_contract` output):
 * kind, public API groups, the routes served with their Services, hosts, and
 * any operator access with its CIDRs and acknowledgement.
 */
export function entryReview(env: Environment): Record<string, unknown> {
  const e = env.entry;
  const row = (r: BackendRoute) => ({ path: r.path, match: r.match, component: r.component, service: r.service, group: r.group, ...(r.methods ? { methods: [...r.methods] } : {}) });
  return {
    kind: e.kind,
    legacy: e.kind === "ingress",
    groups: [...e.groups],
    hosts: [...e.hosts],
    routes: publicBackendRoutes(env).map(row),
    // The load balancer's subnets: the only sources the data plane admits (loadBalancer.subnetCidrs).
    loadBalancerCidrs: [...e.loadBalancerCidrs],
    ...(e.dataPlane ? { dataPlane: { namespace: e.dataPlane.namespace, serviceName: e.dataPlane.serviceName, implementation: e.dataPlane.implementation } } : {}),
    // The Service the load balancer's TargetGroupBinding registers (the data plane or ingress controller): the only
    // Service outside the stack the model takes for the entry's front door.
    ...(env.loadBalancer.target.kind === "ingress-controller" ? { loadBalancerTarget: `${env.loadBalancer.target.namespace}/${env.loadBalancer.target.serviceName}` } : {}),
    // The Gateway the entry's routes attach to (created or shared): the only Gateway whose proxies Mimir trusts.
    ...(e.gateway ? { gateway: `${e.gateway.parentRef.namespace ?? env.namespace}/${e.gateway.parentRef.name}` } : {}),
    operatorAccess: e.operatorAccess ? { cidrs: [...e.operatorAccess.cidrs], routes: operatorBackendRoutes(env).map(row), acknowledged: e.operatorAccess.acknowledged } : null,
  };
}
