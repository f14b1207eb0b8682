/**
 * The load balancer is its objects (issue 30, item 3): Envoy Gateway provisions each Gateway's data-plane Service
 * from the EnvoyProxy the Gateway (`spec.infrastructure.parametersRef`) or its GatewayClass (`spec.parametersRef`)
 * links to: `provider.kubernetes.envoyService.type`, LoadBalancer when unset, and a `patch` may change it. A Service
 * that is not ClusterIP is a way into every route of that Gateway that does not pass the entry's load balancer.
 * An EnvoyProxy linked but not in the stack is an unknown (MP015).
 */
import { first } from "../readers/json";
import type { Graph } from "./graph";
import type { K8sMeta, K8sObjects, KRoute } from "./k8s-objects";
import type { EntryInfo } from "../entry-info";

const manifestSpec = (m: K8sMeta) => first(first(m.resource.values.manifest)?.spec);

export function addEnvoyProxyServices(g: Graph, k8s: K8sObjects, resolveNs: (v: string | undefined) => string | undefined, routeId: (r: KRoute) => string): void {
  const byKind = (kind: string) => k8s.other.filter((m) => m.kind === kind);
  const proxies = byKind("EnvoyProxy");
  const classes = byKind("GatewayClass");
  for (const gw of k8s.gateways) {
    const spec = first(first(gw.resource.values.manifest)?.spec) ?? {};
    const gwNs = resolveNs(gw.namespace ?? "default");
    let ref = first(first(spec.infrastructure)?.parametersRef);
    let refNs = gwNs;
    if (ref?.kind !== "EnvoyProxy") {
      const cls = classes.find((c) => c.name === spec.gatewayClassName);
      const classRef = cls ? first(manifestSpec(cls)?.parametersRef) : undefined;
      if (classRef?.kind !== "EnvoyProxy") continue;
      ref = classRef;
      refNs = resolveNs(typeof classRef.namespace === "string" ? classRef.namespace : "default");
    }
    const gwKey = `${gwNs ?? gw.namespace}/${gw.name}`;
    const attached = k8s.routes.filter((r) => r.kind !== "Ingress" && r.parents.some((p) => p.name === gw.name && resolveNs(p.namespace ?? r.namespace ?? "default") === gwNs));
    if (attached.length === 0) continue;
    const proxy = proxies.find((p) => p.name === ref!.name && resolveNs(p.namespace ?? "default") === refNs);
    if (!proxy) {
      g.unknown({ resource: gw.resource, reason: `Gateway ${gwKey} is provisioned from EnvoyProxy ${refNs}/${String(ref.name)}, which is not in this stack: the type of its data-plane Service (LoadBalancer by default) is not visible`, path: [`EnvoyProxy ${refNs}/${String(ref.name)} (not in this stack)`, `Gateway ${gwKey}`] });
      continue;
    }
    const service = first(first(first(manifestSpec(proxy)?.provider)?.kubernetes)?.envoyService) ?? {};
    const patched = first(first(first(service.patch)?.value)?.spec)?.type;
    const type = String(patched ?? service.type ?? "LoadBalancer");
    if (type === "ClusterIP") continue;
    const why = patched !== undefined ? `its envoyService.patch sets type ${type}` : service.type === undefined ? "no envoyService.type: Envoy Gateway's default is LoadBalancer" : `envoyService.type ${type}`;
    const src = type === "LoadBalancer" ? g.node({ id: "internet", kind: "source", untrusted: true, internet: true, label: "0.0.0.0/0" }) : g.node({ id: "outside", kind: "source", untrusted: true, label: "outside the cluster (node addresses)" });
    const hop = g.node({ id: `envoy-service:${gwKey}`, kind: "hop", label: `the data-plane Service of Gateway ${gwKey} (${type})` });
    g.edge({ from: src.id, to: hop.id, label: `EnvoyProxy ${refNs}/${proxy.name} (${proxy.resource.address}) provisions Gateway ${gwKey}'s data plane as a ${type} Service (${why}), not behind the entry's load balancer`, resource: proxy.resource, entry: "data-plane", tls: false });
    for (const r of attached) g.edge({ from: hop.id, to: routeId(r), label: `${r.kind} ${resolveNs(r.namespace ?? "default") ?? r.namespace}/${r.name}`, resource: r.resource });
  }
}

/**
 * The Gateways the entry uses, when provable: those whose EnvoyProxy (`infrastructure.parametersRef`) names the
 * entry's data-plane Service (`envoyService.name`). `ns/name`; empty when not provable.
 */
function entryGatewaysOf(k8s: K8sObjects, resolveNs: (v: string | undefined) => string | undefined, dataPlaneService: string | undefined): Set<string> {
  const out = new Set<string>();
  if (dataPlaneService === undefined) return out;
  const proxies = k8s.other.filter((m) => m.kind === "EnvoyProxy" && first(first(first(manifestSpec(m)?.provider)?.kubernetes)?.envoyService)?.name === dataPlaneService);
  for (const gw of k8s.gateways) {
    const ref = first(first(first(first(gw.resource.values.manifest)?.spec)?.infrastructure)?.parametersRef);
    const gwNs = resolveNs(gw.namespace ?? "default");
    if (ref?.kind === "EnvoyProxy" && proxies.some((p) => p.name === ref.name && resolveNs(p.namespace ?? "default") === gwNs)) out.add(`${gwNs}/${gw.name}`);
  }
  return out;
}

/**
 * The Gateways the entry uses: the one the contract output names (`entry.gateway`, a created Gateway or the shared
 * `parentRef`), else those whose EnvoyProxy names the entry's data-plane Service. Empty when not provable.
 */
export function entryGatewaysFor(k8s: K8sObjects, resolveNs: (v: string | undefined) => string | undefined, entry: EntryInfo | undefined): Set<string> {
  if (entry?.gateway !== undefined) {
    const at = entry.gateway.indexOf("/");
    return new Set([`${resolveNs(entry.gateway.slice(0, at)) ?? entry.gateway.slice(0, at)}/${entry.gateway.slice(at + 1)}`]);
  }
  return entryGatewaysOf(k8s, resolveNs, entry?.dataPlane?.serviceName);
}
