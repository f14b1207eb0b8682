/**
 * `npm run synth`: the main job. Validates every environment, synthesizes
 * cdktf.out/stacks/<env> and prints a short exposure summary. On bad input it
 * prints one line per problem, exits 1 and leaves cdktf.out untouched.
 */
import { buildApp } from "../main";
import { writeAtomically } from "../modules/cli/atomic-outdir";
import { runCli } from "../modules/cli/run";

const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";

void runCli(() => {
  writeAtomically(outdir, (tmp) => buildApp(tmp).synth());
  process.stdout.write(`synthesized ${outdir}/stacks\n`);
  return 0;
}, "synth");
