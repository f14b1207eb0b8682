/**
 * Objects Mimir's chart renders from its values (issue 30, item 1): mimir-distributed renders every entry of
 * `extraObjects` (templates/extra-manifests.yaml: `tpl` of a string entry, or of an object entry as YAML) into the
 * release. An object entry is read as a manifest in the release's namespace, so a workload there wearing Mimir's
 * labels impersonates Mimir, and a Service or policy there counts, like one the stack declares. A string entry, or
 * an object carrying a template (`{{ … }}`), renders only at install: MP015.
 */
import { isPlainObject } from "../../shared/objects";
import type { TfResource } from "../terraform-json";

export interface ChartObjects {
  /** Object entries as `kubernetes_manifest`-shaped resources (address: `<release> values extraObjects[i]`). */
  readonly manifests: TfResource[];
  readonly unknown: Array<{ readonly resource: TfResource; readonly reason: string; readonly path: string[] }>;
}

const EXTRA_OBJECTS = "extraObjects";

const templated = (v: unknown): boolean =>
  typeof v === "string" ? v.includes("{{") : Array.isArray(v) ? v.some(templated) : isPlainObject(v) ? Object.entries(v).some(([k, x]) => k.includes("{{") || templated(x)) : false;

export function chartExtraObjects(h: TfResource, values: Record<string, unknown>): ChartObjects {
  const out: ChartObjects = { manifests: [], unknown: [] };
  const entries = values[EXTRA_OBJECTS];
  if (!Array.isArray(entries)) return out;
  const namespace = String(h.values.namespace ?? "default");
  entries.forEach((o, i) => {
    const at = `${h.address} values ${EXTRA_OBJECTS}[${i}]`;
    if (!isPlainObject(o) || templated(o)) {
      out.unknown.push({ resource: h, reason: `chart values ${EXTRA_OBJECTS}[${i}] is ${isPlainObject(o) ? "an object with a template" : "a template string"} the chart renders at install: what it creates (a workload wearing Mimir's labels, a Service, a policy) is not visible`, path: [at] });
      return;
    }
    const meta = isPlainObject(o.metadata) ? o.metadata : {};
    out.manifests.push({ address: at, type: "kubernetes_manifest", name: h.name, values: { manifest: { ...o, metadata: { ...meta, namespace: meta.namespace ?? namespace } } }, ...(h.constructPath ? { constructPath: h.constructPath } : {}) });
  });
  return out;
}
