/**
 * Escape-hatch overrides the user's code wrote on a resource, as MimirStack
 * records them in the synthesized JSON (`"//".metadata.overrides`: the
 * override path and the line of the `addOverride` call; see
 * modules/stack/construct-origin). A finding on such a resource names them:
 * the override, not the resource's creation, is what to change.
 */
import type { TfResource } from "../exposure/terraform-json";

export interface RecordedOverride {
  /** The override path, e.g. `ingress.0.cidr_blocks`. */
  readonly path: string;
  /** `main.ts:40`: the line that called addOverride, when it can be told. */
  readonly source?: string;
}

export function overridesOf(resource: TfResource | undefined): RecordedOverride[] {
  const list = (resource?.values["//"] as { metadata?: { overrides?: unknown } } | undefined)?.metadata?.overrides;
  if (!Array.isArray(list)) return [];
  return list.flatMap((o) => (o && typeof o === "object" && typeof (o as RecordedOverride).path === "string" ? [{ path: (o as RecordedOverride).path, ...(typeof (o as RecordedOverride).source === "string" ? { source: (o as RecordedOverride).source } : {}) }] : []));
}

/** `addOverride("ingress.0.cidr_blocks", …) at main.ts:40`, each override once. */
export function describeOverrides(overrides: readonly RecordedOverride[]): string {
  return overrides.map((o) => `addOverride(${JSON.stringify(o.path)}, …)${o.source ? ` at ${o.source}` : ""}`).join(", ");
}
