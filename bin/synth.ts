/**
 * `npm run synth`: the main job. Validates every environment, synthesizes
 * cdktf.out/stacks/<env> and prints a short exposure summary. On bad input it
 * prints one line per problem, exits 1 and leaves cdktf.out untouched.
 *
 *   npm run synth                                  # the reference environments in main.ts
 *   npm run synth -- --environments envs.json      # or a .json/.ts file exporting `environments`
 *   npm run synth -- --outdir out                  # default: cdktf.out (or $CDKTF_OUTDIR)
 */

import "../modules/cli/fast-start"; // first: see the file (README, "Performance")
import { buildApp, environments as referenceEnvironments } from "../main";
import { writeAtomically } from "../modules/cli/atomic-outdir";
import { loadEnvironments } from "../modules/cli/load-environments";
import { parseCliArgs, runCli } from "../modules/cli/run";
import { summaryLines } from "../modules/review/summary";
import { entryWarningLines, policyResults } from "../modules/stack/mimir-stack";

void runCli(async () => {
  const usage = "usage: npm run synth [-- --environments <file.json|module.ts>] [--outdir <dir>]";
  const { values } = parseCliArgs({ options: { environments: { type: "string" }, outdir: { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: false }, usage);
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const outdir = values.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const inputs = values.environments ? await loadEnvironments(values.environments) : referenceEnvironments;
  let app: ReturnType<typeof buildApp> | undefined;
  writeAtomically(outdir, (tmp) => {
    app = buildApp(tmp, inputs);
    app.synth();
  });
  process.stdout.write(`synthesized ${inputs.length} stack(s) into ${outdir}/stacks\n`);
  // The policy already modelled every stack during synth: summarize that, without reading the output back.
  for (const line of summaryLines(policyResults(app!))) process.stdout.write(`  ${line}\n`);
  for (const line of entryWarningLines(app!)) process.stdout.write(`  ${line}\n`);
  return 0;
}, "synth");
