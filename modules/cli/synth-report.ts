/**
 * Report mode for `npm run synth`: when the contract policy refuses a stack,
 * write the output anyway (and the findings beside it) so the PR review
 * always has a head to read. The exit code stays non-zero.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { App } from "../platform/cdktf";
import type { IConstruct } from "constructs";
import { markReportMode } from "../stack/report-mode";

/** The environment variable that turns report mode on (for callers that cannot pass flags, e.g. an older base). */
export const REPORT_ENV = "MIMIR_PORTS_SYNTH_REPORT";
/** Written into the output directory in report mode. */
export const FINDINGS_FILE = "mimir-ports-findings.json";

/** cdktf's validation failure (our contract policy or another validation). */
export function isValidationFailure(err: unknown): err is Error {
  return err instanceof Error && /^(App-level |Stack-level )?[Vv]alidation failed with the following errors:/.test(err.message);
}

/**
 * Synthesize with `build(outdir)`; when validation refuses, synthesize again
 * without validation (everything is written) and run every validation
 * afterwards. Returns the app that wrote the output and the refusals,
 * `[construct path] message`, one per problem.
 */
export function synthReporting(outdir: string, build: (outdir: string) => App): { app: App; refused: string[] } {
  const app = build(outdir);
  try {
    app.synth();
    return { app, refused: [] };
  } catch (err) {
    if (!isValidationFailure(err)) throw err;
  }
  const again = build(outdir);
  // cdktf's own switch (AppConfig.skipValidation); set here so callers keep their app factory.
  (again as unknown as { skipValidation: boolean }).skipValidation = true;
  // The policy still runs (below, after the write): the contract output says so instead of "skipped" (MP017).
  markReportMode(again);
  again.synth();
  const refused = again.node.findAll().flatMap((c: IConstruct) => c.node.validate().map((m) => `[${c.node.path}] ${m}`));
  return { app: again, refused };
}

/** The findings file: what the policy found, whether it refused, stable bytes. */
export function writeFindings(outdir: string, refused: readonly string[], results: ReadonlyArray<{ findings: readonly unknown[] }>): void {
  const doc = { schemaVersion: 1, refused: refused.length > 0, refusals: refused, findings: results.flatMap((r) => r.findings) };
  writeFileSync(join(outdir, FINDINGS_FILE), `${JSON.stringify(doc, null, 2)}\n`);
}

/** Did synth's report mode write this output although the policy refused it? */
export function headRefused(output: string): boolean {
  try {
    if (!existsSync(output) || statSync(output).isFile()) return false;
    return JSON.parse(readFileSync(join(output, FINDINGS_FILE), "utf8")).refused === true;
  } catch {
    return false;
  }
}

/** The README address for SARIF helpUris: $MIMIR_PORTS_DOCS_URL (the workflow sets the repository's), else the package page. */
export function docsUrl(): string | undefined {
  return process.env.MIMIR_PORTS_DOCS_URL || undefined;
}
