/**
 * cdktf records a full stack trace, formatted into strings, for every token it
 * creates (every reference, every Lazy), only to print it as "Object creation
 * stack" if that token later fails to resolve. For the reference app that is
 * about a tenth of the synth's CPU (docs/performance.md). Our entry points
 * print user errors without stack traces anyway, so the traces are recorded
 * only with MIMIR_PORTS_DEBUG=1 (as the progress markers are, docs/reliability.md);
 * a cdktf whose internals moved just keeps recording them.
 */
if (process.env.MIMIR_PORTS_DEBUG !== "1") {
  try {
    // cdktf's own module (no public switch exists); the tokens read this export at each creation.
    const traces = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace?: unknown };
    if (typeof traces.captureStackTrace === "function") traces.captureStackTrace = () => [];
  } catch {
    // Only speed depends on it.
  }
}

export {};
