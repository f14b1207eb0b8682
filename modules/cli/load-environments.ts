import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { App } from "../platform/cdktf";
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
      if ((err as NodeJS.ErrnoException).code === "ERR_UNKNOWN_FILE_EXTENSION") {
        throw new UserError(`--environments ${file}: cannot load (plain node cannot load TypeScript; run through tsx or pass a .json/.js file)`);
      }
      const at = sourceLocation(err, path);
      if (at) throw new UserError(`--environments ${at.where}: ${at.message}; nothing was written`, 1);
      throw new UserError(`--environments ${file}: cannot load (${String((err as Error)?.message ?? err).split("\n")[0]})`);
    }
    value = mod.environments ?? mod.default?.environments;
  }
  if (!Array.isArray(value)) throw new UserError(`--environments ${file}: expected an array of environments (or a module exporting \`environments\`)`);
  return value as EnvironmentInput[];
}

/**
 * Where a module failed to compile or parse: tsx/esbuild report
 * `file:line:column: ERROR: text`, node's own SyntaxError puts `file:line` on
 * the first line of its stack.
 */
export function sourceLocation(err: unknown, path: string): { where: string; message: string } | undefined {
  const text = String((err as Error)?.message ?? "");
  const esbuild = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m.exec(text);
  if (esbuild) return { where: `${esbuild[1]}:${esbuild[2]}:${esbuild[3]}`, message: `syntax error: ${esbuild[4]}` };
  if (err instanceof SyntaxError) {
    const first = String(err.stack ?? "").split("\n")[0];
    const node = /^(.+?):(\d+)$/.exec(first);
    if (node) return { where: `${node[1]}:${node[2]}`, message: `syntax error: ${err.message}` };
    return { where: path, message: `syntax error: ${err.message}` };
  }
  return undefined;
}

/** `synth --app file`: a module exporting `buildApp(outdir, inputs?)` that returns a cdktf App (as main.ts does). */
export async function loadAppBuilder(file: string): Promise<(outdir: string, inputs?: readonly EnvironmentInput[]) => App> {
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
  return build as (outdir: string, inputs?: readonly EnvironmentInput[]) => App;
}
