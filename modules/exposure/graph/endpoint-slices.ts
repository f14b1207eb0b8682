/**
 * Services without a selector get their endpoints from hand-written
 * EndpointSlices (discovery.k8s.io/v1; typed `kubernetes_endpoint_slice_v1` or
 * a manifest) or Endpoints (`kubernetes_endpoints_v1` / `kubernetes_endpoints`
 * or a manifest). Read them: an endpoint whose `targetRef` is a Mimir pod, or
 * an address the model cannot attribute on a Mimir port in Mimir's namespace,
 * makes the Service lead to Mimir's pods (so a LoadBalancer / NodePort one is
 * a full exposure finding). What cannot be attributed is unknown (MP015), and
 * so is a selectorless Service in Mimir's namespace whose endpoints are not in
 * the stack (ExternalName Services are DNS aliases with no endpoints).
 */
import type { TfResource } from "../terraform-json";
import { first, list, num, strings } from "../readers/json";
import type { Graph } from "./graph";
import type { K8sObjects } from "./k8s-objects";
import type { ServiceIndex } from "./k8s-edges";
import type { MimirScope } from "./mimir-scope";

export const ENDPOINT_TYPES = ["kubernetes_endpoint_slice_v1", "kubernetes_endpoints_v1", "kubernetes_endpoints"];

interface EndpointSet {
  readonly resource: TfResource;
  readonly name: string;
  readonly namespace?: string;
  /** The Service it belongs to (EndpointSlice label kubernetes.io/service-name; Endpoints: its own name). */
  readonly service?: string;
  readonly endpoints: ReadonlyArray<{ readonly addresses: readonly string[]; readonly pod?: { name: string; namespace?: string } }>;
  readonly ports: ReadonlyArray<{ readonly name?: string; readonly port?: number }>;
}

const pick = (o: any, ...keys: string[]) => {
  for (const k of keys) if (o?.[k] !== undefined && o?.[k] !== null) return o[k];
  return undefined;
};

function targetOf(ref: any): { name: string; namespace?: string } | undefined {
  const t = first(ref);
  if (!t || (t.kind !== undefined && t.kind !== "Pod") || t.name === undefined) return undefined;
  return { name: String(t.name), namespace: t.namespace === undefined ? undefined : String(t.namespace) };
}

function read(r: TfResource): EndpointSet | undefined {
  let kind: string;
  let meta: any;
  let body: any;
  if (r.type === "kubernetes_manifest") {
    const m = first(r.values.manifest) ?? {};
    kind = String(m.kind ?? "");
    meta = first(m.metadata);
    body = m;
  } else {
    kind = r.type === "kubernetes_endpoint_slice_v1" ? "EndpointSlice" : "Endpoints";
    meta = first(r.values.metadata);
    body = r.values;
  }
  const name = String(meta?.name ?? r.name);
  const namespace = meta?.namespace === undefined ? undefined : String(meta.namespace);
  const portsOf = (ps: unknown) => list(ps).map((p) => ({ name: p.name === undefined || p.name === "" ? undefined : String(p.name), port: num(p.port) }));
  if (kind === "EndpointSlice") {
    const labels = first(meta?.labels) ?? {};
    return {
      resource: r,
      name,
      namespace,
      service: labels["kubernetes.io/service-name"] === undefined ? undefined : String(labels["kubernetes.io/service-name"]),
      endpoints: list(pick(body, "endpoints", "endpoint")).map((e) => ({ addresses: strings(e.addresses), pod: targetOf(pick(e, "targetRef", "target_ref")) })),
      ports: portsOf(pick(body, "ports", "port")),
    };
  }
  if (kind === "Endpoints") {
    const subsets = list(pick(body, "subsets", "subset"));
    return {
      resource: r,
      name,
      namespace,
      service: name,
      endpoints: subsets.flatMap((s) => [...list(pick(s, "addresses", "address")), ...list(pick(s, "notReadyAddresses", "not_ready_address"))].map((a) => ({ addresses: strings(a.ip), pod: targetOf(pick(a, "targetRef", "target_ref")) }))),
      ports: subsets.flatMap((s) => portsOf(pick(s, "ports", "port"))),
    };
  }
  return undefined;
}

