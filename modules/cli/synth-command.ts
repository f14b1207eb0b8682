import { existsSync } from "node:fs";
import { join } from "node:path";
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
  const inputs = values.environments ? await loadEnvironments(values.environments) : undefined;
  // Without --app: the repository's reference app (main.ts), loaded like any --app module, so the CLI layer does not import it.
  const build = await loadAppBuilder(values.app ?? referenceApp());
  return synthApp({ outdir, build: (dir) => (inputs ? build(dir, inputs) : build(dir)), report });
}

/** The reference app next to modules/ (main.ts under tsx, main.js when built). */
function referenceApp(): string {
  const base = join(__dirname, "..", "..", "main");
  return existsSync(`${base}.ts`) ? `${base}.ts` : `${base}.js`;
}

/** `npm run synth` exactly as bin/synth.ts runs it: user mistakes print one line per problem and set exit code 1. */
export function runSynth(argv: readonly string[]): Promise<void> {
  return runCli(() => synthCommand(argv), "synth");
}
