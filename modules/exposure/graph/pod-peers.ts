/**
 * NetworkPolicy peers read as the pods they admit, for the interior sources:
 * a peer admits "a pod in another namespace" only with `namespaceSelector: {}`
 * (whatever `podSelector` it adds: anyone can label a pod), "a pod in Mimir's
 * namespace that is not Mimir's" with a namespace-wide pod selector, every pod
 * of a named namespace when it names a namespace without pods, and named pods
 * when it names pod labels. ipBlock peers admit addresses, not pods.
 */
import type { KNetworkPolicy, KPolicyPeer, Labels } from "./k8s-objects";
import type { MimirScope } from "./mimir-scope";

/** Who a peer admits: a generic class, or pods a policy names (key is stable across policies). */
export type PodClass =
  | { readonly kind: "other-namespace" }
  | { readonly kind: "own-namespace" }
  | { readonly kind: "namespace"; readonly key: string; readonly label: string }
  | { readonly kind: "named"; readonly key: string; readonly label: string; readonly untrusted?: boolean };

export const METADATA_NAME = "kubernetes.io/metadata.name";
const labelText = (l: Labels) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(",");
const isEmpty = (l: Labels | undefined) => l === undefined || Object.keys(l).length === 0;

/** Does the policy restrict ingress to the pods it selects (Ingress in policyTypes, or no types with ingress rules)? */
export function restrictsIngress(p: KNetworkPolicy): boolean {
  return p.policyTypes.length === 0 || p.policyTypes.includes("Ingress");
}

/** A peer described for a path element. */
export function peerText(f: KPolicyPeer): string {
  if (f.ipBlock !== undefined) return `ipBlock ${f.ipBlock}`;
  const ns = f.namespaceSelector === undefined ? "" : isEmpty(f.namespaceSelector) ? "namespaceSelector: {}" : `namespaceSelector ${labelText(f.namespaceSelector)}`;
  const pods = f.podSelector === undefined ? "" : isEmpty(f.podSelector) ? "podSelector: {}" : `podSelector ${labelText(f.podSelector)}`;
  return [ns, pods].filter(Boolean).join(" + ") || "{}";
}

/** The pod classes a peer of a policy in namespace `policyNs` admits. */
export function podClassesOf(f: KPolicyPeer, policyNs: string | undefined, scope: MimirScope): PodClass[] {
  if (f.ipBlock !== undefined) return [];
  const ns = f.namespaceSelector;
  if (ns !== undefined && isEmpty(ns)) return [{ kind: "other-namespace" }, { kind: "own-namespace" }];
  const named = ns?.[METADATA_NAME];
  const inMimirNs = ns === undefined ? scope.namespaceMatches(policyNs) : named !== undefined && scope.namespace !== undefined && named === scope.namespace;
  if (inMimirNs) {
    if (isEmpty(f.podSelector)) return [{ kind: "own-namespace" }];
    const whereNs = ns === undefined ? policyNs : named;
    if (scope.selects(whereNs, f.podSelector!) !== undefined) return []; // Mimir's own pods
    return [{ kind: "named", key: `${scope.namespace ?? "?"}|${labelText(f.podSelector!)}`, label: `pods ${labelText(f.podSelector!)} in namespace ${scope.namespace ?? policyNs ?? "default"} (not Mimir's)` }];
  }
  if (ns === undefined) {
    // The policy's own namespace is not Mimir's (a policy that selects Mimir's pods lives in Mimir's namespace).
    return isEmpty(f.podSelector) ? [{ kind: "namespace", key: `ns:${policyNs ?? "default"}`, label: `every pod in namespace ${policyNs ?? "default"}` }] : [{ kind: "named", key: `${policyNs}|${labelText(f.podSelector!)}`, label: `pods ${labelText(f.podSelector!)} in namespace ${policyNs ?? "default"}` }];
  }
  const where = named !== undefined ? `namespace ${named}` : `namespaces labelled ${labelText(ns)}`;
  if (isEmpty(f.podSelector)) return [{ kind: "namespace", key: `ns:${labelText(ns)}`, label: `every pod in ${where}` }];
  return [{ kind: "named", key: `${labelText(ns)}|${labelText(f.podSelector!)}`, label: `pods ${labelText(f.podSelector!)} in ${where}` }];
}

/** The keys of the class "every pod in namespace <ns>": a peer naming the namespace by policy location or by its metadata.name label. */
export function wholeNamespaceKeys(ns: string): string[] {
  return [`ns:${ns}`, `ns:${labelText({ [METADATA_NAME]: ns })}`];
}

/** The ports a NetworkPolicy rule admits among `ports` (numbers), by number, name or range; TCP only. */
export function rulePorts(rule: KNetworkPolicy["ingress"][number], ports: readonly number[], byName: (name: string) => number | undefined): number[] {
  if (rule.ports.length === 0) return [...ports];
  return ports.filter((n) =>
    rule.ports.some((rp) => {
      if (rp.protocol === "UDP" || rp.protocol === "SCTP") return false;
      if (rp.port === undefined) return true;
      const at = typeof rp.port === "number" ? rp.port : byName(rp.port);
      if (at === undefined) return false;
      return rp.endPort !== undefined ? n >= at && n <= rp.endPort : n === at;
    }),
  );
}