export function addEndpoints(g: Graph, resources: readonly TfResource[], k8s: K8sObjects, scope: MimirScope, services: ServiceIndex, resolveNs: (ns: string | undefined) => string | undefined): void {
  const sets = resources.map(read).filter((x): x is EndpointSet => x !== undefined);
  const bySvc = new Map<string, EndpointSet[]>();
  for (const s of sets) if (s.service !== undefined) bySvc.set(services.key(s.namespace, s.service), [...(bySvc.get(services.key(s.namespace, s.service)) ?? []), s]);
  const mimirNs = (ns: string | undefined) => scope.namespace === undefined || scope.namespaceMatches(ns);
  const isMimirPod = (pod: { name: string; namespace?: string }, ns: string | undefined) => scope.namespaceMatches(pod.namespace ?? ns) && (pod.name === scope.fullname || pod.name.startsWith(`${scope.fullname}-`));

  // Each set: what its endpoints are, and the unknowns.
  const mimirSets = new Set<EndpointSet>();
  for (const s of sets) {
    const contractPorts = s.ports.filter((p) => p.port !== undefined && scope.isContractPort(p.port));
    const opaque = s.endpoints.filter((e) => !e.pod && e.addresses.length > 0);
    const toMimir = s.endpoints.some((e) => e.pod && isMimirPod(e.pod, s.namespace));
    const inMimirNs = mimirNs(s.namespace);
    if (opaque.length > 0 && (inMimirNs || contractPorts.length > 0)) {
      g.unknown({ resource: s.resource, reason: `${s.resource.type === "kubernetes_manifest" ? "" : `${s.resource.type} `}${s.name} lists address(es) ${opaque.flatMap((e) => e.addresses).slice(0, 4).join(", ")} the model cannot attribute to a pod${inMimirNs ? " in Mimir's namespace" : ""} on port(s) ${s.ports.map((p) => p.port ?? "?").join(", ")}: they may be Mimir's pods`, path: [`endpoints ${services.key(s.namespace, s.name)}`, `addresses ${opaque.flatMap((e) => e.addresses).slice(0, 4).join(", ")}`] });
    }
    if (toMimir || (opaque.length > 0 && inMimirNs && contractPorts.length > 0)) mimirSets.add(s);
  }

  for (const svc of k8s.services) {
    if (svc.selector !== undefined || svc.type === "ExternalName") continue;
    const key = services.key(svc.namespace, svc.name);
    const own = bySvc.get(key) ?? [];
    if (own.length === 0) {
      const inNs = scope.namespace !== undefined && scope.namespaceMatches(svc.namespace);
      if (inNs || (scope.namespace === undefined && svc.ports.some((p) => p.port !== undefined && scope.isContractPort(p.port)))) {
        g.unknown({ resource: svc.resource, reason: `Service ${svc.name} has no selector and its EndpointSlices / Endpoints are not in this stack: its endpoints (maybe Mimir's pods) are not visible`, path: [`Service ${key}:${svc.ports.map((p) => p.port ?? "?").join(",")}`, "endpoints not in this stack"] });
      }
      continue;
    }
    svc.ports.forEach((p, i) => {
      for (const s of own) {
        if (!mimirSets.has(s)) continue;
        for (const ep of s.ports) {
          if ((ep.name ?? "") !== (p.name ?? "") || ep.port === undefined) continue;
          g.edge({ from: `svcport:${key}:${i}`, to: scope.podsNode("*").id, out: ep.port, proto: p.protocol === "UDP" ? "udp" : "tcp", label: `${s.resource.address.replace(/_[0-9A-F]{8}\b/g, "")} endpoints → port ${ep.port}`, resource: s.resource });
        }
      }
    });
  }
}
