/**
 * The synth every entry point shares: `npm run synth` (bin/synth.ts), and
 * `mimir-ports synth` / `cdktf synth` (cdktf.json runs main.ts, which calls
 * `runAppSynth`). Validate,
 * synthesize into a fresh folder and swap it in, print the summary; a refused
 * change prints one short line per problem (environment, field, value, fix;
 * policy findings with their paths), exit 1, no stack trace and no hint to
 * skip validation.
 */
import { summaryLines } from "../review/summary";
import { clientClassLines, entryWarningLines, policyResults } from "../stack/mimir-stack";
import { writeAtomically } from "./atomic-outdir";
import { FINDINGS_FILE, REPORT_ENV, synthReporting, writeFindings } from "./synth-report";
import { TerraformStack, type App } from "../platform/cdktf";
import { runCli } from "./run";

export interface SynthAppOptions {
  /** Where to write (cdktf.out, or $CDKTF_OUTDIR as `cdktf synth` sets it). */
  readonly outdir: string;
  /** Builds the app into the given directory (validating the environments first: throws ConfigError). */
  readonly build: (outdir: string) => App;
  /** Write the output and the findings even when the policy refuses (exit 1 then). */
  readonly report: boolean;
}

/** Validate, synthesize atomically, print the summary. Returns the exit code. */
export async function synthApp({ outdir, build, report }: SynthAppOptions): Promise<number> {
  let app: App | undefined;
  let refused: string[] = [];
  await writeAtomically(outdir, (tmp) => {
    // Every stack's refusals at once (cdktf alone stops at the first refused stack).
    ({ app, refused } = synthReporting(tmp, build));
    if (report) writeFindings(tmp, refused, policyResults(app));
    // Without report mode a refusal writes nothing: the new output is dropped, the previous one stays.
    else if (refused.length > 0) throw new Error(`Validation failed with the following errors:\n${refused.map((l) => `  ${l}`).join("\n")}`);
  });
  const stacks = app!.node.findAll().filter((c) => TerraformStack.isStack(c)).length;
  process.stdout.write(`synthesized ${stacks} stack(s) into ${outdir}/stacks\n`);
  // The policy already modelled every stack during synth: summarize that, without reading the output back.
  for (const line of summaryLines(policyResults(app!))) process.stdout.write(`  ${line}\n`);
  for (const line of entryWarningLines(app!)) process.stdout.write(`  ${line}\n`);
  for (const line of clientClassLines(app!)) process.stdout.write(`  ${line}\n`);
  if (refused.length === 0) return 0;
  process.stderr.write(`synth: the contract policy refused ${refused.length} finding(s); report mode wrote the output anyway (${outdir}/stacks, findings in ${outdir}/${FINDINGS_FILE}):\n`);
  for (const line of refused) process.stderr.write(`  ${line}\n`);
  return 1;
}

/**
 * The synth entry for your app (public API): call it with a function that
 * builds your App into the directory it is given, instead of `app.synth()`.
 * Validates, synthesizes atomically and prints the exposure summary; a
 * refused change prints one short block (configuration problems or policy
 * findings), exit code 1, no stack trace and no hint to skip validation.
 * The output goes where `cdktf synth` / `mimir-ports synth` ask
 * ($CDKTF_OUTDIR, default cdktf.out); report mode (the PR review) follows
 * MIMIR_PORTS_SYNTH_REPORT.
 *
 *   runAppSynth((outdir) => { const app = new App({ outdir }); new MimirStack(app, "prod", { environment }); return app; });
 */
export function runAppSynth(build: (outdir: string) => App): Promise<void> {
  return runCli(() => synthApp({ outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out", build, report: process.env[REPORT_ENV] === "1" }), "synth");
}
