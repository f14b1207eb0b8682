import { writeFileSync } from "node:fs";
import { renderJson } from "../review/json";
import { renderMarkdown } from "../review/markdown";
import { buildReview, EXIT_CODES, RISK_THRESHOLDS, type RiskThreshold } from "../review/report";
import { renderSarif } from "../review/sarif";
import { parseSeverity } from "./check-command";
import { load } from "./inputs";
import { checkOutputFile } from "./output-paths";
import { parseCliArgs, UserError } from "./run";
import { docsUrl, headRefused } from "./synth-report";
import { packageVersion } from "./version";

const USAGE = "usage: mimir-ports review --head <cdktf.out|plan.json> [--base <cdktf.out|plan.json>] [--format markdown|json|sarif] [--out file] [--markdown file] [--json file] [--sarif file] [--fail-on error] [--fail-on-risk critical|high|medium|none]";

/** `--fail-on-risk`: the least risk level of the change that fails the run (`none`, the default, never does). */
export function parseRiskThreshold(value: string | undefined, command: string): RiskThreshold {
  if (value === undefined) return "none";
  if ((RISK_THRESHOLDS as readonly string[]).includes(value)) return value as RiskThreshold;
  throw new UserError(`${command}: --fail-on-risk ${JSON.stringify(value)} is not one of ${RISK_THRESHOLDS.join(", ")}`);
}

/**
 * `mimir-ports review`: the PR report. Exit 0 pass, 1 fail (head findings at
 * or above --fail-on, risks at or above --fail-on-risk, a head synth refused),
 * 2 unreadable or missing input; review.json's `status` says the same.
 */
export async function reviewCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs(
    {
      args,
      options: {
        head: { type: "string" },
        base: { type: "string" },
        format: { type: "string", default: "markdown" },
        out: { type: "string" },
        markdown: { type: "string" },
        json: { type: "string" },
        sarif: { type: "string" },
        "fail-on": { type: "string", default: "error" },
        "fail-on-risk": { type: "string" },
      },
      allowPositionals: false,
    },
    USAGE,
  );
  if (!values.head) throw new UserError(`review: --head is required; ${USAGE}`);
  const threshold = parseSeverity(values["fail-on"]!);
  const failOnRisk = parseRiskThreshold(values["fail-on-risk"], "review");
  const renderers: Record<string, (r: ReturnType<typeof buildReview>) => string> = {
    markdown: (r) => renderMarkdown(r),
    json: renderJson,
    sarif: (r) => renderSarif(r, packageVersion(), ".", docsUrl()),
  };
  const format = values.format!;
  if (!renderers[format]) throw new UserError(`review: --format ${JSON.stringify(format)} is not one of markdown, json, sarif`);

  for (const flag of ["out", "markdown", "json", "sarif"] as const) if (values[flag]) checkOutputFile("review", `--${flag}`, values[flag]);

  const head = load(values.head);
  const base = values.base ? load(values.base) : undefined;
  const review = buildReview(head, base, threshold, headRefused(values.head) ? { headRefused: true } : {}, { failOnRisk });

  for (const [name, file] of [["markdown", values.markdown], ["json", values.json], ["sarif", values.sarif]] as const) {
    if (file) writeFileSync(file, renderers[name](review));
  }
  const main = renderers[format](review);
  if (values.out) writeFileSync(values.out, main);
  else process.stdout.write(main.endsWith("\n") ? main : `${main}\n`);
  return EXIT_CODES[review.status];
}
