/** One environment's collapsed section: contract, exposure table, Mermaid diagram of allowed (and acknowledged) traffic. */
import { INTERNAL_PORT_NAMES, portFacts } from "../contract/port-contract";
import { authLine } from "../policy/auth-rule";
import { acknowledgementFor } from "../policy/evaluate";
import { SEVERITIES } from "../policy/types";
import { cell, ICON, severityCounts } from "./format";
import { entryBlock } from "./markdown-entry";
import { clientsLine } from "../exposure/clients-info";
import { mermaidOf } from "./mermaid";
import { repoPath } from "./source-location";
import { portNumbers } from "./migration";
import type { StackReport } from "./report";

function verdictCell(v: string): string {
  if (v === "ok") return "✅ ok";
  if (v.startsWith("acknowledged")) return `☑️ ${cell(v)}`;
  // A warning does not fail the check: not drawn as a violation.
  if (v.split(", ").every((x) => / (warning|note)$/.test(x))) return `⚠️ ${cell(v)}`;
  return `❌ ${cell(v)}`;
}

/** The environment's open warnings: path, fix and the acknowledgement that silences each (the findings list has one line each). */
function warningBlock(s: StackReport): string[] {
  const warnings = s.findings.filter((f) => !f.acknowledged && (f.severity === "warning" || f.severity === "note"));
  return warnings.flatMap((f, i) => [
    ...(i > 0 ? [""] : []),
    `**⚠️ ${f.ruleId} ${f.severity}** \`${f.address}\`  `,
    ...(f.path && f.path.length ? [`Path: ${cell(f.path.join(" → "))}  `] : []),
    `Fix: ${cell(f.fix)}  `,
    `To accept it on purpose, add to the environment's \`acknowledgements\`: \`${JSON.stringify(acknowledgementFor(f))}\``,
  ]);
}

export function envSummary(s: StackReport): string {
  const c = severityCounts(s.findings);
  const parts = SEVERITIES.filter((x) => c[x] > 0).map((x) => `${ICON[x]} ${c[x]} ${x}`);
  if (c.acknowledged) parts.push(`☑️ ${c.acknowledged} acknowledged`);
  return `${s.stack}: ${parts.length ? parts.join(" · ") : "✅ no findings"}`;
}

export function envSection(s: StackReport): string {
  const out: string[] = [`<details><summary>${envSummary(s)}</summary>`, "", `Source: \`${repoPath(s.file)}\``, "", `**Authentication:** ${s.auth.length ? "🔐" : "❌"} ${cell(authLine(s.auth))}`, "", ...(s.model.contract.clients ? [`**Client classes:** ${cell(clientsLine(s.model.contract.clients))}`, ""] : []), ...entryBlock(s.model.contract.entry)];
  out.push("| port | number | protocol | Mimir config key | Kubernetes port |", "|---|---|---|---|---|");
  for (const name of INTERNAL_PORT_NAMES) out.push(`| ${name} | ${cell(portNumbers(s.model.contract, name))} | TCP | \`${portFacts(name).configKey}\` | \`${portFacts(name).k8sName}\` |`);
  for (const [name, port] of Object.entries(s.model.contract.neighbours)) out.push(`| ${name} | ${port} | TCP | _fixed by the chart; members only_ | |`);
  if (!s.model.contract.declared) out.push("", "_No `mimir_port_contract` output in this input: Mimir's default ports were assumed._");
  out.push("", "| entry point | port | allowed sources | verdict |", "|---|---|---|---|");
  for (const e of s.exposures) out.push(`| ${cell(e.entry)} | ${cell(e.port)} | ${cell(e.sources)} | ${verdictCell(e.verdict)} |`);
  if (s.exposures.length === 0) out.push("| _none_ | | | |");
  const warnings = warningBlock(s);
  if (warnings.length) out.push("", ...warnings);
  out.push("", "```mermaid", mermaidOf(s), "```", "", "</details>", "");
  return out.join("\n");
}
