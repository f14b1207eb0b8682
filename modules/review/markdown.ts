/**
 * The PR comment. What a reviewer needs first is visible: the verdict, counts
 * by severity and a plain-words summary of the change (one line per cause),
 * then every finding with its path and fix, then acknowledged exposures.
 * Everything else (the base diff, contracts, exposure tables, diagrams) is in
 * collapsed <details>. Cut to GitHub's comment limit by severity: findings
 * and environments with findings go first and are never dropped.
 */
import { authLine } from "../policy/auth-rule";
import { ruleById } from "../policy/rules";
import { SEVERITIES, severityRank, type Finding, type Severity } from "../policy/types";

export { cell, severityCounts } from "./format";
import { where } from "./changes";
import { plannedDestruction } from "./diff";
import { short } from "./exposures";
import { envSection } from "./markdown-env";
import { createdAt, overriddenAt, recordedSource, stackSource } from "./source-location";
import { cell, ICON, plural, severityCounts, worst } from "./format";
import type { Review, StackReport } from "./report";

export const MARKER = "<!-- mimir-ports-review -->";
/** GitHub's limit for one comment body. */
export const COMMENT_LIMIT = 65536;
/** Summary bullets shown before "… more in the details". */
const SUMMARY_LINES = 8;

function title(review: Review): string {
  const envs = plural(review.stacks.length, "environment");
  const all = review.stacks.flatMap((s) => s.findings);
  const c = severityCounts(all);
  const risky = (review.changes?.lines ?? []).filter((l) => l.level === "critical" || l.level === "high");
  if (review.context.headError) return "## ❌ Mimir port contract: the head did not synthesize";
  if (review.failing.length > 0) {
    const hit = new Set(review.failing.map((f) => f.stack)).size;
    return `## ❌ Mimir port contract: ${plural(review.failing.length, "finding")} at or above ${review.threshold} in ${hit} of ${envs}`;
  }
  if (review.failingRisks.length > 0) return `## ❌ Mimir port contract: the change carries ${plural(review.failingRisks.length, "risk")} at or above ${review.riskThreshold} (--fail-on-risk)`;
  const critical = risky.filter((l) => l.level === "critical").length;
  if (risky.length > 0) return `## ⚠️ Mimir port contract: ${envs} pass, but the change carries ${plural(risky.length, "high-risk change")}${critical ? ` (${critical} critical)` : ""}`;
  if (c.warning + c.note > 0) return `## ⚠️ Mimir port contract: ${envs} pass, ${plural(c.warning + c.note, "warning")}`;
  if (c.acknowledged > 0) return `## ✅ Mimir port contract: ${envs} pass; ${plural(c.acknowledged, "acknowledged finding")} listed below`;
  return `## ✅ Mimir port contract: ${envs} pass, nothing exposed`;
}

