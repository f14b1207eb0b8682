/**
 * Where in the user's source a finding comes from, for code scanning: the
 * construct's file and line from cdktf's stack-trace metadata when the app
 * records it (`//`.metadata.stackTrace), else the app's entry file (from
 * cdktf.json, default main.ts) at the environment's definition. Never the
 * gitignored cdktf.out.
 */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { TfResource } from "../exposure/terraform-json";

export interface SourceLocation {
  readonly uri: string;
  readonly line?: number;
}

/** `at fn (/abs/file.ts:12:5)`, `at /abs/file.ts:12:5`, `file:///abs/file.ts:12:5` → file and line. */
function frameOf(frame: string): { file: string; line: number } | undefined {
  const m = /(?:\(|\s|^)((?:file:\/\/)?[^\s()]+?):(\d+)(?::\d+)?\)?\s*$/.exec(frame.trim());
  if (!m) return undefined;
  const file = m[1].startsWith("file://") ? fileURLToPath(m[1]) : m[1];
  return { file, line: Number(m[2]) };
}

/** The first stack frame inside the source root and outside node_modules. */
export function fromStackTrace(resource: TfResource | undefined, sourceRoot: string): SourceLocation | undefined {
  const trace = (resource?.values["//"] as { metadata?: { stackTrace?: unknown } } | undefined)?.metadata?.stackTrace;
  if (!Array.isArray(trace)) return undefined;
  const root = resolve(sourceRoot);
  for (const raw of trace) {
    const f = typeof raw === "string" ? frameOf(raw) : undefined;
    if (!f || !isAbsolute(f.file) || f.file.includes(`${sep}node_modules${sep}`)) continue;
    const rel = relative(root, f.file);
    if (rel.startsWith("..") || isAbsolute(rel)) continue;
    return { uri: rel.split(sep).join("/"), line: f.line };
  }
  return undefined;
}

/** The app's entry file: the script cdktf.json's `app` runs, else main.ts. */
export function appEntry(sourceRoot: string): string {
  try {
    const app = String(JSON.parse(readFileSync(join(sourceRoot, "cdktf.json"), "utf8")).app ?? "");
    const file = app.split(/\s+/).find((t) => /\.(ts|mts|js|mjs|cjs)$/.test(t) && existsSync(join(sourceRoot, t)));
    if (file) return file.replace(/^\.\//, "");
  } catch {
    // no cdktf.json: the convention
  }
  return "main.ts";
}

/** The entry file at the line that names the environment (`name: "prod"`), when there is one. */
export function fromEntry(sourceRoot: string, stack: string, read: (file: string) => string | undefined): SourceLocation {
  const uri = appEntry(sourceRoot);
  const text = read(join(sourceRoot, uri));
  const lines = text?.split("\n") ?? [];
  const quoted = new RegExp(`(name\\s*:\\s*)?["'\`]${stack.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["'\`]`);
  const at = lines.findIndex((l) => /name\s*:/.test(l) && quoted.test(l));
  const any = at >= 0 ? at : lines.findIndex((l) => quoted.test(l));
  return { uri, ...(any >= 0 ? { line: any + 1 } : {}) };
}
