/** verify's output: text as `check` prints it (plus the live object), JSON, or SARIF through the review's renderer. */
import type { ExposureModel } from "../exposure/model";
import { failing, formatFinding, formatRefusal } from "../policy/evaluate";
import type { Severity } from "../policy/types";
import { renderSarif } from "../review/sarif";
import type { Review } from "../review/report";
import type { LiveFinding } from "./verify";

const liveText = (f: LiveFinding) => (f.live ? ` [${f.live.status}: ${f.live.object}${f.live.notes.length > 0 ? `; ${f.live.notes.join("; ")}` : ""}]` : "");

export function renderText(model: ExposureModel, findings: readonly LiveFinding[], threshold: Severity, from: readonly string[]): string {
  const bad = new Set(failing(findings, threshold));
  const acked = findings.filter((f) => f.acknowledged).length;
  const lines = [`${model.stack} (live: ${from.join(", ")}): ${findings.length - acked} finding(s), ${bad.size} at or above ${threshold}, ${acked} acknowledged`];
  for (const f of findings) lines.push(`  ${f.acknowledged ? `[acknowledged: ${f.acknowledged.reason}] ` : ""}${f.live ? `${f.live.status} ` : ""}${bad.has(f) ? formatRefusal(f) : formatFinding(f)}${liveText(f)}`);
  return `${lines.join("\n")}\n`;
}

export function renderJson(model: ExposureModel, findings: readonly LiveFinding[], threshold: Severity, from: readonly string[]): string {
  const bad = failing(findings, threshold).length;
  return `${JSON.stringify({ stack: model.stack, live: from, threshold, failing: bad, findings: findings.map(({ fingerprint: _f, ...f }) => f) }, null, 2)}\n`;
}

export function renderLiveSarif(model: ExposureModel, findings: readonly LiveFinding[], threshold: Severity, version: string): string {
  // The live object goes into the message; the stack's file stays the location.
  const shown = findings.map((f) => (f.live ? { ...f, message: `${f.live.status} ${f.live.object}${f.live.notes.length > 0 ? ` (${f.live.notes.join("; ")})` : ""}: ${f.message}` } : f));
  const bad = failing(shown, threshold);
  const review: Review = { stacks: [{ stack: model.stack, file: model.file, model, exposures: [], findings: shown, auth: [] }], threshold, failing: bad, riskThreshold: "none", failingRisks: [], status: bad.length > 0 ? "fail" : "pass", context: {} };
  return renderSarif(review, version);
}
