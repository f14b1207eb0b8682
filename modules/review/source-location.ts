/**
 * Where in the user's source a finding or a change comes from, for code
 * scanning and the comment: the line that created the construct, as MimirStack
 * writes it (`//`.metadata.source, `main.ts:112`: the user's own `new X(...)`,
 * or the `new MimirStack(...)` call; see modules/stack/construct-origin), else
 * cdktf's stack-trace metadata when an app records it (`//`.metadata.stackTrace),
 * else the app's entry file (from cdktf.json, default main.ts) at the
 * environment's definition. Never the gitignored cdktf.out.
 */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { TfResource } from "../exposure/terraform-json";
import { overridesOf } from "../policy/overrides";

export interface SourceLocation {
  readonly uri: string;
  readonly line?: number;
}

/**
 * A path as the comment, review.json and SARIF show it: relative to the
 * repository (the working directory), never an absolute path of the runner's
 * disk. A synthesized file outside the repository (pr-review's output in the
 * runner's temp folder) is shown by its place in the cdktf output
 * (`stacks/prod/cdk.tf.json`), anything else by its file name.
 */
export function repoPath(file: string, root = process.cwd()): string {
  const slashed = file.split(sep).join("/");
  if (!isAbsolute(file)) return slashed;
  const rel = relative(resolve(root), file);
  if (rel && !rel.startsWith("..") && !isAbsolute(rel)) return rel.split(sep).join("/");
  const at = slashed.lastIndexOf("/stacks/");
  return at >= 0 ? slashed.slice(at + 1) : slashed.slice(slashed.lastIndexOf("/") + 1);
}

/** `main.ts:112` as MimirStack records it on each resource, or undefined. */
export function recordedSource(resource: TfResource | undefined): string | undefined {
  const source = (resource?.values["//"] as { metadata?: { source?: unknown } } | undefined)?.metadata?.source;
  return typeof source === "string" && source !== "" ? source : undefined;
}

/** The recorded creation line of a resource, relative to the project directory (`sourceRoot`). */
export function fromMetadata(resource: TfResource | undefined, sourceRoot = "."): SourceLocation | undefined {
  return fromRecorded(recordedSource(resource), sourceRoot);
}

/** The line of the user's first `addOverride` on a resource (`"//".metadata.overrides`), relative to `sourceRoot`. */
export function fromOverride(resource: TfResource | undefined, sourceRoot = "."): SourceLocation | undefined {
  return fromRecorded(overridesOf(resource).find((o) => o.source)?.source, sourceRoot);
}

/** Where the user's code overrode a resource of a stack (`main.ts:40`), when it did. */
export function overriddenAt(resources: readonly TfResource[], address: string): string | undefined {
  return overridesOf(resources.find((r) => r.address === address)).find((o) => o.source)?.source;
}

/** A recorded `main.ts:112` as a location under `sourceRoot`. */
function fromRecorded(source: string | undefined, sourceRoot: string): SourceLocation | undefined {
  if (!source || isAbsolute(source) || source.split("/").includes("..")) return undefined;
  const m = /^(.*?)(?::(\d+))?$/.exec(source)!;
  const uri = sourceRoot === "." || isAbsolute(sourceRoot) ? m[1] : `${sourceRoot.split(sep).join("/").replace(/\/$/, "")}/${m[1]}`;
  return { uri, ...(m[2] ? { line: Number(m[2]) } : {}) };
}

/** The line most of a stack's resources were created at: its `new MimirStack(...)` call. */
export function stackSource(resources: readonly TfResource[]): TfResource | undefined {
  const counts = new Map<string, { n: number; r: TfResource }>();
  for (const r of resources) {
    const s = recordedSource(r);
    if (!s) continue;
    const c = counts.get(s) ?? { n: 0, r };
    c.n++;
    counts.set(s, c);
  }
  return [...counts.values()].sort((a, b) => b.n - a.n)[0]?.r;
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

/** Where a resource of a stack was created (`main.ts:112`): its own line, else the stack's. */
export function createdAt(resources: readonly TfResource[], address: string): string | undefined {
  return recordedSource(resources.find((r) => r.address === address)) ?? recordedSource(stackSource(resources));
}
