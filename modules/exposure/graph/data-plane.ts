/**
 * The entry's data plane as an interior hop (issue 20, items 1 and 2): the
 * Service a TargetGroupBinding registers (a Gateway API implementation's proxy,
 * or a legacy ingress controller) is also reachable from inside the cluster,
 * without passing the load balancer where authentication happens. Pods reach
 * it unless a NetworkPolicy on the data-plane pods admits only the load
 * balancer's subnets (`entry.loadBalancerCidrs`); and each route behind it is
 * reached unauthenticated unless an Envoy Gateway SecurityPolicy /
 * ClientTrafficPolicy that authenticates targets the route, or the Gateway
 * (and listener) the route is attached to.
 */
import type { EntryInfo } from "../entry-info";
import { cidrWithin } from "./cidr-within";
import { readDataPlaneAuth, type DataPlaneAuth } from "./envoy-policies";
import type { Graph } from "./graph";
import type { K8sObjects, KNetworkPolicy, KRoute, Labels } from "./k8s-objects";
import type { ServiceIndex } from "./k8s-edges";
import { METADATA_NAME, peerText, restrictsIngress } from "./pod-peers";
import { entryGatewaysFor } from "./envoy-proxy";
import { DataPlaneAuthIndex, gatewaysOf, routeAuthentication, routeVerdict, spoofedAddress } from "./route-auth";

export { DataPlaneAuthIndex, routeAuthentication } from "./route-auth";

const ENVOY = { "app.kubernetes.io/name": "envoy", "app.kubernetes.io/component": "proxy", "app.kubernetes.io/managed-by": "envoy-gateway" };

export interface DataPlaneGuard {
  /** undefined: guarded (only the load balancer's subnets reach the data-plane pods). */
  readonly who?: string;
  readonly via?: string;
  readonly policy?: KNetworkPolicy;
}

const OWNING_NAME = "gateway.envoyproxy.io/owning-gateway-name";
const OWNING_NS = "gateway.envoyproxy.io/owning-gateway-namespace";

/**
 * Labels every Envoy proxy may carry whatever Gateway owns it: Envoy Gateway's own, and for an Envoy Gateway entry
 * the output's `entry.dataPlane.podLabels` (any EnvoyProxy can put them on its pods). A selector made only of these
 * selects every Gateway's proxies; only the owning-gateway labels name one Gateway's.
 */
export function envoyProxyLabels(entry: EntryInfo | undefined): Labels {
  const dp = entry?.dataPlane;
  return { ...ENVOY, ...(dp?.implementation === "envoy-gateway" && dp.podLabels ? dp.podLabels : {}) };
}

/**
 * Label sets the data-plane pods are known to carry: the output's, Mimir's own policy peers from that namespace, Envoy Gateway's
 * per-Gateway labels of the Gateways the entry uses (every Gateway in the stack when that is not provable). A peer or
 * set naming another Gateway's owning labels is not the entry's data plane.
 */
export function dataPlaneLabels(k8s: K8sObjects, ns: string | undefined, resolveNs: (v: string | undefined) => string | undefined, entry?: EntryInfo): Labels[] {
  const sets: Labels[] = [];
  const dp = entry?.dataPlane;
  const entryGateways = entryGatewaysFor(k8s, resolveNs, entry);
  const entrys = (l: Labels) => l[OWNING_NAME] === undefined || entryGateways.size === 0 || entryGateways.has(`${resolveNs(l[OWNING_NS]) ?? l[OWNING_NS] ?? "?"}/${l[OWNING_NAME]}`);
  if (dp?.podLabels && (dp.namespace === undefined || dp.namespace === ns)) sets.push(dp.podLabels);
  for (const p of k8s.policies) for (const r of p.ingress) for (const f of r.from) if (f.namespaceSelector?.[METADATA_NAME] === ns && f.podSelector && Object.keys(f.podSelector).length > 0 && entrys(f.podSelector)) sets.push(f.podSelector);
  for (const gw of k8s.gateways) {
    const labels = { ...ENVOY, [OWNING_NAME]: gw.name, [OWNING_NS]: resolveNs(gw.namespace) ?? "" };
    if (entrys(labels)) sets.push(labels);
  }
  return sets;
}

