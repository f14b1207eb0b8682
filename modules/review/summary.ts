/** A few lines per environment, printed at the end of `npm run synth`: the entry points, the contract, and any warnings. */
import type { ExposureModel } from "../exposure/model";
import { formatFinding } from "../policy/evaluate";
import type { Finding } from "../policy/types";
import { severityRank } from "../policy/types";
import { exposuresOf } from "./exposures";

/** Warnings shown per environment before "and N more" (the review report has them all). */
const MAX_WARNINGS = 5;

/** One stack as the synth-time policy saw it: its model and findings (no need to read the output back). */
export interface PolicyResult {
  readonly model: ExposureModel;
  readonly findings: readonly Finding[];
}

export function summaryLines(results: readonly PolicyResult[]): string[] {
  const sorted = [...results].sort((a, b) => a.model.stack.localeCompare(b.model.stack));
  return sorted.flatMap(({ model: m, findings }) => {
    const open = findings.filter((f) => !f.acknowledged);
    const errors = open.filter((f) => severityRank(f.severity) >= severityRank("error")).length;
    const warnings = open.filter((f) => severityRank(f.severity) < severityRank("error"));
    const entries = exposuresOf(m, findings)
      .filter((e) => e.entry.includes("listener"))
      .map((e) => `${e.entry.replace(/ \(.*\)$/, "")} from ${e.sources}`);
    const { http, grpc, memberlist } = m.contract.ports;
    const head = `${m.stack}: ${entries.length ? entries.join("; ") : "no load balancer listener"} | internal only: http ${http}, grpc ${grpc}, memberlist ${memberlist} | ${errors} error(s), ${warnings.length} warning(s), ${findings.length - open.length} acknowledged`;
    const shown = warnings.slice(0, MAX_WARNINGS).map((f) => `  warning: ${formatFinding(f)}`);
    const more = warnings.length > MAX_WARNINGS ? [`  … and ${warnings.length - MAX_WARNINGS} more warning(s): npm run -s check -- <outdir> --fail-on warning`] : [];
    return [head, ...shown, ...more];
  });
}
