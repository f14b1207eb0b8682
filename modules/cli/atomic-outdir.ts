import { existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/**
 * Synthesize into a fresh sibling folder and swap it into place only when
 * `write` succeeds, so a failed synth leaves the previous output intact.
 */
export function writeAtomically(outdir: string, write: (tmpdir: string) => void): void {
  const target = resolve(outdir);
  const parent = dirname(target);
  const tmp = mkdtempSync(join(parent, `.${basename(target)}.tmp-`));
  try {
    write(tmp);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const old = `${tmp}.old`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(tmp, target);
  rmSync(old, { recursive: true, force: true });
}
