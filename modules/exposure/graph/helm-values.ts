/**
 * A helm_release's values the way helm computes them: every `values`
 * document merged in order (YAML anchors, aliases and `<<` merge keys
 * resolved), then `set`, `set_list` and `set_sensitive` applied on top.
 */
import { parseAllDocuments } from "yaml";
import { deepMerge, isPlainObject } from "../../shared/objects";
import type { StackDocument, TfResource } from "../terraform-json";
import { unescapeTemplate } from "../terraform-template";
import { list, strings } from "../readers/json";

export interface ResolvedValues {
  readonly values: Record<string, unknown>;
  /** What could not be read, with the reason. */
  readonly unknown: string[];
}

/** `a.b\.c[0].d` → ["a", "b.c", 0, "d"] (helm's --set key syntax). */
export function setKeyPath(name: string): Array<string | number> {
  const out: Array<string | number> = [];
  let cur = "";
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === "\\" && i + 1 < name.length) {
      cur += name[++i];
    } else if (c === ".") {
      if (cur !== "") out.push(cur);
      cur = "";
    } else if (c === "[") {
      const end = name.indexOf("]", i);
      if (cur !== "") out.push(cur);
      cur = "";
      out.push(Number(name.slice(i + 1, end)));
      i = end;
    } else cur += c;
  }
  if (cur !== "") out.push(cur);
  return out;
}

/** helm --set value typing: ints, bools, null; `{a,b}` a list; type=string keeps text. */
function typed(value: unknown, type: unknown): unknown {
  if (typeof value !== "string" || type === "string") return value;
  if (/^-?\d+$/.test(value)) return Number(value);
  if (value === "true") return true;
  if (value === "false") return false;
  if (value === "null") return null;
  if (/^\{.*\}$/.test(value)) return value.slice(1, -1).split(",").map((x) => typed(x, undefined));
  return value;
}

function setAt(root: Record<string, unknown>, path: Array<string | number>, value: unknown): void {
  let cur: any = root;
  path.forEach((k, i) => {
    const last = i === path.length - 1;
    if (last) {
      cur[k] = value;
      return;
    }
    const nextIsIndex = typeof path[i + 1] === "number";
    if (cur[k] === undefined || cur[k] === null || typeof cur[k] !== "object") cur[k] = nextIsIndex ? [] : {};
    cur = cur[k];
  });
}

const isTokenText = (raw: string) => /(^|[^$])\$\{/.test(raw);

export function resolveHelmValues(r: TfResource, format: StackDocument["format"]): ResolvedValues {
  const v = r.values;
  let values: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const raw of strings(v.values)) {
    if (/^\$\{[^}]*\}$/.test(raw.trim()) || (format === "cdktf" && /^\$\{/.test(raw.trim()) && isTokenText(raw))) {
      unknown.push(`values ${raw} are not known until apply`);
      continue;
    }
    const text = format === "cdktf" ? unescapeTemplate(raw) : raw;
    try {
      for (const doc of parseAllDocuments(text, { merge: true })) {
        if (doc.errors.length > 0) throw doc.errors[0];
        const parsed = doc.toJS({ maxAliasCount: 10000 });
        if (isPlainObject(parsed)) values = deepMerge(values, parsed) as Record<string, unknown>;
      }
    } catch (err) {
      unknown.push(`values document is not readable YAML (${String((err as Error).message).split("\n")[0]})`);
    }
  }
  const sets: Array<Record<string, any>> = [...list(v.set).map((s) => ({ ...s, kind: "set" })), ...list(v.set_sensitive).map((s) => ({ ...s, kind: "set_sensitive" })), ...list(v.set_list).map((s) => ({ ...s, kind: "set_list" }))];
  for (const s of sets) {
    const name = String(s.name ?? "");
    const raw = s.value;
    if (typeof raw === "string" && format === "cdktf" && isTokenText(raw)) {
      unknown.push(`${s.kind} ${name} = ${raw} is not known until apply`);
      continue;
    }
    if (raw === undefined || raw === null) {
      if (s.kind !== "set_list") unknown.push(`${s.kind} ${name} has no known value`);
      continue;
    }
    const value = s.kind === "set_list" ? (Array.isArray(raw) ? raw.map((x) => typed(x, undefined)) : typed(raw, undefined)) : typed(format === "cdktf" && typeof raw === "string" ? unescapeTemplate(raw) : raw, s.type);
    setAt(values, setKeyPath(name), value);
  }
  return { values, unknown };
}
