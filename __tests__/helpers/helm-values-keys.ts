import { isPlainObject } from "../../modules/shared/objects";

/**
 * Keys of `ours` that the chart's values.yaml does not declare, as dotted
 * paths. A key the chart does not know is silently ignored by helm, so a
 * value meant for another chart version would do nothing. We descend only
 * where the chart declares a non-empty map: an empty map (`{}`) or null is a
 * free-form slot (annotations, extraArgs, `mimir.structuredConfig`, which is
 * Mimir's own configuration), where any key is valid.
 */
export function unknownValueKeys(ours: unknown, chart: unknown, path: string[] = []): string[] {
  if (!isPlainObject(ours) || !isPlainObject(chart)) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(ours)) {
    if (!(key in chart)) {
      found.push([...path, key].join("."));
      continue;
    }
    const declared = chart[key];
    if (isPlainObject(declared) && Object.keys(declared).length > 0) found.push(...unknownValueKeys(value, declared, [...path, key]));
  }
  return found;
}