/** Whether NetworkPolicies on the data-plane pods admit only the load balancer's subnets, else who else they admit. */
export function dataPlaneGuard(policies: readonly KNetworkPolicy[], ns: string | undefined, labels: readonly Labels[], lbCidrs: readonly string[] | undefined, resolveNs: (v: string | undefined) => string | undefined): DataPlaneGuard {
  const selects = (p: KNetworkPolicy) => !p.selectorExpressions && (Object.keys(p.podSelector).length === 0 || labels.some((l) => Object.entries(p.podSelector).every(([k, v]) => l[k] === v)));
  const guards = policies.filter((p) => resolveNs(p.namespace ?? "default") === ns && restrictsIngress(p) && selects(p));
  if (guards.length === 0) return { who: "a pod in any namespace", via: `no NetworkPolicy in namespace ${ns ?? "?"} selects the data-plane pods` };
  const lb = lbCidrs === undefined ? "entry.loadBalancerCidrs is not set, so no source is the load balancer" : `not within the load balancer's subnets ${lbCidrs.join(", ")}`;
  for (const p of guards) {
    for (const [i, rule] of p.ingress.entries()) {
      const name = `NetworkPolicy ${resolveNs(p.namespace ?? "default") ?? p.namespace}/${p.name} ingress[${i}] (${p.resource.address})`;
      if (rule.from.length === 0) return { who: "every source (a rule without from)", via: name, policy: p };
      for (const f of rule.from) {
        if (f.ipBlock !== undefined && lbCidrs !== undefined && cidrWithin(f.ipBlock, lbCidrs)) continue;
        const who = f.ipBlock !== undefined ? `addresses in ${f.ipBlock} (${lb}; pods and nodes may hold them)` : `pods admitted by ${peerText(f)}`;
        return { who, via: name, policy: p };
      }
    }
  }
  return {};
}

export function addDataPlaneSources(g: Graph, k8s: K8sObjects, services: ServiceIndex, resolveNs: (v: string | undefined) => string | undefined, routeId: (r: KRoute) => string, entry?: EntryInfo): void {
  const auth = new DataPlaneAuthIndex(readDataPlaneAuth(k8s.other, entry?.loadBalancerCidrs), resolveNs);
  const done = new Set<string>();
  let open: KRoute[] | undefined;
  const lbPorts = new Set<number>();
  for (const b of k8s.bindings) {
    const key = services.key(b.namespace, b.serviceName);
    if (done.has(key) || !g.nodes.has(`controller:${key}`)) continue;
    done.add(key);
    if (typeof b.servicePort === "number") lbPorts.add(b.servicePort);
    const ns = resolveNs(b.namespace ?? "default");
    const guard = dataPlaneGuard(k8s.policies, ns, dataPlaneLabels(k8s, ns, resolveNs, entry), entry?.loadBalancerCidrs, resolveNs);
    if (guard.who === undefined) continue;
    open ??= k8s.routes.filter((r) => routeAuthentication(r, auth, k8s, resolveNs) === undefined);
    if (open.length === 0) continue;
    const src = g.node({ id: `interior:data-plane:${key}`, kind: "source", untrusted: true, label: guard.who });
    const hop = g.node({ id: `interior:data-plane-hop:${key}`, kind: "hop", label: `Service ${key} (the entry's data plane)` });
    g.edge({ from: src.id, to: hop.id, label: `${guard.via} → Service ${key} (the entry's data plane, registered by TargetGroupBinding ${b.name}), reached without the load balancer`, resource: guard.policy?.resource ?? b.resource, entry: "data-plane", tls: false });
    for (const r of open) {
      const spoofer = r.kind === "Ingress" ? undefined : spoofedAddress(r, auth, k8s, resolveNs);
      const spoof = spoofer ? `; clientCIDRs prove nothing there: ClientTrafficPolicy ${spoofer.name} (${spoofer.resource.address}) takes the client address from ${spoofer.clientIpFrom}` : "";
      const at = r.kind === "Ingress" ? "an Ingress: nothing authenticates at the controller" : `no SecurityPolicy/ClientTrafficPolicy authenticates at ${r.parents.map((p) => `Gateway ${p.name}${p.sectionName ? `/${p.sectionName}` : ""}`).join(", ") || "its Gateway"} or the route${spoof}`;
      g.edge({ from: hop.id, to: routeId(r), label: `${r.kind} ${services.key(r.namespace, r.name)} (${at})`, resource: r.resource });
    }
  }
  // An Ingress (any class: alb, nginx, ...) to the data plane's Service is another load balancer in front of it.
  for (const r of k8s.routes) {
    if (r.kind !== "Ingress") continue;
    for (const b of r.rules.flatMap((rule) => rule.backends)) {
      const key = services.key(b.namespace ?? r.namespace, b.name);
      if (!g.nodes.has(`controller:${key}`)) continue;
      const src = g.node({ id: `interior:ingress-to-data-plane:${r.resource.address}`, kind: "source", untrusted: true, label: `clients of Ingress ${services.key(r.namespace, r.name)} (class ${r.className ?? "default"}): another load balancer in front of the data plane` });
      g.edge({ from: src.id, to: `controller:${key}`, label: `Ingress ${services.key(r.namespace, r.name)} (${r.resource.address}) → Service ${key} (the entry's data plane), not through the entry's load balancer`, resource: r.resource, entry: "data-plane", tls: false });
    }
  }
  if (lbPorts.size > 0) addOtherListeners(g, k8s, services, resolveNs, routeId, lbPorts, open ?? k8s.routes.filter((r) => routeAuthentication(r, auth, k8s, resolveNs) === undefined));
}

