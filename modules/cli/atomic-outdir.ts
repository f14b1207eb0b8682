import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { debugMarker, interruptHandlersInstalled, onInterrupt } from "./interrupts";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Is a process with this id still running? */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Remove temporary siblings that a killed run (SIGKILL, power loss) left behind: their process is gone. */
function removeStale(parent: string, base: string): void {
  const pattern = new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.tmp-(\\d+)-`);
  let entries: string[] = [];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    const m = pattern.exec(entry);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

/**
 * Synthesize into a fresh sibling folder and swap it into place only when
 * `write` succeeds, so a failed synth leaves the previous output intact.
 * A SIGINT/SIGTERM/SIGHUP before the swap discards the new output and exits
 * 128+signal (the previous output stays byte-identical, no temporary folder
 * is left); leftovers of runs killed outright (SIGKILL) are removed by the
 * next run.
 */
export async function writeAtomically(outdir: string, write: (tmpdir: string) => void): Promise<void> {
  const target = resolve(outdir);
  const parent = dirname(target);
  const base = basename(target);
  mkdirSync(parent, { recursive: true });
  removeStale(parent, base);
  // The clean-up is registered before the folder exists, so no moment has a folder and no handler.
  let tmp: string | undefined;
  const drop = () => {
    // The new output is incomplete or not yet swapped in: drop it, keep the previous one.
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  };
  let release: () => void;
  if (interruptHandlersInstalled()) {
    release = onInterrupt(drop);
  } else {
    const onSignal = (s: NodeJS.Signals) => {
      drop();
      process.exit(128 + (s === "SIGINT" ? 2 : s === "SIGTERM" ? 15 : 1));
    };
    for (const s of SIGNALS) process.on(s, onSignal);
    release = () => {
      for (const s of SIGNALS) process.removeListener(s, onSignal);
    };
  }
  try {
    tmp = mkdtempSync(join(parent, `.${base}.tmp-${process.pid}-`));
    debugMarker(`synth: writing ${basename(tmp)}`);
    write(tmp);
    // Synthesis is synchronous: a signal that arrived meanwhile is only
    // delivered now, before the swap (poll phase before setImmediate).
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  } catch (err) {
    drop();
    throw err;
  } finally {
    release();
  }
  const old = `${tmp}.old`;
  const before = stackDirs(target);
  if (existsSync(target)) renameSync(target, old);
  renameSync(tmp, target);
  rmSync(old, { recursive: true, force: true });
  keepRemovedStacksForCdktf(target, before);
}

/** The stack folders of an output (`stacks/<name>`). */
function stackDirs(outdir: string): string[] {
  try {
    return readdirSync(join(outdir, "stacks"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
}

/**
 * The cdktf CLI lists `<outdir>/stacks/*` before it runs the app and afterwards
 * removes each listed folder the new manifest does not name, without `force`:
 * an environment removed from the app made the first `cdktf synth` fail with
 * ENOENT (lstat 'cdktf.out/stacks/<removed>'), because the swap above had
 * already dropped it. Under the cdktf CLI (it sets SYNTH_HCL_OUTPUT for the
 * app), an empty folder stays in its place for the CLI to remove.
 */
function keepRemovedStacksForCdktf(outdir: string, before: readonly string[]): void {
  if (process.env.SYNTH_HCL_OUTPUT === undefined) return;
  const now = new Set(stackDirs(outdir));
  for (const name of before) if (!now.has(name)) mkdirSync(join(outdir, "stacks", name), { recursive: true });
}
