/** Small Markdown helpers shared by the comment's parts. */
import { SEVERITIES, type Finding, type Severity } from "../policy/types";

export const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Counts by severity of open findings, plus acknowledged ones. */
export function severityCounts(findings: readonly Finding[]): Record<Severity, number> & { acknowledged: number } {
  const out = { critical: 0, error: 0, warning: 0, note: 0, acknowledged: 0 };
  for (const f of findings) {
    if (f.acknowledged) out.acknowledged++;
    else out[f.severity]++;
  }
  return out;
}

export function worst(findings: readonly Finding[]): Severity | undefined {
  const open = findings.filter((f) => !f.acknowledged);
  return SEVERITIES.find((s) => open.some((f) => f.severity === s));
}

export const ICON: Record<Severity, string> = { critical: "⛔", error: "❌", warning: "⚠️", note: "ℹ️" };
