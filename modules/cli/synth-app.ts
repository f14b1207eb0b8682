/**
 * The synth every entry point shares: `npm run synth` (bin/synth.ts) and
 * `cdktf synth` (cdktf.json runs main.ts, which calls `runAppSynth`). Validate,
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
    if (report) {
      ({ app, refused } = synthReporting(tmp, build));
      writeFindings(tmp, refused, policyResults(app));
    } else {
      app = build(tmp);
      app.synth();
    }
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
 * `cdktf synth`: cdktf.json runs the app file, which calls this with its own
 * `buildApp`. The output goes where the cdktf CLI asks ($CDKTF_OUTDIR), report
 * mode follows MIMIR_PORTS_SYNTH_REPORT, and failures print like `npm run synth`.
 */
export function runAppSynth(build: (outdir: string) => App): Promise<void> {
  return runCli(() => synthApp({ outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out", build, report: process.env[REPORT_ENV] === "1" }), "synth");
}
