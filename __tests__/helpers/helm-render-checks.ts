import type { K8sObject } from "./helm";

/**
 * Reading a `helm template` render the way Kubernetes would: which pods a
 * selector picks, which container ports a Service targets, which ports a
 * NetworkPolicy admits to a pod and from whom. Pure functions over rendered
 * objects and our synthesized NetworkPolicies (Terraform JSON, snake_case).
 */

export interface RenderedPod {
  /** The workload (Deployment/StatefulSet/DaemonSet) that owns the pod template. */
  readonly owner: K8sObject;
  readonly labels: Record<string, string>;
  readonly containers: Array<{ name: string; image: string; ports: Array<{ name?: string; containerPort: number }>; readinessProbe?: any }>;
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

export function podsOf(objects: K8sObject[]): RenderedPod[] {
  return objects
    .filter((o) => WORKLOADS.has(o.kind))
    .map((o) => ({
      owner: o,
      labels: o.spec?.template?.metadata?.labels ?? {},
      containers: (o.spec?.template?.spec?.containers ?? []).map((c: any) => ({ name: c.name, image: String(c.image ?? ""), ports: c.ports ?? [], readinessProbe: c.readinessProbe })),
    }));
}

/** A label selector, in Kubernetes' API form or the kubernetes provider's snake_case form. */
export interface Selector {
  matchLabels?: Record<string, string>;
  match_labels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
  match_expressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export function selects(selector: Selector | Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const s = selector as Selector;
  const isSelectorShape = "matchLabels" in s || "match_labels" in s || "matchExpressions" in s || "match_expressions" in s;
  const matchLabels = isSelectorShape ? (s.matchLabels ?? s.match_labels ?? {}) : (selector as Record<string, string>);
  const expressions = isSelectorShape ? (s.matchExpressions ?? s.match_expressions ?? []) : [];
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return expressions.every((e) => {
    const has = e.key in labels;
    switch (e.operator) {
      case "In":
        return has && (e.values ?? []).includes(labels[e.key]);
      case "NotIn":
        return !has || !(e.values ?? []).includes(labels[e.key]);
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
      default:
        throw new Error(`unknown selector operator ${e.operator}`);
    }
  });
}

/** Every problem with a Service's target ports: a name or number no selected pod's container declares. */
export function serviceTargetProblems(service: { name: string; selector?: Record<string, string>; ports: Array<{ name?: string; port: number; targetPort?: string | number }> }, pods: RenderedPod[]): string[] {
  if (!service.selector || Object.keys(service.selector).length === 0) return [];
  const selected = pods.filter((p) => selects(service.selector, p.labels));
  if (selected.length === 0) return [`Service ${service.name} selects no rendered pod (selector ${JSON.stringify(service.selector)})`];
  const problems: string[] = [];
  for (const port of service.ports) {
    const target = port.targetPort ?? port.port;
    for (const pod of selected) {
      const ports = pod.containers.flatMap((c) => c.ports);
      const ok = typeof target === "number" || /^\d+$/.test(String(target)) ? ports.some((p) => p.containerPort === Number(target)) : ports.some((p) => p.name === target);
      if (!ok) problems.push(`Service ${service.name} port ${port.name ?? port.port} targets ${target}, which ${pod.owner.kind} ${pod.owner.metadata.name}'s containers do not declare`);
    }
  }
  return problems;
}

/** Our NetworkPolicy as synthesized (kubernetes_network_policy_v1, snake_case). */
export interface SynthPolicy {
  metadata: { name: string };
  spec: { pod_selector: Selector; policy_types: string[]; ingress?: Array<{ from?: Array<Record<string, any>>; ports?: Array<{ port: string; protocol: string }> }> };
}

/** A peer that may send traffic: its namespace's labels and its pod labels. */
export interface Peer {
  readonly namespaceLabels: Record<string, string>;
  readonly podLabels: Record<string, string>;
}

function peerMatches(from: Record<string, any>, peer: Peer, policyNamespace: Record<string, string>): boolean {
  if (from.ip_block) return false;
  const nsOk = from.namespace_selector ? selects(from.namespace_selector, peer.namespaceLabels) : selects({}, peer.namespaceLabels) && sameNamespace(peer.namespaceLabels, policyNamespace);
  const podOk = from.pod_selector ? selects(from.pod_selector, peer.podLabels) : true;
  return nsOk && podOk;
}

const sameNamespace = (a: Record<string, string>, b: Record<string, string>) => a["kubernetes.io/metadata.name"] === b["kubernetes.io/metadata.name"];

/** Whether our policies admit `peer` to a pod with `podLabels` (in `namespace`) on TCP `port`. */
export function admits(policies: SynthPolicy[], namespace: string, podLabels: Record<string, string>, peer: Peer, port: number): boolean {
  const ns = { "kubernetes.io/metadata.name": namespace };
  return policies
    .filter((p) => p.spec.policy_types.includes("Ingress") && selects(p.spec.pod_selector, podLabels))
    .some((p) => (p.spec.ingress ?? []).some((rule) => (rule.ports ?? []).some((x) => Number(x.port) === port && x.protocol === "TCP") && (rule.from ?? []).some((f) => peerMatches(f, peer, ns))));
}

/** Whether some Ingress policy selects the pod (so it is deny-by-default). */
export function isolated(policies: SynthPolicy[], podLabels: Record<string, string>): boolean {
  return policies.some((p) => p.spec.policy_types.includes("Ingress") && selects(p.spec.pod_selector, podLabels));
}
