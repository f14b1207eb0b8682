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
 * else in the source text: the call `new <Class>(` (or `<fn>(`) under any name
 * the file gives the class (an alias, a namespace, a subclass's `super(`),
 * told apart by the construct id written in it, else by call order.
 *
 * Written into the synthesized JSON as `"//": { "metadata": { "source":
 * "main.ts:112" } }` (relative to the working directory; nothing outside it).
 * The user's `addOverride(path, value)` calls on a resource are kept the same
 * way (`"//".metadata.overrides`), so a finding can name the override.
 */
import { textReader } from "../shared/text-reader";
import { findSourceMap } from "node:module";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Node, type IConstruct } from "constructs";
import { TerraformResource } from "../platform/cdktf";

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

/** The names a file calls `callee` by: itself and its aliases (`import { X as Y }`, `const { X: Y } = require(...)`, `const Y = X`). */
function calleeNames(text: string, callee: string): Set<string> {
  const names = new Set([callee]);
  const e = escape(callee);
  for (const m of text.matchAll(new RegExp(`[{,]\\s*(?:type\\s+)?${e}\\s+as\\s+([\\w$]+)`, "g"))) names.add(m[1]);
  for (const m of text.matchAll(new RegExp(`[{,]\\s*${e}\\s*:\\s*([\\w$]+)\\s*[,}]`, "g"))) names.add(m[1]);
  for (const m of text.matchAll(new RegExp(`\\b(?:const|let|var)\\s+([\\w$]+)\\s*=\\s*(?:[\\w$]+\\s*\\.\\s*)*${e}\\s*;`, "g"))) names.add(m[1]);
  return names;
}

