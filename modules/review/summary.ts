/** A few lines per environment, printed at the end of `npm run synth`. */
import type { ExposureModel } from "../exposure/model";
import { evaluate } from "../policy/evaluate";
import { severityRank } from "../policy/types";
import { exposuresOf } from "./exposures";

export function summaryLines(models: readonly ExposureModel[]): string[] {
  return models.map((m) => {
    const findings = evaluate(m);
    const open = findings.filter((f) => !f.acknowledged);
    const errors = open.filter((f) => severityRank(f.severity) >= severityRank("error")).length;
    const warnings = open.length - errors;
    const entries = exposuresOf(m, findings)
      .filter((e) => e.entry.includes("listener"))
      .map((e) => `${e.entry.replace(/ \(.*\)$/, "")} from ${e.sources}`);
    const { http, grpc, memberlist } = m.contract.ports;
    return `${m.stack}: ${entries.length ? entries.join("; ") : "no load balancer listener"} | internal only: http ${http}, grpc ${grpc}, memberlist ${memberlist} | ${errors} error(s), ${warnings} warning(s), ${findings.length - open.length} acknowledged`;
  });
}
