/**
 * A project's own cdktf app: the command its cdktf.json names (`app`), run in
 * the project's directory as `cdktf synth` runs it (output to $CDKTF_OUTDIR).
 * `mimir-ports synth` and `mimir-ports pr-review` use it, so they work in any
 * infra repository. What the app prints on failure is shortened to what a
 * user reads: the policy's findings or the configuration problems, never
 * stack frames or cdktf's hint to skip validation.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { refusalBlock, validationLines } from "./refusal";
import { REPORT_ENV } from "./synth-report";
import { UserError } from "./run";

/** The command cdktf.json's `app` names in `project` (e.g. `node --import tsx main.ts`). */
export function projectAppCommand(project: string): string {
  const file = join(project, "cdktf.json");
  if (!existsSync(file)) throw new UserError(`no cdktf.json in ${project}: run this in your cdktf project (or create one with \`npx mimir-ports init\`)`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new UserError(`${file}: not valid JSON (${(err as Error).message.replace(/\s+/g, " ").slice(0, 120)}); expected cdktf's project file, e.g. {"app": "node --import tsx main.ts"}`);
  }
  const app = json !== null && typeof json === "object" && !Array.isArray(json) ? (json as { app?: unknown }).app : undefined;
  if (typeof app !== "string" || app.trim() === "") throw new UserError(`${file}: "app" must name the command that runs your app, e.g. "node --import tsx main.ts"`);
  return app;
}

export interface ProjectAppRun {
  readonly command: string;
  /** The app's exit code (null: killed by a signal or not started). */
  readonly status: number | null;
  /** What the app printed on stderr, shortened (see `readableFailure`). */
  readonly stderr: string;
  readonly stdout: string;
  /** Why it did not start (spawn error, timeout). */
  readonly error?: Error;
}

/**
 * Run `command` (default: the project's cdktf.json app) in `project`, writing
 * to `outdir` (relative to the project, or absolute); report mode writes the
 * output even when the policy refuses. stdout streams through unless captured.
 */
export function runProjectApp(project: string, options: { outdir: string; report: boolean; command?: string; capture?: boolean }): ProjectAppRun {
  const command = options.command ?? projectAppCommand(project);
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: options.outdir, FORCE_COLOR: "0" };
  if (options.report) env[REPORT_ENV] = "1";
  else delete env[REPORT_ENV];
  const r = spawnSync(command, { cwd: project, shell: true, encoding: "utf8", timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024, env, stdio: ["ignore", options.capture ? "pipe" : "inherit", "pipe"] });
  return { command, status: r.status, stdout: r.stdout ?? "", stderr: readableFailure(r.stderr ?? ""), ...(r.error ? { error: r.error } : {}) };
}

/**
 * An app's stderr as a user should read it: cdktf's validation failure (an app
 * that calls `app.synth()` itself) becomes the short refusal block; stack
 * frames, node's source excerpt of the throwing line and its version banner
 * are dropped. Anything else is kept.
 */
export function readableFailure(stderr: string): string {
  const refused = validationLines(stderr);
  // cdktf validates stack by stack while it writes: the stacks before the refused one are on disk.
  if (refused) return `${refusalBlock("synth", refused, "stacks synthesized before it may have been written (the app calls app.synth() itself; runAppSynth writes all or nothing, see docs/library.md)").join("\n")}\n`;
  if (!/\n\s+at .+/.test(stderr)) return stderr;
  const lines = stderr.split("\n");
  const caret = (l: string | undefined) => l !== undefined && /^\s*\^+\s*$/.test(l);
  // node prints `file:line`, the throwing source line and a caret before the error: keep the location only.
  const kept = lines.filter((l, i) => !/^\s+at .+/.test(l) && !/^Node\.js v\d+/.test(l) && !caret(l) && !caret(lines[i + 1]));
  return `${kept.join("\n").replace(/\n{3,}/g, "\n\n").trim()}\n`;
}
