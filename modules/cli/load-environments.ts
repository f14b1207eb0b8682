import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { EnvironmentInput } from "../config/environment";
import { UserError } from "./run";

/** Read environment definitions from a JSON file (an array) or a module exporting `environments`. */
export async function loadEnvironments(file: string): Promise<EnvironmentInput[]> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UserError(`--environments ${file}: no such file`);
  let value: unknown;
  if (path.endsWith(".json")) {
    try {
      value = JSON.parse(readFileSync(path, "utf8"));
    } catch (err) {
      throw new UserError(`--environments ${file}: not valid JSON (${(err as Error).message.replace(/\s+/g, " ").slice(0, 120)})`);
    }
  } else {
    let mod: { environments?: unknown; default?: { environments?: unknown } };
    try {
      mod = (await import(path)) as typeof mod;
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === "ERR_UNKNOWN_FILE_EXTENSION" ? "plain node cannot load TypeScript; run through tsx or pass a .json/.js file" : (err as Error).message.split("\n")[0];
      throw new UserError(`--environments ${file}: cannot load (${why})`);
    }
    value = mod.environments ?? mod.default?.environments;
  }
  if (!Array.isArray(value)) throw new UserError(`--environments ${file}: expected an array of environments (or a module exporting \`environments\`)`);
  return value as EnvironmentInput[];
}
