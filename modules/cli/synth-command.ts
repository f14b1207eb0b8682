import { buildApp, environments as referenceEnvironments } from "../../main";
import { summaryLines } from "../review/summary";
import { entryWarningLines, policyResults } from "../stack/mimir-stack";
import { writeAtomically } from "./atomic-outdir";
import { loadEnvironments } from "./load-environments";
import { parseCliArgs, runCli } from "./run";

const USAGE = "usage: npm run synth [-- --environments <file.json|module.ts>] [--outdir <dir>]";

/** The body of `npm run synth`: validate, synthesize atomically, print the summary. Returns the exit code. */
export async function synthCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs({ args: [...argv], options: { environments: { type: "string" }, outdir: { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: false }, USAGE);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const outdir = values.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const inputs = values.environments ? await loadEnvironments(values.environments) : referenceEnvironments;
  let app: ReturnType<typeof buildApp> | undefined;
  await writeAtomically(outdir, (tmp) => {
    app = buildApp(tmp, inputs);
    app.synth();
  });
  process.stdout.write(`synthesized ${inputs.length} stack(s) into ${outdir}/stacks\n`);
  // The policy already modelled every stack during synth: summarize that, without reading the output back.
  for (const line of summaryLines(policyResults(app!))) process.stdout.write(`  ${line}\n`);
  for (const line of entryWarningLines(app!)) process.stdout.write(`  ${line}\n`);
  return 0;
}

/** `npm run synth` exactly as bin/synth.ts runs it: user mistakes print one line per problem and set exit code 1. */
export function runSynth(argv: readonly string[]): Promise<void> {
  return runCli(() => synthCommand(argv), "synth");
}
