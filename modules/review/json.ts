/**
 * The machine-readable review. Field names are stable (schemaVersion 1);
 * no timestamps or machine paths, so the same input gives the same bytes.
 * Additions keep the version: `stacks[].entry` (the entry path) came later.
 */
import type { Review } from "./report";
import { createdAt, overriddenAt, repoPath } from "./source-location";

export const JSON_SCHEMA_VERSION = 1;

export function renderJson(review: Review): string {
  const doc = {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: "mimir-ports",
    // pass, fail or error: the exit code of review and pr-review (0, 1, 2).
    status: review.status,
    threshold: review.threshold,
    failOnRisk: review.riskThreshold,
    stacks: review.stacks.map(({ model: { contract: { entry, ...contract }, ...model }, ...s }) => ({
      stack: s.stack,
      file: repoPath(s.file),
      format: model.format,
      contract,
      // The entry path (kind, hosts, groups, public routes, operator access); null when the input does not declare it.
      entry: entry ?? null,
      exposures: s.exposures,
      // Each finding with the line in the user's code that created its resource (`source`, e.g. "main.ts:112"), when recorded.
      // And the line of the user's addOverride on it (`overriddenAt`), when an escape-hatch override changed it.
      findings: s.findings.map((f) => {
        const source = createdAt(model.resources, f.address);
        const overridden = overriddenAt(model.resources, f.address);
        return { ...f, file: repoPath(f.file), ...(source ? { source } : {}), ...(overridden ? { overriddenAt: overridden } : {}) };
      }),
      auth: s.auth,
      ...(model.plannedChanges ? { plannedChanges: model.plannedChanges } : {}),
    })),
    ...(review.diff ? { diff: review.diff } : {}),
    ...(review.changes
      ? {
          changes: review.changes.lines,
          risks: review.changes.risks.map((r) => {
            const source = createdAt(review.stacks.find((s) => s.stack === r.stack)?.model.resources ?? [], r.address);
            return source ? { ...r, source } : r;
          }),
        }
      : {}),
    ...(Object.keys(review.context).length ? { context: review.context } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
