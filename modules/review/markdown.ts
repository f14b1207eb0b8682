/** The PR comment: a marker, a status title, per-environment tables, a Mermaid diagram, and the base diff. */
import { INTERNAL_PORT_NAMES, portFacts } from "../contract/port-contract";
import { authLine } from "../policy/auth-rule";
import { ruleById } from "../policy/rules";
import { severityRank, type Finding } from "../policy/types";
import { mermaidOf } from "./mermaid";
import type { Review, StackReport } from "./report";
import { plannedDestruction, type StackDiff } from "./diff";

export const MARKER = "<!-- mimir-ports-review -->";
/** GitHub's limit for one comment body. */
export const COMMENT_LIMIT = 65536;

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function counts(findings: readonly Finding[]) {
  const open = findings.filter((f) => !f.acknowledged);
  return {
    errors: open.filter((f) => severityRank(f.severity) >= severityRank("error")).length,
    warnings: open.filter((f) => f.severity === "warning" || f.severity === "note").length,
    acknowledged: findings.length - open.length,
  };
}

function title(review: Review): string {
  const all = review.stacks.flatMap((s) => s.findings);
  const c = counts(all);
  const envs = `${review.stacks.length} environment${review.stacks.length === 1 ? "" : "s"}`;
  const destroys = (review.diff ?? []).some((d) => d.destructive.length + d.replaced.length > 0) || review.stacks.some((s) => plannedDestruction(s.model).length > 0);
  if (review.failing.length > 0) return `## ❌ Mimir port contract: ${review.failing.length} finding(s) at or above ${review.threshold} in ${envs}`;
  if (destroys) return `## ⚠️ Mimir port contract: no policy failures in ${envs}, but the change destroys edge resources`;
  if (c.warnings > 0) return `## ⚠️ Mimir port contract: ${envs} pass, ${c.warnings} warning(s)`;
  return `## ✅ Mimir port contract: ${envs} pass, nothing exposed`;
}

function stackSection(s: StackReport): string {
  const out: string[] = [`### ${s.stack}`, "", `Source: \`${s.file}\``, "", `**Authentication:** ${s.auth.length ? "🔐" : "❌"} ${cell(authLine(s.auth))}`, ""];
  const planned = s.model.plannedChanges;
  if (planned) {
    for (const d of plannedDestruction(s.model)) out.push(`> **⚠️ The plan ${d.action === "replaced" ? "replaces" : "destroys"} \`${d.address}\`.** ${d.action === "replaced" ? "Terraform destroys and recreates it" : "Traffic through it stops"}; check that this is intended.`, "");
    const count = (pred: (a: readonly string[]) => boolean) => planned.filter((c) => pred(c.actions)).length;
    const isReplace = (a: readonly string[]) => a.includes("delete") && a.includes("create");
    out.push(`Plan: ${count((a) => a.length === 1 && a[0] === "create")} to add, ${count((a) => a.includes("update"))} to change, ${count(isReplace)} to replace, ${count((a) => a.length === 1 && a[0] === "delete")} to destroy.`, "");
  }
  const ports = s.model.contract.ports;
  out.push("| port | number | protocol | Mimir config key | Kubernetes port |", "|---|---|---|---|---|");
  for (const name of INTERNAL_PORT_NAMES) out.push(`| ${name} | ${ports[name]} | TCP | \`${portFacts(name).configKey}\` | \`${portFacts(name).k8sName}\` |`);
  for (const [name, port] of Object.entries(s.model.contract.neighbours)) out.push(`| ${name} | ${port} | TCP | _fixed by the chart; members only_ | |`);
  if (!s.model.contract.declared) out.push("", "_No `mimir_port_contract` output in this input: Mimir's default ports were assumed._");
  out.push("", "| entry point | port | allowed sources | verdict |", "|---|---|---|---|");
  for (const e of s.exposures) out.push(`| ${cell(e.entry)} | ${cell(e.port)} | ${cell(e.sources)} | ${e.verdict === "ok" ? "✅ ok" : e.verdict.startsWith("acknowledged") ? `☑️ ${e.verdict}` : `❌ ${cell(e.verdict)}`} |`);
  if (s.exposures.length === 0) out.push("| _none_ | | | |");
  const open = s.findings.filter((f) => !f.acknowledged);
  const acked = s.findings.filter((f) => f.acknowledged);
  out.push("", open.length ? "**Findings**" : "**Findings:** none", "");
  if (open.length) {
    out.push("| ID | severity | address | problem | fix |", "|---|---|---|---|---|");
    for (const f of open) out.push(`| ${f.ruleId} | ${f.severity} | \`${cell(f.address)}\` | ${cell(f.message)} | ${cell(f.fix)} |`);
    out.push("");
  }
  if (acked.length) {
    out.push("**Acknowledged findings**", "", "| ID | severity | address | problem | reason |", "|---|---|---|---|---|");
    for (const f of acked) out.push(`| ${f.ruleId} | ${f.severity} | \`${cell(f.address)}\` | ${cell(f.message)} | ${cell(f.acknowledged!.reason)} |`);
    out.push("");
  }
  out.push("<details><summary>Allowed traffic</summary>", "", "```mermaid", mermaidOf(s), "```", "", "</details>", "");
  return out.join("\n");
}