/**
 * A shared Gateway's other listeners: a route attached to a Gateway of the stack without `sectionName` (or to a
 * listener the load balancer does not target) is served on listeners whose clients never pass the load balancer.
 */
function addOtherListeners(g: Graph, k8s: K8sObjects, services: ServiceIndex, resolveNs: (v: string | undefined) => string | undefined, routeId: (r: KRoute) => string, lbPorts: ReadonlySet<number>, open: readonly KRoute[]): void {
  const gateways = gatewaysOf(k8s, resolveNs);
  for (const r of open) {
    if (r.kind === "Ingress") continue;
    const routeNs = resolveNs(r.namespace ?? "default");
    for (const parent of r.parents) {
      const gwNs = parent.namespace ?? routeNs;
      const gw = gateways.get(`${gwNs}/${parent.name}`);
      if (!gw) continue;
      for (const l of gw.listeners) {
        if ((parent.sectionName !== undefined && l.name !== parent.sectionName) || l.port === undefined || lbPorts.has(l.port)) continue;
        const id = `interior:listener:${gwNs}/${gw.name}:${l.name ?? l.port}`;
        g.node({ id, kind: "source", untrusted: true, label: `clients of Gateway ${gwNs}/${gw.name} listener ${l.name ?? "?"} :${l.port} ${l.protocol} (not the load balancer's: pods, other load balancers)` });
        g.edge({ from: id, to: routeId(r), label: `Gateway ${gwNs}/${gw.name} listener ${l.name ?? "?"} :${l.port} (${gw.resource.address}) serves ${r.kind} ${services.key(r.namespace, r.name)}${parent.sectionName ? "" : " (attached to every listener: no sectionName)"}, nothing authenticates there`, resource: gw.resource, entry: "data-plane", tls: false });
      }
    }
  }
}

/** A Gateway API route no authenticating policy is proven to cover, and why. */
export interface UnauthenticatedRoute {
  readonly route: KRoute;
  readonly why: string;
}

/**
 * Gateway API routes no authenticating policy covers (issue 30, item 5): a SecurityPolicy with basicAuth, jwt,
 * oidc, apiKeyAuth or extAuth (or a ClientTrafficPolicy validating client certificates on a TLS listener)
 * authenticates only the routes and listeners it targets (targetRefs / targetSelectors), and only where it is the
 * policy Envoy Gateway applies (./route-auth.ts). Authorization by clientCIDRs does not authenticate a client
 * behind the load balancer, so it does not count here.
 */
/** A Gateway API route proven authenticated at the data plane, and the policies that decide it. */
export interface AuthenticatedRoute {
  readonly route: KRoute;
  readonly by: readonly DataPlaneAuth[];
}

/** The Gateway API routes an authenticating policy is proven to cover (the counterpart of routesWithoutAuthentication). */
export function authenticatedRoutes(k8s: K8sObjects, resolveNs: (v: string | undefined) => string | undefined, entry?: EntryInfo): AuthenticatedRoute[] {
  const index = new DataPlaneAuthIndex(readDataPlaneAuth(k8s.other, entry?.loadBalancerCidrs), resolveNs, (p) => p.how !== undefined && !p.byClientCidrs);
  return k8s.routes.flatMap((r) => {
    if (r.kind === "Ingress") return [];
    const v = routeVerdict(r, index, k8s, resolveNs);
    return v.how !== undefined ? [{ route: r, by: v.by ?? [] }] : [];
  });
}

export function routesWithoutAuthentication(k8s: K8sObjects, resolveNs: (v: string | undefined) => string | undefined, entry?: EntryInfo): UnauthenticatedRoute[] {
  const index = new DataPlaneAuthIndex(readDataPlaneAuth(k8s.other, entry?.loadBalancerCidrs), resolveNs, (p) => p.how !== undefined && !p.byClientCidrs);
  return k8s.routes.flatMap((r) => {
    if (r.kind === "Ingress") return [];
    const v = routeVerdict(r, index, k8s, resolveNs);
    return v.how === undefined ? [{ route: r, why: v.why ?? "no authenticating policy targets it" }] : [];
  });
}
