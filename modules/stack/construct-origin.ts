/**
 * Where in the user's code each construct was created, for review locations
 * (SARIF, the PR comment, review.json). cdktf 0.21 records no creation stack
 * trace, and the entry points turn source maps off (modules/cli/fast-start),
 * so this captures the call sites itself: when a construct is added to its
 * scope, the innermost stack frame in a user file (not this library, not
 * node_modules) and the function it called there (`new MimirStack(...)`, a
 * user's own `new VpcSecurityGroupIngressRule(...)`).
 *
 * The frame's line is of the transpiled code (tsx/esbuild reprints it), so
 * the source line is found with the module's source map when Node kept one,
 * else in the source text: the call `new <Class>(` (or `<fn>(`), told apart by
 * the construct id written in it, else by call order.
 *
 * Written into the synthesized JSON as `"//": { "metadata": { "source":
 * "main.ts:112" } }` (relative to the working directory; nothing outside it).
 */
import { textReader } from "../shared/text-reader";
import { findSourceMap } from "node:module";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Node, type IConstruct } from "constructs";

interface Frame {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** What the user's code called at that frame (a class for `new`, or a function). */
  readonly callee?: string;
  readonly isNew: boolean;
}

const ORIGINS = new WeakMap<IConstruct, Frame>();
/** Per file and callee, the generated positions seen (their order is the source order of the calls). */
const SEEN = new Map<string, Set<string>>();
/** This library's own folders: frames there are not the user's. */
const LIBRARY = resolve(__dirname, "..");
const LIBRARY_BIN = resolve(__dirname, "../../bin");

function isUserFile(file: string | null | undefined): file is string {
  if (!file || file.startsWith("node:") || !(isAbsolute(file) || file.startsWith("file://"))) return false;
  const path = file.startsWith("file://") ? fileURLToPath(file) : file;
  return !path.includes(`${sep}node_modules${sep}`) && !path.startsWith(`${LIBRARY}${sep}`) && !path.startsWith(`${LIBRARY_BIN}${sep}`);
}

function captureFrame(): Frame | undefined {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  try {
    Error.stackTraceLimit = 60;
    // Call sites, not text: no formatting, no source-map lookups.
    Error.prepareStackTrace = (_err, sites) => sites;
    Error.captureStackTrace(holder, captureFrame);
    const sites = holder.stack ?? [];
    const i = sites.findIndex((s) => isUserFile(s.getFileName()));
    if (i < 0) return undefined;
    const site = sites[i];
    const inner = i > 0 ? sites[i - 1] : undefined;
    const file = site.getFileName()!;
    return {
      file: file.startsWith("file://") ? fileURLToPath(file) : file,
      line: site.getLineNumber() ?? 0,
      column: site.getColumnNumber() ?? 0,
      ...(inner?.getFunctionName() ? { callee: inner.getFunctionName()!.replace(/^new /, "") } : {}),
      isNew: inner?.isConstructor() ?? false,
    };
  } catch {
    return undefined;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

let installed = false;

/** Record every construct's creation site from now on (idempotent; done when the library's stack module loads). */
export function recordConstructOrigins(): void {
  if (installed) return;
  installed = true;
  const proto = Node.prototype as unknown as { addChild: (child: IConstruct, name: string) => void };
  const add = proto.addChild;
  proto.addChild = function addChild(this: Node, child: IConstruct, name: string) {
    add.call(this, child, name);
    const frame = captureFrame();
    if (!frame) return;
    ORIGINS.set(child, frame);
    const key = `${frame.file}\u0000${frame.callee ?? ""}`;
    const seen = SEEN.get(key) ?? new Set<string>();
    seen.add(`${frame.line}:${frame.column}`);
    SEEN.set(key, seen);
  };
}

const sourceText = textReader();

/** Not in a line comment, a doc comment line or a string on its line (a cheap look, enough to skip examples in comments). */
function inCode(text: string, offset: number): boolean {
  const prefix = text.slice(text.lastIndexOf("\n", offset - 1) + 1, offset);
  if (/\/\/|^\s*\*/.test(prefix)) return false;
  return ['"', "'", "`"].every((q) => prefix.split(q).length % 2 === 1);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The source line of a captured frame (1-based), or undefined when it cannot be told. */
function sourceLine(frame: Frame, id: string): number | undefined {
  try {
    const map = findSourceMap(frame.file);
    const entry = map?.findEntry(frame.line - 1, frame.column - 1) as { originalLine?: number; originalSource?: string } | undefined;
    if (entry && typeof entry.originalLine === "number" && (!entry.originalSource || resolve(entry.originalSource.replace(/^file:\/\//, "")) === frame.file)) return entry.originalLine + 1;
  } catch {
    // no usable source map: read the source
  }
  const text = sourceText(frame.file);
  if (!text || !frame.callee) return undefined;
  const call = new RegExp(frame.isNew ? `\\bnew\\s+${escape(frame.callee)}\\s*(<[^>()]*>)?\\s*\\(` : `(^|[^\\w$])${escape(frame.callee)}\\s*(<[^>()]*>)?\\s*\\(`, "g");
  const starts: number[] = [];
  for (let m = call.exec(text); m; m = call.exec(text)) if (inCode(text, m.index)) starts.push(m.index);
  if (starts.length === 0) return undefined;
  const lineAt = (offset: number) => text.slice(0, offset).split("\n").length;
  if (starts.length === 1) return lineAt(starts[0]);
  // The call that names the construct id (`new S3Bucket(this, "blocks", ...)`).
  const literal = new RegExp(`["'\`]${escape(id)}["'\`]`);
  const naming = starts.filter((s, i) => literal.test(text.slice(s, starts[i + 1] ?? s + 400).slice(0, 400)));
  if (naming.length === 1) return lineAt(naming[0]);
  // Calls run in source order: the k-th position seen is the k-th call, when every call ran.
  const seen = [...(SEEN.get(`${frame.file}\u0000${frame.callee}`) ?? [])].map((p) => p.split(":").map(Number)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const k = seen.findIndex(([l, c]) => l === frame.line && c === frame.column);
  if (seen.length === starts.length && k >= 0) return lineAt(starts[k]);
  return undefined;
}

/** `main.ts:112` (or `lib/x.ts` when the line cannot be told) for a construct, relative to `root`; undefined outside it. */
export function originOf(construct: IConstruct, root = process.cwd()): string | undefined {
  const frame = ORIGINS.get(construct);
  if (!frame) return undefined;
  const rel = relative(resolve(root), frame.file);
  if (!rel || rel.startsWith("..") || isAbsolute(rel)) return undefined;
  const line = sourceLine(frame, construct.node.id);
  return `${rel.split(sep).join("/")}${line ? `:${line}` : ""}`;
}

recordConstructOrigins();
