/**
 * Interrupts for the commands that write (`npm run synth`): imported first by
 * bin/synth.ts, so a SIGINT/SIGTERM/SIGHUP that arrives at any moment, while
 * modules load or while synthesizing, runs the registered clean-ups (e.g. drop
 * an unfinished output folder) and exits 128+signal. Before this module is
 * loaded nothing has been written, so Node's default action loses nothing.
 *
 * A library import does not install anything: only the entry points call
 * installInterruptHandlers().
 */

const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
const cleanups = new Set<() => void>();
let installed = false;

function onSignal(signal: NodeJS.Signals): void {
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup();
    } catch {
      // keep going: the exit code tells the caller the run was interrupted
    }
  }
  process.exit(128 + SIGNALS[signal as keyof typeof SIGNALS]);
}

/** Install the handlers (idempotent). */
export function installInterruptHandlers(): void {
  if (installed) return;
  installed = true;
  for (const s of Object.keys(SIGNALS)) process.on(s, onSignal);
}

/** Whether an entry point installed the handlers (a library caller keeps its own signal handling). */
export function interruptHandlersInstalled(): boolean {
  return installed;
}

/** Run `cleanup` if the process is interrupted before the returned function is called. */
export function onInterrupt(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => void cleanups.delete(cleanup);
}

/**
 * Progress markers on stderr when MIMIR_PORTS_DEBUG=1 (off by default: a normal run prints only its result).
 * Tests wait for them instead of guessing with timers, e.g. "synth: writing" before interrupting a synth.
 */
export function debugMarker(line: string): void {
  if (process.env.MIMIR_PORTS_DEBUG === "1") process.stderr.write(`${line}\n`);
}
