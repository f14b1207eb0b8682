/**
 * Where a command is told to write, checked before anything is read or written: a file path that is a
 * folder, or a folder path that is (or is under) a file, is one line naming the flag, the path and the
 * fix (exit 2), never a stack trace half-way through the writes.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UserError } from "./run";

/** The nearest existing path at or above `path` (the file system root exists). */
function nearestExisting(path: string): string {
  let at = resolve(path);
  while (!existsSync(at)) at = dirname(at);
  return at;
}

/** `--out FILE` and the like: not a folder, and its folder exists or can be made. */
export function checkOutputFile(command: string, flag: string, file: string): void {
  if (existsSync(file) && statSync(file).isDirectory()) throw new UserError(`${command}: ${flag} ${file} is a directory; name a file to write (a new one, or one to overwrite)`);
  const folder = dirname(resolve(file));
  if (!existsSync(folder)) throw new UserError(`${command}: ${flag} ${file}: no directory ${folder}; create it first or name a file in an existing directory`);
  if (!statSync(folder).isDirectory()) throw new UserError(`${command}: ${flag} ${file}: ${folder} is a file, not a directory; name a file in a directory`);
}

/** `--out DIR`: a folder, or a path where one can be made (nothing on the way is a file). */
export function checkOutputDir(command: string, flag: string, dir: string): void {
  const at = nearestExisting(dir);
  if (!statSync(at).isDirectory()) throw new UserError(`${command}: ${flag} ${dir}: ${at} is a file, not a directory; name a new or existing directory`);
}
