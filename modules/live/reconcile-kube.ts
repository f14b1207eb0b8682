/**
 * Kubernetes live objects against the stack: declared (a resource of the stack, or made by one: the chart
 * release's objects, Envoy Gateway's data plane of a declared Gateway), drift (declared, live differs), or
 * out-of-band (added to the model as it is).
 */
import { COMPONENTS } from "../config/components";
import type { TfResource } from "../exposure/terraform-json";
import { readK8s, type K8sMeta, type K8sObjects } from "../exposure/graph/k8s-objects";
import { first } from "../exposure/readers/json";
import { CONTEXT_KINDS, kubeResource, ownedByController, type LiveResource } from "./kube-resources";
import type { ApiObject } from "./live-state";
import { declaredIn, type Provenance } from "./provenance";

export interface StackKube {
  /** kind|namespace|name → the stack's resource. */
  readonly byKey: Map<string, { meta: K8sMeta; k8s: K8sObjects }>;
  readonly release?: { name: string; namespace: string };
  readonly gateways: Set<string>;
}

const key = (kind: string, ns: string | undefined, name: string) => `${kind}|${ns ?? ""}|${name}`;
const CLUSTER_SCOPED = new Set(["Namespace", "Node", "ClusterRole", "ClusterRoleBinding"]);

export function stackKube(resources: readonly TfResource[]): StackKube {
  const names = new Map<string, string>();
  for (const r of resources) if (r.type === "kubernetes_namespace_v1" || r.type === "kubernetes_namespace") names.set(r.address, String(first(r.values.metadata)?.name ?? r.name));
  const resolve = (ns: string | undefined) => {
    const m = ns === undefined ? undefined : /^\$\{([a-z0-9_]+\.[^.}]+)/.exec(ns);
    return m ? names.get(m[1]) : ns;
  };
  const byKey = new Map<string, { meta: K8sMeta; k8s: K8sObjects }>();
  const gateways = new Set<string>();
  for (const r of resources) {
    const k8s = readK8s([r]);
    for (const meta of [...k8s.services, ...k8s.workloads, ...k8s.routes, ...k8s.gateways, ...k8s.policies, ...k8s.bindings, ...k8s.sgPolicies, ...k8s.other]) {
      const ns = CLUSTER_SCOPED.has(meta.kind) ? undefined : (resolve(meta.namespace) ?? "default");
      byKey.set(key(meta.kind, ns, meta.name), { meta, k8s });
      if (meta.kind === "Gateway") gateways.add(`${ns}/${meta.name}`);
    }
  }
  const chart = resources.find((r) => r.type === "helm_release" && /mimir/.test(`${String(r.values.chart ?? "")} ${String(r.values.repository ?? "")}`));
  const release = chart ? { name: String(chart.values.name ?? chart.name), namespace: resolve(chart.values.namespace as string | undefined) ?? "default" } : undefined;
  return { byKey, release, gateways };
}

/** The security-relevant reading of one object (what the graph reads), for comparing a typed resource with its live object. */
function reading(k8s: K8sObjects): unknown {
  const strip = (o: object) => Object.fromEntries(Object.entries(o).filter(([k]) => !["resource", "name", "namespace", "labels", "kind"].includes(k)).map(([k, v]) => [k, k === "ports" && Array.isArray(v) ? v.map((p) => ({ ...p, raw: undefined })) : v]));
  return [...k8s.services, ...k8s.workloads, ...k8s.routes, ...k8s.gateways, ...k8s.policies, ...k8s.bindings, ...k8s.sgPolicies].map(strip);
}

function drifted(stack: { meta: K8sMeta; k8s: K8sObjects }, live: LiveResource): string | undefined {
  const r = stack.meta.resource;
  if (r.type === "kubernetes_manifest") {
    const want = first(r.values.manifest)?.spec;
    const have = (live.resource.values.manifest as ApiObject).spec;
    if (want !== undefined && !declaredIn(want, have)) return `its spec differs from ${r.address}`;
    return undefined;
  }
  const want = JSON.stringify(reading(stack.k8s));
  const have = JSON.stringify(reading(readK8s([live.resource])));
  return want === have ? undefined : `its spec differs from ${r.address}`;
}

/** Made by a declared thing: the chart release's objects, Envoy Gateway's data plane for a declared Gateway. */
function madeByDeclared(o: ApiObject, s: StackKube): boolean {
  const ann: Record<string, string> = o.metadata?.annotations ?? {};
  const labels: Record<string, string> = o.metadata?.labels ?? {};
  const ns = o.metadata?.namespace;
  if (s.release && ns === s.release.namespace) {
    if (ann["meta.helm.sh/release-name"] === s.release.name) return true;
    if (labels["app.kubernetes.io/instance"] === s.release.name && labels["app.kubernetes.io/name"] === "mimir" && o.kind === "Pod") return true;
  }
  return madeByGateway(o, s.gateways);
}