/** Lines of a tool's output quoted as a code block (a fence longer than any backtick run inside, so the Markdown stays valid). */
function quotedOutput(text: string, max: number): string[] {
  const lines = text.split("\n").slice(0, max).map((l) => l.slice(0, 300));
  const longest = Math.max(0, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [">", `> ${fence}text`, ...lines.map((l) => `> ${l}`), `> ${fence}`];
}

function banners(review: Review): string[] {
  const out: string[] = [];
  const ctx = review.context;
  if (ctx.headError) out.push(`> **The head did not synthesize**, so there is nothing to review (no changes, no risks):`, ...quotedOutput(ctx.headError, 8), "");
  if (ctx.headRefused) {
    const refused = review.stacks.flatMap((s) => s.findings).filter((f) => !f.acknowledged && severityRank(f.severity) >= severityRank("error"));
    const c = severityCounts(refused);
    const parts = [c.critical ? `${c.critical} critical` : "", c.error ? `${c.error} error` : ""].filter(Boolean).join(", ");
    out.push(`> **synth refused: ${parts || "0"} finding${refused.length === 1 ? "" : "s"}.** \`cdktf synth\` fails on this head; it was written in report mode so it could be reviewed. Fix or acknowledge the findings below.`, "");
  }
  if (ctx.baseError) out.push(`> **The base${ctx.baseLabel ? ` (\`${ctx.baseLabel}\`)` : ""} did not synthesize**, so this review shows the head alone, without changes against base:`, ...quotedOutput(ctx.baseError, 5), "");
  // Which step failed is said above; the whole log is in the run.
  if (ctx.runUrl && (ctx.headError || ctx.baseError)) out.splice(out.length - 1, 0, ">", `> Log: ${ctx.runUrl}`);
  return out;
}

function countsLine(review: Review): string {
  const c = severityCounts(review.stacks.flatMap((s) => s.findings));
  const sev = (n: number, s: Severity) => (n > 0 ? `${ICON[s]} **${n} ${s}**` : `0 ${s}`);
  return `${sev(c.critical, "critical")} · ${sev(c.error, "error")} · ${sev(c.warning, "warning")}${c.note ? ` · ${c.note} note` : ""} · ☑️ ${c.acknowledged} acknowledged · ${plural(review.stacks.length, "environment")}`;
}

/** The plain-words summary: risks, one line per cause, exposure changes. */
function summary(review: Review): { shown: string[]; more: number } {
  const lines: string[] = [];
  if (review.changes) lines.push(...review.changes.lines.map((l) => l.text));
  if (review.diff && lines.length === 0) lines.push(`No change: ${review.stacks.length === 1 ? "the environment synthesizes" : `all ${review.stacks.length} environments synthesize`} to the same resources as the base.`);
  if (!review.diff && !review.changes && !review.context.headError) lines.push("No base to compare with: this reviews the head alone (pass `--base` to see what the change does).");
  return { shown: lines.slice(0, SUMMARY_LINES).map((l) => `- ${l}`), more: Math.max(0, lines.length - SUMMARY_LINES) };
}

/** Identical findings in many environments (same rule, resource and message) are one entry. */
interface FindingGroup {
  readonly finding: Finding;
  readonly stacks: string[];
}

function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    const key = [f.ruleId, f.severity, short(f.address), f.message, f.fix, f.acknowledged?.reason ?? ""].join("\u0000");
    const g = groups.get(key) ?? { finding: f, stacks: [] };
    g.stacks.push(f.stack);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity) || a.finding.ruleId.localeCompare(b.finding.ruleId) || a.stacks[0].localeCompare(b.stacks[0]) || a.finding.address.localeCompare(b.finding.address));
}

/** The reachability path of a finding: from the finding (`path`, when the model gives one) or from its exposure row. */
function pathOf(f: Finding, review: Review): string | undefined {
  const given = (f as Finding & { path?: readonly string[] }).path;
  if (given && given.length > 0) return given.join(" → ");
  const e = review.stacks.find((s) => s.stack === f.stack)?.exposures.find((x) => x.address === f.address);
  return e ? `${e.sources} → ${e.entry} → ${e.port}` : undefined;
}

/** The policy's message ends with "; path: a → b → c" for the CLI; the comment prints the path on its own line. */
function withoutPath(message: string): string {
  return message.replace(/; path: .*$/, "");
}

function findingEntry(g: FindingGroup, review: Review, total: number): string {
  const f = g.finding;
  const path = pathOf(f, review);
  const resources = review.stacks.find((s) => s.stack === f.stack)?.model.resources ?? [];
  const source = createdAt(resources, f.address);
  const overridden = overriddenAt(resources, f.address);
  // A warning does not fail the check: one line here, its path and fix in each environment's section.
  if (f.severity === "warning") return `- ${ICON[f.severity]} **${f.ruleId} ${f.severity}** ${where(g.stacks, total)} · \`${f.address}\`: ${withoutPath(f.message)} (path and fix in the environment's section)`;
  return [
    `- ${ICON[f.severity]} **${f.ruleId} ${f.severity}** ${where(g.stacks, total)} · \`${f.address}\`: ${withoutPath(f.message)}  `,
    ...(path ? [`  Path: ${short(path)}  `] : []),
    `  Fix: ${f.fix}${source || overridden ? "  " : ""}`,
    ...(overridden ? [`  Overridden at: \`${overridden}\`${source ? "  " : ""}`] : []),
    ...(source ? [`  Created at: \`${source}\``] : []),
  ].join("\n");
}

/** Acknowledged groups that differ only by resource (one decision, e.g. `auth.mode none`, covers every listener rule) are one entry. */
function mergeByResource(groups: readonly FindingGroup[]): Array<FindingGroup & { readonly addresses: string[] }> {
  const out = new Map<string, FindingGroup & { addresses: string[] }>();
  for (const g of groups) {
    const f = g.finding;
    const key = [f.ruleId, f.severity, f.message, f.acknowledged?.reason ?? "", [...g.stacks].sort().join(",")].join("\u0000");
    const m = out.get(key) ?? { ...g, addresses: [] };
    m.addresses.push(short(f.address));
    out.set(key, m);
  }
  return [...out.values()];
}

function acknowledgedEntry(g: FindingGroup & { readonly addresses: readonly string[] }, total: number): string {
  const f = g.finding;
  const what = g.addresses.length === 1 ? `\`${f.address}\`` : `${g.addresses.length} resources (\`${g.addresses[0]}\`, …)`;
  return `- ☑️ **${f.ruleId} ${f.severity}** ${where(g.stacks, total)} · ${what}: ${withoutPath(f.message)}. Accepted: _${cell(f.acknowledged!.reason)}_`;
}

function diffDetails(review: Review): string {
  const diff = review.diff ?? [];
  const out: string[] = [];
  const changed = diff.filter((d) => d.status !== "unchanged");
  const label = review.diff ? `Changes against base: ${plural(changed.length, "environment")} changed, ${diff.length - changed.length} unchanged` : "Planned changes";
  out.push(`<details><summary>${label}</summary>`, "");
  for (const d of diff) {
    for (const a of d.destructive) out.push(`> **⚠️ ${d.stack}: \`${a}\` would be destroyed.** If it was renamed, add a \`moved\` block (cdktf \`moveTo\`) so Terraform keeps it.`, "");
    if (d.auth) out.push(`> **${d.auth.removed ? "⚠️" : "🔐"} ${d.stack}: authentication changed${d.auth.removed ? " to none" : ""}.** Before: ${cell(authLine(d.auth.before))}. After: ${cell(authLine(d.auth.after))}.`, "");
    for (const r of d.replaced) out.push(`> **⚠️ ${d.stack}: \`${r.address}\` would be replaced** (${r.attributes.join(", ")} changed): Terraform destroys and recreates it.`, "");
  }
  for (const s of review.stacks) {
    for (const p of plannedDestruction(s.model)) out.push(`> **⚠️ The plan ${p.action === "replaced" ? "replaces" : "destroys"} \`${p.address}\`.**`, "");
    const planned = s.model.plannedChanges;
    if (planned) {
      const count = (pred: (a: readonly string[]) => boolean) => planned.filter((c) => pred(c.actions)).length;
      out.push(`${s.stack}: Plan: ${count((a) => a.length === 1 && a[0] === "create")} to add, ${count((a) => a.includes("update"))} to change, ${count((a) => a.includes("delete") && a.includes("create"))} to replace, ${count((a) => a.length === 1 && a[0] === "delete")} to destroy.`, "");
    }
  }
  if (review.changes && review.changes.lines.length > SUMMARY_LINES) {
    out.push("**Every change, by cause**", "", ...review.changes.lines.map((l) => `- ${l.text}`), "");
  }
  if (changed.length) {
    out.push("| environment | status | resources added | removed | changed | exposures added | exposures removed |", "|---|---|---|---|---|---|---|");
    for (const d of changed) out.push(`| ${d.stack} | ${d.status} | ${d.added.length} | ${d.removed.length} | ${d.changed.length} | ${d.exposuresAdded.length} | ${d.exposuresRemoved.length} |`);
    out.push("");
  }
  for (const d of changed.filter((x) => x.exposuresAdded.length + x.exposuresRemoved.length > 0)) {
    out.push(`**${d.stack}: exposure changes**`, "");
    for (const e of d.exposuresAdded) out.push(`- ➕ ${e}`);
    for (const e of d.exposuresRemoved) out.push(`- ➖ ${e}`);
    out.push("");
  }
  for (const d of changed) {
    if (d.settings.length) out.push(`**${d.stack}: Terraform settings changed:** ${d.settings.map((k) => `\`${k}\``).join(", ")}`, "");
    if (d.added.length + d.removed.length + d.changed.length === 0) continue;
    // Where each resource was created: the stack's `new MimirStack(...)` line once, other lines (the user's own resources) per resource.
    const common = recordedSource(stackSource(Object.keys(d.sources).map((address) => ({ address, type: "", name: "", values: { "//": { metadata: { source: d.sources[address] } } } }))));
    out.push(`**${d.stack}: resources by address**${common ? ` (created at \`${common}\` unless noted)` : ""}`, "");
    const at = (a: string) => (d.sources[a] && d.sources[a] !== common ? ` (created at \`${d.sources[a]}\`)` : "");
    for (const a of d.added) out.push(`- added \`${a}\`${at(a)}`);
    for (const a of d.removed) out.push(`- removed \`${a}\`${at(a)}`);
    for (const a of d.changed) out.push(`- changed \`${a}\`${at(a)}`);
    out.push("");
  }
  if (out.length === 2) return "";
  out.push("</details>", "");
  return out.join("\n");
}

/** Environments in the order they are worth showing: worst open finding, then acknowledged, then by name. */
function envOrder(stacks: readonly StackReport[]): StackReport[] {
  const rank = (s: StackReport) => {
    const w = worst(s.findings);
    return w ? 10 + severityRank(w) : s.findings.length > 0 ? 1 : 0;
  };
  return [...stacks].sort((a, b) => rank(b) - rank(a) || a.stack.localeCompare(b.stack));
}

/** Render, keeping the whole body under `limit` characters; what is cut is said, lowest severity first. */
export function renderMarkdown(review: Review, limit = COMMENT_LIMIT): string {
  const reserve = 600;
  const budget = limit - reserve;
  const total = review.stacks.length;
  const { shown, more } = summary(review);
  // A head that did not synthesize has nothing to count: no "0 environments" line under its error.
  const counts = review.context.headError ? [] : [countsLine(review), ""];
  const top = [MARKER, title(review), "", ...banners(review), ...counts, ...shown, ...(more ? [`- … and ${more} more (see "Changes against base" below)`] : []), ""].join("\n");
  let body = top.length > budget ? top.slice(0, top.lastIndexOf("\n", budget)) : top;
  const notes: string[] = [];

  const all = review.stacks.flatMap((s) => s.findings);
  const open = groupFindings(all.filter((f) => !f.acknowledged));
  const acked = mergeByResource(groupFindings(all.filter((f) => f.acknowledged)));
  const compact = (s: StackReport) => {
    const c = severityCounts(s.findings);
    return `- **${s.stack}**: ${SEVERITIES.filter((x) => c[x]).map((x) => `${c[x]} ${x}`).join(", ") || "no open finding"}${c.acknowledged ? `, ${c.acknowledged} acknowledged` : ""} (tables cut for size; review.json has them)`;
  };
  // Never dropped: environments with an open finding at or above the failing threshold. Ones with only warnings or
  // acknowledged findings go after them, before clean ones (a warning every environment carries must not crowd out the rest).
  const failingStacks = new Set(review.failing.map((f) => f.stack));
  const hasOpen = (s: StackReport) => failingStacks.has(s.stack);
  const withFindings = envOrder(review.stacks).filter(hasOpen);
  // Never dropped: a one-line entry for every environment with a finding.
  let mustKeep = withFindings.reduce((n, s) => n + compact(s).length + 1, 0) + 200;

  const addList = (heading: string, entries: string[], what: string) => {
    if (entries.length === 0) return;
    body += `\n${heading}\n\n`;
    let i = 0;
    for (; i < entries.length; i++) {
      if (body.length + entries[i].length + 1 > budget - mustKeep) break;
      body += `${entries[i]}\n`;
    }
    if (i < entries.length) notes.push(`${entries.length - i} of ${entries.length} ${what} (the least severe)`);
  };
  addList(`### Findings (${open.reduce((n, g) => n + g.stacks.length, 0)})`, open.map((g) => findingEntry(g, review, total)), "finding entries");
  addList(`### Acknowledged (${all.filter((f) => f.acknowledged).length})`, acked.map((g) => acknowledgedEntry(g, total)), "acknowledged entries");
  body += "\n";

  if (review.diff || review.changes) {
    const d = diffDetails(review);
    if (body.length + d.length <= budget - mustKeep) body += `${d}\n`;
    else notes.push("the changes against base");
  }
  let cutEnvs = 0;
  let cutAcknowledged = 0;
  const compacted: string[] = [];
  // Compact lines of environments with only acknowledged findings, written after the sections.
  let optional = 0;
  for (const s of envOrder(review.stacks)) {
    const mustShow = hasOpen(s);
    // Its compact line stays reserved unless the full section takes its place.
    const reserved = mustShow ? compact(s).length + 1 : 0;
    const full = envSection(s);
    if (body.length + optional + full.length + 1 <= budget - (mustKeep - reserved)) {
      body += `${full}\n`;
      mustKeep -= reserved;
    } else if (mustShow) compacted.push(compact(s));
    else if (s.findings.length > 0 && body.length + optional + compact(s).length + 1 <= budget - mustKeep) {
      compacted.push(compact(s));
      optional += compact(s).length + 1;
    } else if (s.findings.length > 0) cutAcknowledged++;
    else cutEnvs++;
  }
  if (compacted.length) body += `\n${compacted.join("\n")}\n`;
  if (cutEnvs) notes.push(`${cutEnvs} of ${total} environment section(s) without findings`);
  if (cutAcknowledged) notes.push(`${cutAcknowledged} of ${total} environment(s) with only warnings or acknowledged findings`);
  if (notes.length) body += `\n> ✂️ **Report truncated** to stay under GitHub's ${limit.toLocaleString("en-US")}-character comment limit, lowest severity first: ${notes.join("; ")} not shown. The JSON and SARIF outputs hold everything.\n`;
  const rules = [...new Set(all.map((f) => f.ruleId))].sort();
  if (rules.length) {
    const line = `\n<sub>Rules: ${rules.map((id) => `${id} ${ruleById(id)?.title ?? ""}`).join(" · ")}</sub>\n`;
    if (body.length + line.length <= limit) body += line;
  }
  return body.length > limit ? body.slice(0, limit) : body;
}

