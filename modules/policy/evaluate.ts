import type { ExposureModel } from "../exposure/model";
import type { Acknowledgement } from "../exposure/terraform-json";
import { RULES } from "./rules";
import { severityRank, type Finding, type Severity } from "./types";

function matches(ack: Acknowledgement, ruleId: string, address: string, constructPath?: string): boolean {
  if (ack.rule !== ruleId) return false;
  if (ack.resource === address) return true;
  // A plan carries no construct paths: an acknowledgement on the stack itself (its construct path, e.g. `prod`) covers the whole plan.
  if (constructPath === undefined && !ack.resource.includes("/") && !ack.resource.includes(".")) return true;
  return constructPath !== undefined && (constructPath === ack.resource || constructPath.startsWith(`${ack.resource}/`));
}

/** Run every rule; findings sorted by severity, rule and address (stable output). */
export function evaluate(model: ExposureModel): Finding[] {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    for (const raw of rule.check(model)) {
      const address = raw.resource.address;
      const constructPath = raw.resource.constructPath;
      const ack = model.contract.acknowledgements.find((a) => matches(a, rule.id, address, constructPath));
      findings.push({
        ruleId: rule.id,
        severity: raw.severity ?? rule.severity,
        stack: model.stack,
        file: model.file,
        address,
        ...(constructPath ? { constructPath } : {}),
        message: raw.message,
        fix: raw.fix,
        path: [...(raw.path ?? [address])].filter((x) => x !== ""),
        ...(ack ? { acknowledged: { reason: ack.reason } } : {}),
      });
    }
  }
  return findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.ruleId.localeCompare(b.ruleId) || a.address.localeCompare(b.address) || a.message.localeCompare(b.message));
}

/** Findings that fail a run: at or above the threshold and not acknowledged. */
export function failing(findings: readonly Finding[], threshold: Severity): Finding[] {
  return findings.filter((f) => !f.acknowledged && severityRank(f.severity) >= severityRank(threshold));
}

/** `MP001 critical aws_x.y (prod/edge/...): message. Fix: fix` */
export function formatFinding(f: Finding): string {
  return `${f.ruleId} ${f.severity} ${f.address}${f.constructPath ? ` (${f.constructPath})` : ""}: ${f.message}. Fix: ${f.fix}`;
}