/** Envoy Gateway's data plane of one of these Gateways (`namespace/name`), by its owning-gateway labels. */
function madeByGateway(o: ApiObject, gateways: ReadonlySet<string>): boolean {
  const labels: Record<string, string> = o.metadata?.labels ?? {};
  const gw = labels["gateway.envoyproxy.io/owning-gateway-name"];
  return gw !== undefined && gateways.has(`${labels["gateway.envoyproxy.io/owning-gateway-namespace"]}/${gw}`);
}

/** A chart Service that faces outside (the chart renders ClusterIP Services only), in live terms. */
function chartDrift(o: ApiObject): string | undefined {
  if (o.kind !== "Service") return undefined;
  const type = String(o.spec?.type ?? "ClusterIP");
  const external: unknown[] = Array.isArray(o.spec?.externalIPs) ? o.spec.externalIPs : [];
  if (type !== "ClusterIP") return `made by the Helm release as ClusterIP, live it is ${type}`;
  if (external.length > 0) return `made by the Helm release without external IPs, live it has ${external.join(", ")}`;
  return undefined;
}

/** Mimir's own pods (the contract's ports are theirs), not the chart's neighbours (rollout-operator, memcached and its exporter). */
const isMimirComponent = (labels: Record<string, unknown> | undefined) => labels?.["app.kubernetes.io/name"] === "mimir" && (COMPONENTS as readonly unknown[]).includes(labels["app.kubernetes.io/component"]);

/** Chart workloads whose named ports moved away from the contract (a Helm upgrade or an edit moved a port). */
export function movedChartPorts(objects: readonly ApiObject[], s: StackKube | undefined, ports: Readonly<Record<string, number>>): Array<{ identity: string; name: string; live: number; want: number }> {
  if (!s?.release) return [];
  const out: Array<{ identity: string; name: string; live: number; want: number }> = [];
  for (const o of objects) {
    if (!["Deployment", "StatefulSet", "DaemonSet"].includes(String(o.kind)) || !madeByDeclared(o, s) || !isMimirComponent(o.spec?.template?.metadata?.labels)) continue;
    for (const c of o.spec?.template?.spec?.containers ?? []) {
      for (const p of c.ports ?? []) {
        const want = ports[String(p.name)];
        if (want !== undefined && p.containerPort !== want) out.push({ identity: `${String(o.kind)} ${String(o.metadata?.namespace)}/${String(o.metadata?.name)}`, name: String(p.name), live: Number(p.containerPort), want });
      }
    }
  }
  return out;
}

export interface KubeOutcome {
  readonly added: LiveResource[];
  /** Stack address → the live resource that replaces it (drift). */
  readonly replaced: Map<string, LiveResource>;
  readonly provenance: Map<string, Provenance>;
}

export function reconcileKube(objects: readonly ApiObject[], s: StackKube | undefined): KubeOutcome {
  const out: KubeOutcome = { added: [], replaced: new Map(), provenance: new Map() };
  // Without a stack, the Gateways are the live ones: their implementation's data plane is theirs, as a declared
  // Gateway's is with one (by Envoy Gateway's owning-gateway labels: docs/verify.md, what verify cannot prove).
  const liveGateways = new Set(objects.filter((o) => o.kind === "Gateway").map((o) => `${String(o.metadata?.namespace)}/${String(o.metadata?.name)}`));
  for (const o of objects) {
    if (CONTEXT_KINDS.has(String(o.kind)) || ownedByController(o)) continue;
    const live = kubeResource(o);
    if (!s && madeByGateway(o, liveGateways)) continue;
    if (!s) {
      out.added.push(live);
      out.provenance.set(live.resource.address, { status: "live", identity: live.identity, notes: [] });
      continue;
    }
    const declared = s.byKey.get(key(String(o.kind), o.metadata?.namespace, String(o.metadata?.name)));
    if (declared) {
      const why = drifted(declared, live);
      if (why) {
        const address = declared.meta.resource.address;
        out.replaced.set(address, live);
        out.provenance.set(address, { status: "drift", identity: live.identity, notes: [why] });
      }
      continue;
    }
    if (madeByDeclared(o, s)) {
      // The chart's own objects: read as the release renders them, unless one was changed to face outside.
      const why = chartDrift(o);
      if (why) {
        out.added.push(live);
        out.provenance.set(live.resource.address, { status: "drift", identity: live.identity, notes: [why] });
      }
      continue;
    }
    out.added.push(live);
    out.provenance.set(live.resource.address, { status: "out-of-band", identity: live.identity, notes: [] });
  }
  return out;
}
