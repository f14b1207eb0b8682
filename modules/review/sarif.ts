/**
 * SARIF 2.1.0 for code scanning: every rule with help and a helpUri into the
 * README; results at the user's source (see ./source-location), with the
 * synthesized stack file as a related location and the construct path as the
 * logical location.
 */
import { textReader } from "../shared/text-reader";
import { fromEntry, fromMetadata, fromOverride, fromStackTrace, repoPath, stackSource } from "./source-location";
import { RULES } from "../policy/rules";
import type { Severity } from "../policy/types";
import type { Review } from "./report";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { critical: "error", error: "error", warning: "warning", note: "note" };
// GitHub code scanning reads security-severity (0-10) to rank security alerts.
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", error: "7.5", warning: "4.0", note: "1.0" };

/** Line of `"<name>": {` inside `"<type>": {` in a cdk.tf.json, for a precise region. */
function lineOf(text: string | undefined, type: string, name: string): number | undefined {
  if (!text) return undefined;
  const lines = text.split("\n");
  const typeLine = lines.findIndex((l) => l.trim() === `"${type}": {`);
  if (typeLine < 0) return undefined;
  const at = lines.findIndex((l, i) => i > typeLine && l.trim() === `"${name}": {`);
  return at < 0 ? undefined : at + 1;
}

/** Where rule help lives: the package page's README, one anchor per rule (`#mp001`); the workflows point at docs/policy-rules.md. */
export const DEFAULT_DOCS_URL = "https://www.npmjs.com/package/mimir-port-contract";

/**
 * `sourceRoot`: the project directory SARIF paths are relative to (the
 * repository root in CI). `docsUrl`: the README's address for helpUri.
 */
export function renderSarif(review: Review, version: string, sourceRoot = ".", docsUrl = DEFAULT_DOCS_URL): string {
  const textOf = textReader();
  const results = review.stacks.flatMap((s) =>
    s.findings.map((f) => {
      const resource = s.model.resources.find((r) => r.address === f.address);
      const line = resource && s.model.format === "cdktf" ? lineOf(textOf(f.file), resource.type, resource.name) : undefined;
      // The line of the user's addOverride on the resource, else the line that created it, else the stack's `new MimirStack(...)` line, else the environment's definition.
      const source = fromOverride(resource, sourceRoot) ?? fromMetadata(resource, sourceRoot) ?? fromStackTrace(resource, sourceRoot) ?? fromMetadata(stackSource(s.model.resources), sourceRoot) ?? fromEntry(sourceRoot, f.stack, textOf);
      return {
        ruleId: f.ruleId,
        ruleIndex: RULES.findIndex((r) => r.id === f.ruleId),
        level: LEVEL[f.severity],
        message: { text: `[${f.stack}] ${f.message}. Fix: ${f.fix}` },
        locations: [
          {
            physicalLocation: { artifactLocation: { uri: source.uri }, ...(source.line ? { region: { startLine: source.line } } : {}) },
            logicalLocations: [{ fullyQualifiedName: f.constructPath ?? f.address, name: f.address, kind: "resource" }],
          },
        ],
        relatedLocations: [{ id: 0, physicalLocation: { artifactLocation: { uri: repoPath(f.file) }, ...(line ? { region: { startLine: line } } : {}) }, message: { text: `synthesized ${f.address}` } }],
        partialFingerprints: { mimirPortsFinding: `${f.stack}/${f.ruleId}/${f.address}` },
        properties: { severity: f.severity, stack: f.stack, address: f.address },
        ...(f.acknowledged ? { suppressions: [{ kind: "external", status: "accepted", justification: f.acknowledged.reason }] } : {}),
      };
    }),
  );
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "mimir-ports",
            version,
            informationUri: "https://grafana.com/docs/mimir/latest/",
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : "")),
              shortDescription: { text: r.title },
              fullDescription: { text: r.help },
              helpUri: `${docsUrl}#${r.id.toLowerCase()}`,
              help: { text: `${r.help}${r.related ? ` Related: ${r.related}.` : ""}`, markdown: `**${r.title}**\n\n${r.help}${r.related ? `\n\nRelated public checks: ${r.related}.` : ""}` },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: ["security", "network", "mimir"], "security-severity": SECURITY_SEVERITY[r.severity] },
            })),
          },
        },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
