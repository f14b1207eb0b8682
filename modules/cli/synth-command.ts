import { buildApp, environments as referenceEnvironments } from "../../main";
import { loadAppBuilder, loadEnvironments } from "./load-environments";
import { REPORT_ENV } from "./synth-report";
import { parseCliArgs, runCli } from "./run";
import { synthApp } from "./synth-app";

const USAGE = "usage: npm run synth [-- --environments <file.json|module.ts>] [--outdir <dir>] [--report] [--app <module exporting buildApp>]";

/** The body of `npm run synth`: validate, synthesize atomically, print the summary. Returns the exit code. */
export async function synthCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs({ args: [...argv], options: { environments: { type: "string" }, outdir: { type: "string" }, report: { type: "boolean" }, app: { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: false }, USAGE);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const outdir = values.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out";
  // Report mode (--report or MIMIR_PORTS_SYNTH_REPORT=1): write the output and the findings even when the policy refuses; exit 1 then.
  const report = values.report === true || process.env[REPORT_ENV] === "1";
  const inputs = values.environments ? await loadEnvironments(values.environments) : referenceEnvironments;
  const build = values.app ? await loadAppBuilder(values.app) : buildApp;
  return synthApp({ outdir, build: (dir) => build(dir, inputs), report });
}

/** `npm run synth` exactly as bin/synth.ts runs it: user mistakes print one line per problem and set exit code 1. */
export function runSynth(argv: readonly string[]): Promise<void> {
  return runCli(() => synthCommand(argv), "synth");
}
