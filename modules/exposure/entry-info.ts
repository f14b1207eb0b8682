/**
 * The entry path a stack declares in its `mimir_port_contract` output
 * (`entry`, written by the stack from its resolved configuration): the entry
 * kind, hosts, public API groups, the public route table and any operator
 * access. Read back for the review; absent from outputs of older stacks.
 */
import { isPlainObject } from "../shared/objects";

export interface EntryRouteInfo {
  readonly path: string;
  /** "exact" or "prefix". */
  readonly match: string;
  /** Mimir component ("all" in monolithic mode). */
  readonly component: string;
  /** The Kubernetes Service the route sends to. */
  readonly service: string;
  /** The public API group (absent in older outputs and on operator routes). */
  readonly group?: string;
  /** The methods forwarded (absent: every method, or an older output). */
  readonly methods?: readonly string[];
}

export interface EntryInfo {
  /** e.g. "gateway-api", "ingress", "chart-gateway", "direct". */
  readonly kind: string;
  /** The retired ingress-nginx entry (deprecated). */
  readonly legacy: boolean;
  readonly groups: readonly string[];
  readonly hosts: readonly string[];
  readonly routes: readonly EntryRouteInfo[];
  /** Operator endpoints reachable from these CIDRs, with the acknowledgement that allows it. */
  readonly operatorAccess?: { readonly cidrs: readonly string[]; readonly routes: readonly EntryRouteInfo[]; readonly acknowledged: string };
  /** CIDRs of the subnets the load balancer's ENIs live in (`loadBalancer.subnetCidrs`): the only sources that are "the load balancer". Absent: none is. */
  readonly loadBalancerCidrs?: readonly string[];
  /** The entry's data plane (Gateway API implementation or ingress controller), when the output names it. */
  readonly dataPlane?: { readonly namespace?: string; readonly serviceName?: string; readonly implementation?: string; readonly podLabels?: Readonly<Record<string, string>> };
  /** The Gateway the entry's routes attach to (`namespace/name`): a created Gateway or the shared `entry.gateway.parentRef`. */
  readonly gateway?: string;
  /** The Service (`namespace/name`) the load balancer's TargetGroupBinding registers: the entry's data plane or ingress controller. */
  readonly loadBalancerTarget?: string;
}

const strings = (v: unknown, text: (s: unknown) => string): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === "string").map(text) : []);

function routesFrom(v: unknown, text: (s: unknown) => string): EntryRouteInfo[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isPlainObject).map((r) => ({
    path: text(r.path),
    match: String(r.match ?? "prefix"),
    component: String(r.component ?? "?"),
    service: text(r.service ?? "?"),
    ...(typeof r.group === "string" ? { group: text(r.group) } : {}),
    ...(Array.isArray(r.methods) ? { methods: strings(r.methods, text) } : {}),
  }));
}

function dataPlaneFrom(v: Record<string, unknown>): NonNullable<EntryInfo["dataPlane"]> {
  const labels = isPlainObject(v.podLabels) ? Object.fromEntries(Object.entries(v.podLabels).filter(([, x]) => typeof x === "string").map(([k, x]) => [k, String(x)])) : undefined;
  return { ...(typeof v.namespace === "string" ? { namespace: v.namespace } : {}), ...(typeof v.serviceName === "string" ? { serviceName: v.serviceName } : {}), ...(typeof v.implementation === "string" ? { implementation: v.implementation } : {}), ...(labels ? { podLabels: labels } : {}) };
}

/** `entry` of the contract output; undefined when the output has none (or not an object). */
export function entryFrom(value: unknown, text: (s: unknown) => string): EntryInfo | undefined {
  if (!isPlainObject(value) || typeof value.kind !== "string") return undefined;
  const oa = value.operatorAccess;
  return {
    kind: value.kind,
    legacy: value.legacy === true,
    groups: strings(value.groups, text),
    hosts: strings(value.hosts, text),
    routes: routesFrom(value.routes, text),
    ...(Array.isArray(value.loadBalancerCidrs) ? { loadBalancerCidrs: strings(value.loadBalancerCidrs, String) } : {}),
    ...(isPlainObject(value.dataPlane) ? { dataPlane: dataPlaneFrom(value.dataPlane) } : {}),
    ...(typeof value.gateway === "string" ? { gateway: text(value.gateway) } : {}),
    ...(typeof value.loadBalancerTarget === "string" ? { loadBalancerTarget: text(value.loadBalancerTarget) } : {}),
    ...(isPlainObject(oa) ? { operatorAccess: { cidrs: strings(oa.cidrs, String), routes: routesFrom(oa.routes, text), acknowledged: text(oa.acknowledged ?? "") } } : {}),
  };
}

/** `{ entry }` when the output declares one, else `{}` (to spread into ContractInfo). */
export function entryField(value: unknown, text: (s: unknown) => string): { readonly entry?: EntryInfo } {
  const entry = entryFrom(value, text);
  return entry ? { entry } : {};
}
