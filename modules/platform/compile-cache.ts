/**
 * Node's module compile cache (Node 22.1+): V8 keeps the code it compiled for
 * every module on disk (NODE_COMPILE_CACHE, else the OS temporary folder) and
 * the next run deserializes it instead of parsing again. Keyed by the module's
 * text, so tsx's output is cached like any CommonJS file. Measured in
 * docs/performance.md (less wall time per synth, a little more peak RSS).
 */
import * as nodeModule from "node:module";

const { enableCompileCache } = nodeModule as { enableCompileCache?: () => unknown };
try {
  enableCompileCache?.();
} catch {
  // A cache that cannot be written (read-only home, no temporary folder) only costs speed.
}

export {};
