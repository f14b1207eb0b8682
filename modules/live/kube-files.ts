/** `--kube FILE`: the output of `kubectl get <kinds> -A -o json`, a `List` (or one object) in the API's own JSON. */
import { existsSync } from "node:fs";
import { isPlainObject } from "../shared/objects";
import { InputError } from "../exposure/terraform-json";
import type { ApiObject, Missing } from "./live-state";
import { readJson as readJsonFile } from "../exposure/load";

const WHAT = "the JSON of `kubectl get <kinds> -A -o json` (a List with items)";
export const KUBE_SHOWS = "Kubernetes objects (Services, workloads, NetworkPolicies, Ingresses, Gateway API routes, Envoy Gateway policies, SecurityGroupPolicies, TargetGroupBindings)";

export function readKubeFiles(files: readonly string[]): { objects: ApiObject[]; missing: Missing[] } {
  const objects: ApiObject[] = [];
  const missing: Missing[] = [];
  for (const file of files) {
    if (!existsSync(file)) {
      missing.push({ source: `--kube ${file}`, shows: KUBE_SHOWS });
      continue;
    }
    objects.push(...itemsOf(readJsonFile(file, WHAT), file));
  }
  return { objects, missing };
}

/** The objects of a List (kind `List` or `<Kind>List`), or the one object given. */
export function itemsOf(json: unknown, source: string): ApiObject[] {
  if (!isPlainObject(json)) throw new InputError(`${source}: not a JSON object; expected ${WHAT}`);
  const kind = String(json.kind ?? "");
  if (Array.isArray(json.items) && (kind === "List" || kind.endsWith("List"))) {
    const itemKind = kind.endsWith("List") && kind !== "List" ? kind.slice(0, -4) : undefined;
    const apiVersion = typeof json.apiVersion === "string" && json.apiVersion !== "v1" ? json.apiVersion : undefined;
    const items = json.items.map((o: unknown, i: number) => {
      const item = isPlainObject(o) ? { ...o, kind: o.kind ?? itemKind, apiVersion: o.apiVersion ?? apiVersion } : o;
      // An item verify cannot read is reported, never dropped: what it would have shown is unknown.
      if (!isPlainObject(item) || typeof item.kind !== "string" || item.kind === "" || !isPlainObject(item.metadata) || typeof item.metadata.name !== "string") {
        throw new InputError(`${source}: items[${i}] is not a Kubernetes object (it needs kind and metadata.name; got ${JSON.stringify(o)?.slice(0, 120)}); expected ${WHAT}, unedited`);
      }
      return item;
    });
    return items;
  }
  if (typeof json.kind === "string" && isPlainObject(json.metadata)) return [json];
  throw new InputError(`${source}: neither a List nor a Kubernetes object (kind ${JSON.stringify(json.kind ?? null)}); expected ${WHAT}`);
}
