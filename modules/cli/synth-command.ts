import { buildApp, environments as referenceEnvironments } from "../../main";
import { summaryLines } from "../review/summary";
import { entryWarningLines, policyResults } from "../stack/mimir-stack";
import { writeAtomically } from "./atomic-outdir";
import { loadAppBuilder, loadEnvironments } from "./load-environments";
import { FINDINGS_FILE, REPORT_ENV, synthReporting, writeFindings } from "./synth-report";
import type { App } from "../platform/cdktf";
import { parseCliArgs, runCli } from "./run";

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
  let app: App | undefined;
  let refused: string[] = [];
  await writeAtomically(outdir, (tmp) => {
    if (report) {
      ({ app, refused } = synthReporting(tmp, (dir) => build(dir, inputs)));
      writeFindings(tmp, refused, policyResults(app));
    } else {
      app = build(tmp, inputs);
      app.synth();
    }
  });
  process.stdout.write(`synthesized ${inputs.length} stack(s) into ${outdir}/stacks\n`);
  // The policy already modelled every stack during synth: summarize that, without reading the output back.
  for (const line of summaryLines(policyResults(app!))) process.stdout.write(`  ${line}\n`);
  for (const line of entryWarningLines(app!)) process.stdout.write(`  ${line}\n`);
  if (refused.length === 0) return 0;
  process.stderr.write(`synth: the contract policy refused ${refused.length} finding(s); report mode wrote the output anyway (${outdir}/stacks, findings in ${outdir}/${FINDINGS_FILE}):\n`);
  for (const line of refused) process.stderr.write(`  ${line}\n`);
  return 1;
}

/** `npm run synth` exactly as bin/synth.ts runs it: user mistakes print one line per problem and set exit code 1. */
export function runSynth(argv: readonly string[]): Promise<void> {
  return runCli(() => synthCommand(argv), "synth");
}
