import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { App } from "cdktf";
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

/** `synth --app file`: a module exporting `buildApp(outdir, inputs?)` that returns a cdktf App (as main.ts does). */
export async function loadAppBuilder(file: string): Promise<(outdir: string, inputs: readonly EnvironmentInput[]) => App> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UserError(`--app ${file}: no such file`);
  let mod: { buildApp?: unknown; default?: { buildApp?: unknown } };
  try {
    mod = (await import(path)) as typeof mod;
  } catch (err) {
    throw new UserError(`--app ${file}: cannot load (${(err as Error).message.split("\n")[0]})`);
  }
  const build = mod.buildApp ?? mod.default?.buildApp;
  if (typeof build !== "function") throw new UserError(`--app ${file}: expected a module exporting buildApp(outdir, inputs?)`);
  return build as (outdir: string, inputs: readonly EnvironmentInput[]) => App;
}
