/**
 * cdktf records a full stack trace, formatted into strings, for every token it
 * creates (every reference, every Lazy), only to print it as "Object creation
 * stack" if that token later fails to resolve. Formatting is the cost: under
 * tsx every frame goes through a source-map lookup, and the reference
 * environments create thousands of tokens (docs/performance.md).
 *
 * - `deferTokenTraces()`, called when the library loads (platform/cdktf.ts), in
 *   any app: the trace is still captured where the token is created, as V8's
 *   frames, and formatted only if cdktf reads it. The same text, when it is
 *   wanted; nothing else of the app changes.
 * - `dropTokenTraces()`, our entry points only (fast-start.ts): none recorded,
 *   unless MIMIR_PORTS_DEBUG=1 (as the progress markers, docs/reliability.md),
 *   since they print user errors without stack traces anyway.
 *
 * A cdktf whose internals moved just keeps recording them its own way.
 */

interface TraceModule {
  captureStackTrace?: (below?: Function) => string[];
}

const OURS = Symbol.for("mimir-port-contract.token-traces");

function traceModule(): TraceModule | undefined {
  try {
    // cdktf's own module (no public switch exists); the tokens read this export at each creation.
    const traces = require("cdktf/lib/tokens/private/stack-trace") as TraceModule;
    return typeof traces.captureStackTrace === "function" ? traces : undefined;
  } catch {
    return undefined; // only speed depends on it
  }
}

const mark = <T extends Function>(fn: T): T => Object.assign(fn, { [OURS]: true });

/** cdktf's lines (`at ` stripped, the message line dropped), computed on first use. */
function deferredLines(holder: { stack?: unknown }): string[] {
  let lines: string[] | undefined;
  const get = () => (lines ??= typeof holder.stack === "string" && holder.stack ? holder.stack.split("\n").slice(1).map((s) => s.replace(/^\s*at\s+/, "")) : []);
  return new Proxy([] as string[], {
    get: (_target, key) => {
      const array = get();
      const value: unknown = Reflect.get(array, key);
      return typeof value === "function" ? value.bind(array) : value;
    },
    has: (_target, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_target, key) => Reflect.getOwnPropertyDescriptor(get(), key),
  });
}

/** Token creation stacks captured as now, formatted only when read (see above). */
export function deferTokenTraces(): void {
  const traces = traceModule();
  if (!traces || (traces.captureStackTrace as unknown as Record<symbol, unknown>)[OURS]) return;
  const capture = mark(function captureStackTrace(below?: Function): string[] {
    const holder: { stack?: unknown } = {};
    const previousLimit = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
      Error.captureStackTrace(holder, below ?? capture);
    } finally {
      Error.stackTraceLimit = previousLimit;
    }
    return deferredLines(holder);
  });
  traces.captureStackTrace = capture;
}

/** No token creation stacks unless MIMIR_PORTS_DEBUG=1 (our entry points). */
export function dropTokenTraces(): void {
  if (process.env.MIMIR_PORTS_DEBUG === "1") return;
  const traces = traceModule();
  if (traces) traces.captureStackTrace = mark(() => []);
}
