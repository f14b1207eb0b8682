/** Helm releases and their merged values (Helm merges multiple values documents in order). */
import { parseAllDocuments } from "yaml";
import { deepMerge, isPlainObject } from "../../shared/objects";
import type { StackDocument, TfResource } from "../terraform-json";
import { unescapeTemplate } from "../terraform-template";
import { strings } from "./json";

export interface HelmRelease {
  readonly resource: TfResource;
  readonly name: string;
  readonly chart: string;
  readonly namespace?: string;
  /** Values merged in order; undefined when not readable (e.g. computed). */
  readonly values?: Record<string, unknown>;
}


export function helmReleaseOf(r: TfResource, format: StackDocument["format"]): HelmRelease {
  const v = r.values;
  let values: Record<string, unknown> | undefined = {};
  for (const raw of strings(v.values)) {
    const text = format === "cdktf" ? unescapeTemplate(raw) : raw;
    try {
      for (const doc of parseAllDocuments(text)) {
        const parsed = doc.toJS();
        if (isPlainObject(parsed)) values = deepMerge(values ?? {}, parsed);
      }
    } catch {
      values = undefined;
      break;
    }
  }
  return { resource: r, name: String(v.name ?? r.name), chart: String(v.chart ?? ""), namespace: v.namespace, values };
}
