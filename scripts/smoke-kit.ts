/**
 * What the smokes share (scripts/pack-smoke.ts, scripts/cdktn-smoke.ts) and the bench's consumer case
 * (bench/consumer.ts): build and pack the library, install the tarball into a fresh app from the registry
 * (never with the repository's .npmrc: the app lives in a temporary folder), run a file of it under tsx.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(__dirname, "..");
const TSX_CLI = join(ROOT, "node_modules/tsx/dist/cli.mjs");
/** The versions this repository tests with (package.json devDependencies): the smokes install the same. */
export const DEV_VERSIONS = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies;

export const sh = (cmd: string, args: string[], cwd: string, env = process.env) => execFileSync(cmd, args, { cwd, encoding: "utf8", env, stdio: ["ignore", "pipe", "inherit"] });

/**
 * The environment of an npm run in a fresh app, without the settings of this repository's .npmrc: `npm run` hands
 * every setting to its children as npm_config_* variables, so a nested `npm install` would otherwise run with
 * legacy-peer-deps (and skip the peers a user's install brings in). The user's own ~/.npmrc still applies.
 */
export function userNpmEnv(): NodeJS.ProcessEnv {
  const projectKeys = readFileSync(join(ROOT, ".npmrc"), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#") && !line.startsWith(";"))
    .map((line) => `npm_config_${line.split("=")[0].trim().replace(/-/g, "_")}`);
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !projectKeys.includes(k) && k !== "npm_config_local_prefix"));
}

/** `fail(message)` for a smoke named `name`: prints `name: message`, exits 1. */
export const failer =
  (name: string) =>
  (message: string): never => {
    process.stderr.write(`${name}: ${message}\n`);
    process.exit(1);
  };

/** `npm run build`, then `npm pack` into `dir`; the tarball's file name. */
export function packTarball(dir: string): string {
  sh("npm", ["run", "-s", "build"], ROOT);
  return sh("npm", ["pack", "--silent", "--pack-destination", dir], ROOT).trim().split("\n").pop()!;
}

/** A fresh app in `app`: a package.json with these dependencies, installed from the registry as a user would (`npm install` plus `flags`). */
export function installApp(app: string, dependencies: Record<string, string>, flags: string[] = []): void {
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "smoke-app", private: true, dependencies }));
  sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", ...flags], app, userNpmEnv());
}

/** Run `file` of `app` under tsx as a cdktf app runs (outdir from CDKTF_OUTDIR); stdout, stderr and the exit code. */
export function runApp(app: string, file: string, outdir: string) {
  const r = spawnSync(process.execPath, [TSX_CLI, file], { cwd: app, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: outdir } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