function diffSection(diff: readonly StackDiff[]): string {
  const out: string[] = ["### Changes against base", ""];
  for (const d of diff) {
    for (const a of d.destructive) out.push(`> **⚠️ ${d.stack}: \`${a}\` would be destroyed.** A removed load balancer, listener, target group or security group cuts traffic; if it was renamed, add a \`moved\` block (cdktf \`moveTo\`) so Terraform keeps it.`, "");
    if (d.auth) out.push(`> **${d.auth.removed ? "⚠️" : "🔐"} ${d.stack}: authentication changed${d.auth.removed ? " to none" : ""}.** Before: ${cell(authLine(d.auth.before))}. After: ${cell(authLine(d.auth.after))}.`, "");
    for (const r of d.replaced) out.push(`> **⚠️ ${d.stack}: \`${r.address}\` would be replaced** (${r.attributes.join(", ")} changed): Terraform destroys and recreates it.`, "");
  }
  out.push("| environment | status | resources added | removed | changed | exposures added | exposures removed |", "|---|---|---|---|---|---|---|");
  for (const d of diff) out.push(`| ${d.stack} | ${d.status} | ${d.added.length} | ${d.removed.length} | ${d.changed.length} | ${d.exposuresAdded.length} | ${d.exposuresRemoved.length} |`);
  out.push("");
  for (const d of diff.filter((x) => x.exposuresAdded.length + x.exposuresRemoved.length > 0)) {
    out.push(`**${d.stack}: exposure changes**`, "");
    for (const e of d.exposuresAdded) out.push(`- ➕ ${e}`);
    for (const e of d.exposuresRemoved) out.push(`- ➖ ${e}`);
    out.push("");
  }
  const withChanges = diff.filter((d) => d.added.length + d.removed.length + d.changed.length > 0);
  if (withChanges.length) {
    out.push("<details><summary>Resources by address</summary>", "");
    for (const d of withChanges) {
      out.push(`**${d.stack}**`, "");
      for (const a of d.added) out.push(`- added \`${a}\``);
      for (const a of d.removed) out.push(`- removed \`${a}\``);
      for (const a of d.changed) out.push(`- changed \`${a}\``);
      out.push("");
    }
    out.push("</details>", "");
  }
  return out.join("\n");
}

/** Render, keeping the whole body under GitHub's comment limit with an explicit note when cut. */
export function renderMarkdown(review: Review, limit = COMMENT_LIMIT): string {
  const head: string[] = [MARKER, title(review), ""];
  head.push("| environment | errors | warnings | acknowledged |", "|---|---|---|---|");
  for (const s of review.stacks) {
    const c = counts(s.findings);
    head.push(`| ${s.stack} | ${c.errors ? `❌ ${c.errors}` : "0"} | ${c.warnings} | ${c.acknowledged} |`);
  }
  head.push("");
  const parts = [...(review.diff ? [diffSection(review.diff)] : []), ...review.stacks.map(stackSection)];
  const reserve = 400;
  let body = head.join("\n");
  if (body.length > limit - reserve) {
    // Even the summary is too long (thousands of environments): cut the table too.
    body = body.slice(0, limit - reserve);
    body = body.slice(0, body.lastIndexOf("\n"));
  }
  let shown = 0;
  for (const part of parts) {
    if (body.length + part.length + 1 > limit - reserve) break;
    body += `\n${part}`;
    shown++;
  }
  if (shown < parts.length) {
    body += `\n> ✂️ **Report truncated** to stay under GitHub's ${limit.toLocaleString("en-US")}-character comment limit: ${parts.length - shown} of ${parts.length} section(s) not shown. The JSON and SARIF outputs hold everything.\n`;
  }
  const rules = [...new Set(review.stacks.flatMap((s) => s.findings.map((f) => f.ruleId)))].sort();
  if (rules.length && body.length < limit - reserve) {
    body += `\n<sub>Rules: ${rules.map((id) => `${id} ${ruleById(id)?.title ?? ""}`).join(" · ")}</sub>\n`.slice(0, limit - body.length - 1);
  }
  return body;
}