const CLASS_HEAD = /\bclass\s+[\w$]+(?:\s*<[^>{]*>)?\s+extends\s+((?:[\w$]+\s*\.\s*)*[\w$]+)/g;

const OFFSETS = new Map<string, number[]>();

/** findCallOffsets, memoized per file (its text is read once), callee and kind of call. */
function callOffsets(file: string, text: string, callee: string, isNew: boolean): number[] {
  const key = `${file}\u0000${callee}\u0000${isNew}`;
  let offsets = OFFSETS.get(key);
  if (!offsets) OFFSETS.set(key, (offsets = findCallOffsets(text, callee, isNew)));
  return offsets;
}

/**
 * Where a file calls `callee`, however it was imported: `new X(`, an alias
 * (see calleeNames), a namespace or any qualifier (`new ns.X(`), and `super(`
 * inside a class that extends one of those (a class wrapping the resource:
 * its `super(...)` is the call). Offsets in source order, comments skipped.
 */
function findCallOffsets(text: string, callee: string, isNew: boolean): number[] {
  const names = calleeNames(text, callee);
  const any = [...names].map(escape).join("|");
  const generic = "\\s*(<[^>()]*>)?\\s*\\(";
  const call = isNew ? new RegExp(`\\bnew\\s+(?:[\\w$]+\\s*\\.\\s*)*(?:${any})${generic}`, "g") : new RegExp(`(^|[^\\w$])(?:${any})${generic}`, "g");
  const offsets = [...text.matchAll(call)].map((m) => m.index).filter((i) => inCode(text, i));
  if (isNew) {
    // Class heads in order, each with whether it extends the callee; a `super(` belongs to the last head before it.
    const heads = [...text.matchAll(CLASS_HEAD)].map((m) => ({ at: m.index, extendsCallee: names.has(m[1].split(".").pop()!.trim()) }));
    if (heads.some((h) => h.extendsCallee)) {
      for (const m of text.matchAll(/\bsuper\s*\(/g)) {
        const owner = heads.filter((h) => h.at < m.index).pop();
        if (owner?.extendsCallee && inCode(text, m.index)) offsets.push(m.index);
      }
    }
  }
  return offsets.sort((x, y) => x - y);
}

/** The first `n` arguments of the call whose `(` is at `open`, as written (nesting and strings respected; comments are not). */
function callArguments(text: string, open: number, n: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let from = open + 1;
  for (let i = open + 1; i < text.length && args.length < n; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) {
      if (depth === 0) {
        args.push(text.slice(from, i));
        break;
      }
      depth--;
    } else if (c === "," && depth === 0) {
      args.push(text.slice(from, i));
      from = i + 1;
    }
  }
  return args;
}

/** The source line of a captured frame (1-based), or undefined when it cannot be told. */
function sourceLine(frame: Frame, id: string, idArgument = 1): number | undefined {
  try {
    const map = findSourceMap(frame.file);
    const entry = map?.findEntry(frame.line - 1, frame.column - 1) as { originalLine?: number; originalSource?: string } | undefined;
    if (entry && typeof entry.originalLine === "number" && (!entry.originalSource || resolve(entry.originalSource.replace(/^file:\/\//, "")) === frame.file)) return entry.originalLine + 1;
  } catch {
    // no usable source map: read the source
  }
  const text = sourceText(frame.file);
  if (!text || !frame.callee) return undefined;
  const starts = callOffsets(frame.file, text, frame.callee, frame.isNew);
  if (starts.length === 0) return undefined;
  const lineAt = (offset: number) => text.slice(0, offset).split("\n").length;
  if (starts.length === 1) return lineAt(starts[0]);
  // The call that names the construct id in its first two arguments (`new S3Bucket(this, "blocks", ...)`).
  const literal = new RegExp(`^\\s*["'\`]${escape(id)}["'\`]\\s*$`);
  const naming = starts.filter((s) => literal.test(callArguments(text, text.indexOf("(", s), idArgument + 1)[idArgument] ?? ""));
  if (naming.length === 1) return lineAt(naming[0]);
  // Calls run in source order: the k-th position seen is the k-th call, when every call ran.
  const seen = [...(SEEN.get(`${frame.file}\u0000${frame.callee}`) ?? [])].map((p) => p.split(":").map(Number)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const k = seen.findIndex(([l, c]) => l === frame.line && c === frame.column);
  if (seen.length === starts.length && k >= 0) return lineAt(starts[k]);
  return undefined;
}

/** `main.ts:112` (or `lib/x.ts` when the line cannot be told) for a frame, relative to `root`; undefined outside it. */
function located(frame: Frame, literal: string, idArgument: number, root: string): string | undefined {
  const rel = relative(resolve(root), frame.file);
  if (!rel || rel.startsWith("..") || isAbsolute(rel)) return undefined;
  const line = sourceLine(frame, literal, idArgument);
  return `${rel.split(sep).join("/")}${line ? `:${line}` : ""}`;
}

/** `main.ts:112` (or `lib/x.ts` when the line cannot be told) for a construct, relative to `root`; undefined outside it. */
export function originOf(construct: IConstruct, root = process.cwd()): string | undefined {
  const frame = ORIGINS.get(construct);
  return frame ? located(frame, construct.node.id, 1, root) : undefined;
}

/** Escape-hatch overrides the user's code wrote on each resource: the override path and the call's frame. */
const OVERRIDES = new WeakMap<IConstruct, Array<{ path: string; frame: Frame }>>();
let overridesInstalled = false;

/**
 * Record where the user's code calls `addOverride(path, value)` on a resource
 * or data source (idempotent), so a finding the override causes can name it
 * and its line. Only calls made directly by a user file count: the library's
 * own overrides are its design, not the user's change.
 */
function recordOverrides(): void {
  if (overridesInstalled) return;
  overridesInstalled = true;
  const element = Object.getPrototypeOf(TerraformResource.prototype) as { addOverride: (path: string, value: unknown) => void };
  const add = element.addOverride;
  element.addOverride = function addOverride(this: IConstruct, path: string, value: unknown) {
    add.call(this, path, value);
    const prepare = Error.prepareStackTrace;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    try {
      Error.prepareStackTrace = (_err, sites) => sites;
      Error.captureStackTrace(holder, addOverride);
      const site = (holder.stack ?? [])[0];
      const file = site?.getFileName();
      if (!site || !isUserFile(file)) return;
      const frame: Frame = { file: file.startsWith("file://") ? fileURLToPath(file) : file, line: site.getLineNumber() ?? 0, column: site.getColumnNumber() ?? 0, callee: "addOverride", isNew: false };
      OVERRIDES.set(this, [...(OVERRIDES.get(this) ?? []), { path, frame }]);
      const key = `${frame.file}\u0000addOverride`;
      SEEN.set(key, (SEEN.get(key) ?? new Set<string>()).add(`${frame.line}:${frame.column}`));
    } catch {
      // no call site: nothing recorded
    } finally {
      Error.prepareStackTrace = prepare;
    }
  };
}

/** The user's overrides on a construct: `{ path: "ingress.0.cidr_blocks", source: "main.ts:40" }`, in call order. */
export function overridesOf(construct: IConstruct, root = process.cwd()): Array<{ path: string; source?: string }> {
  return (OVERRIDES.get(construct) ?? []).map((o) => {
    const source = located(o.frame, o.path, 0, root);
    return { path: o.path, ...(source ? { source } : {}) };
  });
}

recordConstructOrigins();
recordOverrides();
