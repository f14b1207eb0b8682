/**
 * `npm run synth`: the main job. Validates every environment, synthesizes
 * cdktf.out/stacks/<env> and prints a short exposure summary. On bad input it
 * prints one line per problem, exits 1 and leaves cdktf.out untouched.
 *
 *   npm run synth                                  # the reference environments in main.ts
 *   npm run synth -- --environments envs.json      # or a .json/.ts file exporting `environments`
 *   npm run synth -- --outdir out                  # default: cdktf.out (or $CDKTF_OUTDIR)
 *   npm run synth -- --app my-app.ts               # a module exporting buildApp(outdir, inputs?) (default: ./main.ts)
 *   npm run synth -- --report                      # write the output and findings even when the policy refuses (exit 1)
 *                                                  # (or MIMIR_PORTS_SYNTH_REPORT=1)
 */

import "../modules/cli/fast-start"; // first: see the file (README, "Performance")
import type { App } from "cdktf";
import { buildApp, environments as referenceEnvironments } from "../main";
import { writeAtomically } from "../modules/cli/atomic-outdir";
import { loadAppBuilder, loadEnvironments } from "../modules/cli/load-environments";
import { parseCliArgs, runCli } from "../modules/cli/run";
import { FINDINGS_FILE, REPORT_ENV, synthReporting, writeFindings } from "../modules/cli/synth-report";
import { summaryLines } from "../modules/review/summary";
import { policyResults } from "../modules/stack/mimir-stack";

void runCli(async () => {
  const usage = "usage: npm run synth [-- --environments <file.json|module.ts>] [--outdir <dir>] [--report] [--app <module exporting buildApp>]";
  const { values } = parseCliArgs({ options: { environments: { type: "string" }, outdir: { type: "string" }, report: { type: "boolean" }, app: { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: false }, usage);
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const outdir = values.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const report = values.report === true || process.env[REPORT_ENV] === "1";
  const inputs = values.environments ? await loadEnvironments(values.environments) : referenceEnvironments;
  const build = values.app ? await loadAppBuilder(values.app) : buildApp;
  let app: App | undefined;
  let refused: string[] = [];
  writeAtomically(outdir, (tmp) => {
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
  if (refused.length === 0) return 0;
  process.stderr.write(`synth: the contract policy refused ${refused.length} finding(s); report mode wrote the output anyway (${outdir}/stacks, findings in ${outdir}/${FINDINGS_FILE}):\n`);
  for (const line of refused) process.stderr.write(`  ${line}\n`);
  return 1;
}, "synth");
