/**
 * "Did you mean": the settings a zod schema knows at a path, and the one
 * nearest a misspelt key (edit distance, case ignored).
 */
import type { z } from "zod/v3";

type Def = { typeName?: string; innerType?: z.ZodTypeAny; schema?: z.ZodTypeAny; type?: z.ZodTypeAny; in?: z.ZodTypeAny; options?: z.ZodTypeAny[] | Map<unknown, z.ZodTypeAny>; left?: z.ZodTypeAny; right?: z.ZodTypeAny; valueType?: z.ZodTypeAny; getter?: () => z.ZodTypeAny; shape?: () => Record<string, z.ZodTypeAny> };

/** The object schemas a (wrapped, unioned) schema may be. */
function objectsOf(schema: z.ZodTypeAny | undefined, depth = 0): z.ZodTypeAny[] {
  if (!schema || depth > 20) return [];
  const def = schema._def as Def;
  switch (def.typeName) {
    case "ZodObject":
      return [schema];
    case "ZodOptional":
    case "ZodNullable":
    case "ZodDefault":
    case "ZodCatch":
    case "ZodReadonly":
      return objectsOf(def.innerType, depth + 1);
    case "ZodEffects":
      return objectsOf(def.schema, depth + 1);
    case "ZodBranded":
      return objectsOf(def.type, depth + 1);
    case "ZodPipeline":
      return objectsOf(def.in, depth + 1);
    case "ZodLazy":
      return objectsOf(def.getter?.(), depth + 1);
    case "ZodUnion":
    case "ZodDiscriminatedUnion":
      return [...(def.options instanceof Map ? def.options.values() : (def.options ?? []))].flatMap((o) => objectsOf(o, depth + 1));
    case "ZodIntersection":
      return [...objectsOf(def.left, depth + 1), ...objectsOf(def.right, depth + 1)];
    default:
      return [];
  }
}

/** What an array, record or wrapper holds (one step into a path segment that is not an object key). */
function elementsOf(schema: z.ZodTypeAny | undefined, depth = 0): z.ZodTypeAny[] {
  if (!schema || depth > 20) return [];
  const def = schema._def as Def;
  if (def.typeName === "ZodArray") return [def.type!];
  if (def.typeName === "ZodRecord") return [def.valueType!];
  if (["ZodOptional", "ZodNullable", "ZodDefault", "ZodCatch", "ZodReadonly"].includes(def.typeName ?? "")) return elementsOf(def.innerType, depth + 1);
  if (def.typeName === "ZodEffects") return elementsOf(def.schema, depth + 1);
  if (def.typeName === "ZodUnion") return ((def.options as z.ZodTypeAny[]) ?? []).flatMap((o) => elementsOf(o, depth + 1));
  return [];
}

/** Every key the schema knows for the object at `path` (object keys and array indexes, as zod reports them). */
export function knownKeysAt(schema: z.ZodTypeAny, path: readonly PropertyKey[]): string[] {
  let current: z.ZodTypeAny[] = [schema];
  for (const step of path) {
    current = current.flatMap((s) => {
      const shapes = objectsOf(s).map((o) => (o as z.AnyZodObject).shape as Record<string, z.ZodTypeAny>);
      const byKey = typeof step === "string" ? shapes.flatMap((shape) => (shape[step] ? [shape[step]] : [])) : [];
      return byKey.length ? byKey : elementsOf(s);
    });
  }
  return [...new Set(current.flatMap((s) => objectsOf(s).flatMap((o) => Object.keys((o as z.AnyZodObject).shape))))].sort();
}

/** Edit distance (insert, delete, substitute, swap two neighbours; each 1: optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known key nearest `key` (case ignored), when it is close enough to be a misspelling: at most a third of its length, and 3. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = editDistance(k, name.toLowerCase());
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.min(3, Math.max(1, Math.floor(key.length / 3))) ? best.name : undefined;
}
