/** A few lines per environment, printed at the end of `npm run synth`: the entry points, the contract, and any warnings. */
import type { ExposureModel } from "../exposure/model";
import { acknowledgementFor } from "../policy/evaluate";
import type { Finding } from "../policy/types";
import { severityRank } from "../policy/types";
import { INTERNAL_PORT_NAMES } from "../contract/port-contract";
import { exposuresOf, short, type Exposure } from "./exposures";
import { portNumbers } from "./migration";

/** Warnings shown per environment before "and N more" (the review report has them all). */
const MAX_WARNINGS = 5;

/** One stack as the synth-time policy saw it: its model and findings (no need to read the output back). */
export interface PolicyResult {
  readonly model: ExposureModel;
  readonly findings: readonly Finding[];
}

/** `http <port> from 0.0.0.0/0 — "reason"`: each acknowledged way in to a contract port, with the acknowledgement's reason. */
function openedByAcknowledgement(exposures: readonly Exposure[], findings: readonly Finding[], port: string): Array<{ port: string; text: string }> {
  const out = new Map<string, { port: string; text: string }>();
  for (const e of exposures) {
    if (!e.verdict.startsWith("acknowledged") || e.port.split(" ")[0] !== port) continue;
    const reasons = [...new Set(findings.filter((f) => f.address === e.address && f.acknowledged).map((f) => f.acknowledged!.reason))];
    const text = `${e.port} from ${e.sources.replace(/ \(anywhere\)/g, "")} — ${reasons.map((r) => JSON.stringify(r)).join(", ")}`;
    out.set(text, { port, text });
  }
  return [...out.values()];
}

export function summaryLines(results: readonly PolicyResult[]): string[] {
  const sorted = [...results].sort((a, b) => a.model.stack.localeCompare(b.model.stack));
  const lines = sorted.flatMap(({ model: m, findings }) => {
    const open = findings.filter((f) => !f.acknowledged);
    const errors = open.filter((f) => severityRank(f.severity) >= severityRank("error")).length;
    const warnings = open.filter((f) => severityRank(f.severity) < severityRank("error"));
    const exposures = exposuresOf(m, findings);
    const entries = exposures.filter((e) => e.entry.includes("listener")).map((e) => `${e.entry.replace(/ \(.*\)$/, "")} from ${e.sources}`);
    // A contract port an acknowledged exposure opens is not internal: it is open, and the summary says why.
    const opened = INTERNAL_PORT_NAMES.flatMap((name) => openedByAcknowledgement(exposures, findings, name));
    const internal = INTERNAL_PORT_NAMES.filter((name) => !opened.some((o) => o.port === name)).map((name) => `${name} ${portNumbers(m.contract, name)}`);
    const parts = [
      entries.length ? entries.join("; ") : "no load balancer listener",
      ...(opened.length ? [`open by acknowledgement: ${opened.map((o) => o.text).join("; ")}`] : []),
      ...(internal.length ? [`internal only: ${internal.join(", ")}`] : []),
      `${errors} error(s), ${warnings.length} warning(s), ${findings.length - open.length} acknowledged`,
    ];
    const head = `${m.stack}: ${parts.join(" | ")}`;
    const shown = warnings.slice(0, MAX_WARNINGS).map((f) => `  warning: ${warningLine(f)}`);
    const more = warnings.length > MAX_WARNINGS ? [`  … and ${warnings.length - MAX_WARNINGS} more warning(s): npm run -s check -- <outdir> --fail-on warning`] : [];
    return [head, ...shown, ...more];
  });
  return [...lines, ...acceptLines(sorted.flatMap((r) => r.findings.filter((f) => !f.acknowledged && severityRank(f.severity) < severityRank("error")).slice(0, MAX_WARNINGS)))];
}

/** One short line per warning: rule, construct path, what reaches what (path and fix: `mimir-ports check`, the review). */
function warningLine(f: Finding): string {
  return `${f.ruleId} ${f.constructPath ?? short(f.address)}: ${f.message.replace(/; path: [\s\S]*$/, "")}`;
}

/**
 * The acknowledgement that silences each warning, once for every environment where it is the same
 * (the environment's name in the resource path is the only difference): paste it into those environments' `acknowledgements`.
 */
function acceptLines(warnings: readonly Finding[]): string[] {
  const byTemplate = new Map<string, string[]>();
  for (const f of warnings) {
    const ack = acknowledgementFor(f);
    const resource = ack.resource.startsWith(`${f.stack}/`) ? `<environment>${ack.resource.slice(f.stack.length)}` : ack.resource;
    const template = JSON.stringify({ ...ack, resource });
    byTemplate.set(template, [...(byTemplate.get(template) ?? []), f.stack]);
  }
  return [...byTemplate].map(([template, stacks]) => `  to accept ${stacks.length > 1 ? `in ${[...new Set(stacks)].join(", ")}` : `in ${stacks[0]}`} (<environment>: each one's name): acknowledgements: [${template}]`);
}
