import { writeFileSync } from "node:fs";
import { renderJson } from "../review/json";
import { renderMarkdown } from "../review/markdown";
import { buildReview } from "../review/report";
import { renderSarif } from "../review/sarif";
import { parseSeverity } from "./check-command";
import { load } from "./inputs";
import { parseCliArgs, UserError } from "./run";
import { docsUrl, headRefused } from "./synth-report";
import { packageVersion } from "./version";

const USAGE = "usage: mimir-ports review --head <cdktf.out|plan.json> [--base <cdktf.out|plan.json>] [--format markdown|json|sarif] [--out file] [--markdown file] [--json file] [--sarif file] [--fail-on error]";

/**
 * `mimir-ports review`: the PR report. Exit 0 clean, 1 head findings at or
 * above --fail-on, 2 unreadable or missing input.
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
      },
      allowPositionals: false,
    },
    USAGE,
  );
  if (!values.head) throw new UserError(`review: --head is required; ${USAGE}`);
  const threshold = parseSeverity(values["fail-on"]!);
  const renderers: Record<string, (r: ReturnType<typeof buildReview>) => string> = {
    markdown: (r) => renderMarkdown(r),
    json: renderJson,
    sarif: (r) => renderSarif(r, packageVersion(), ".", docsUrl()),
  };
  const format = values.format!;
  if (!renderers[format]) throw new UserError(`review: --format ${JSON.stringify(format)} is not one of markdown, json, sarif`);

  const head = load(values.head);
  const base = values.base ? load(values.base) : undefined;
  const review = buildReview(head, base, threshold, headRefused(values.head) ? { headRefused: true } : {});

  for (const [name, file] of [["markdown", values.markdown], ["json", values.json], ["sarif", values.sarif]] as const) {
    if (file) writeFileSync(file, renderers[name](review));
  }
  const main = renderers[format](review);
  if (values.out) writeFileSync(values.out, main);
  else process.stdout.write(main.endsWith("\n") ? main : `${main}\n`);
  return review.failing.length > 0 ? 1 : 0;
}
