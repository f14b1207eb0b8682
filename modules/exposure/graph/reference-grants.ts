/**
 * Gateway API ReferenceGrant (gateway.networking.k8s.io, apis/v1beta1/referencegrant_types.go): a route's
 * backendRef to a Service in another namespace works only when a ReferenceGrant in the Service's namespace lists
 * the route in `from` (group, kind, namespace) and the Service in `to` (group "" core, kind Service, and `name`
 * when set). Without one the implementation refuses the reference (RefNotPermitted): the backend is never
 * reached, so it is no way in. With one it is a way in like any route.
 */
import { first, list } from "../readers/json";
import type { K8sMeta } from "./k8s-objects";

const GATEWAY_GROUP = "gateway.networking.k8s.io";

export interface ReferenceGrant {
  readonly name: string;
  readonly namespace?: string;
  readonly from: ReadonlyArray<{ readonly group: string; readonly kind: string; readonly namespace: string }>;
  readonly to: ReadonlyArray<{ readonly group: string; readonly kind: string; readonly name?: string }>;
}

export function readReferenceGrants(others: readonly K8sMeta[]): ReferenceGrant[] {
  const out: ReferenceGrant[] = [];
  for (const m of others) {
    if (m.kind !== "ReferenceGrant") continue;
    const manifest = first(m.resource.values.manifest);
    if (!manifest || typeof manifest.apiVersion !== "string" || !manifest.apiVersion.startsWith(`${GATEWAY_GROUP}/`)) continue;
    const spec = first(manifest.spec) ?? {};
    out.push({
      name: m.name,
      namespace: m.namespace,
      from: list(spec.from).map((f) => ({ group: String(f.group ?? ""), kind: String(f.kind ?? ""), namespace: String(f.namespace ?? "") })),
      to: list(spec.to).map((t) => ({ group: String(t.group ?? ""), kind: String(t.kind ?? ""), ...(typeof t.name === "string" ? { name: t.name } : {}) })),
    });
  }
  return out;
}

/**
 * May a route of `kind` in namespace `fromNs` reference Service `name` in namespace `toNs`? The same namespace
 * always may; a namespace the model cannot resolve may (unknown is never safe); another needs a grant.
 */
export function referencePermitted(grants: readonly ReferenceGrant[], resolveNs: (v: string | undefined) => string | undefined, kind: string, fromNs: string | undefined, toNs: string | undefined, name: string): boolean {
  if (fromNs === undefined || toNs === undefined || fromNs === toNs) return true;
  return grants.some(
    (g) =>
      resolveNs(g.namespace ?? "default") === toNs &&
      g.from.some((f) => f.group === GATEWAY_GROUP && f.kind === kind && resolveNs(f.namespace) === fromNs) &&
      g.to.some((t) => t.group === "" && t.kind === "Service" && (t.name === undefined || t.name === name)),
  );
}
