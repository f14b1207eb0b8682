/**
 * `mimir-ports synth`: synthesize the app your cdktf.json names, in the
 * current directory, with the short refusal and the exposure summary (the app
 * calls `runAppSynth`; an app that calls `app.synth()` itself gets the short
 * refusal too). No cdktf CLI needed.
 *
 *   npx mimir-ports synth                      # cdktf.json's app, into cdktf.out
 *   npx mimir-ports synth --outdir out         # or $CDKTF_OUTDIR
 *   npx mimir-ports synth --report             # write output and findings even when the policy refuses (exit 1)
 *   npx mimir-ports synth --app app.ts         # in process: a module exporting buildApp(outdir, inputs?) (see `npm run synth`)
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runProjectApp } from "./project-app";
import { parseCliArgs, UserError } from "./run";
import { REPORT_ENV } from "./synth-report";

const USAGE = "usage: mimir-ports synth [--outdir <dir>] [--report] [--app <module exporting buildApp> [--environments <file>]]";

export async function synthProjectCommand(argv: string[]): Promise<number> {
  const { values } = parseCliArgs({ args: [...argv], options: { outdir: { type: "string" }, report: { type: "boolean" }, app: { type: "string" }, environments: { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: false }, USAGE);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // A module loaded in this process (as `npm run synth` does in this repository).
  // Loaded only then: the stack and the providers cost half a second to load, which `mimir-ports check` and this path do not need.
  if (values.app) return (require("./synth-command") as typeof import("./synth-command")).synthCommand(argv);
  if (values.environments) throw new UserError(`synth: --environments needs --app <module exporting buildApp(outdir, inputs)>; ${USAGE}`);
  const outdir = values.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const report = values.report === true || process.env[REPORT_ENV] === "1";
  const run = runProjectApp(process.cwd(), { outdir, report });
  if (run.error) throw new UserError(`\`${run.command}\` did not run: ${run.error.message}`, 1);
  process.stderr.write(run.stderr);
  if (run.status !== 0) return run.status ?? 1;
  if (!existsSync(join(outdir, "manifest.json")) && !existsSync(join(outdir, "stacks"))) {
    throw new UserError(`\`${run.command}\` exited 0 without writing ${outdir}: the app must write where $CDKTF_OUTDIR says (new App() does; runAppSynth does)`, 1);
  }
  return 0;
}
