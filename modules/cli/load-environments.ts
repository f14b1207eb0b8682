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
    const mod = (await import(path)) as { environments?: unknown; default?: { environments?: unknown } };
    value = mod.environments ?? mod.default?.environments;
  }
  if (!Array.isArray(value)) throw new UserError(`--environments ${file}: expected an array of environments (or a module exporting \`environments\`)`);
  return value as EnvironmentInput[];
}
