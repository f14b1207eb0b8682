/**
 * Small readers over provider JSON. Nested blocks are objects in synthesized
 * cdktf JSON and one-element lists in plans; these accept both.
 */
import { isPlainObject } from "../../shared/objects";

export const first = (v: unknown): Record<string, any> | undefined => (Array.isArray(v) ? (isPlainObject(v[0]) ? v[0] : undefined) : isPlainObject(v) ? v : undefined);
export const list = (v: unknown): Array<Record<string, any>> => (Array.isArray(v) ? v.filter(isPlainObject) : isPlainObject(v) ? [v] : []);
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []);
export const num = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : undefined);
export const labels = (v: unknown): Record<string, string> => (isPlainObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, String(x)])) : {});

/** `${aws_security_group.x.id}` → `aws_security_group.x`; literal ids stay as they are. */
export function refOf(value: unknown): string {
  const s = String(value ?? "");
  const m = /^\$\{((?:module\.[^.}]+\.)*[a-z0-9_]+\.[^.}]+)(?:\.[a-z_]+)?(?:\[[^\]]*\])?\}$/.exec(s);
  return m ? m[1] : s;
}

