/**
 * From per-resource differences to causes: one line per cause, not per
 * resource. A contract port move explains every resource that carries the
 * port; what is left is grouped by action, type and changed attributes.
 */
import type { InternalPortName } from "../contract/port-contract";
import { INTERNAL_PORT_NAMES } from "../contract/port-contract";
import type { ExposureModel } from "../exposure/model";
import { sortKeys } from "../shared/objects";
import { FORCES_REPLACEMENT } from "./diff";
import { short, type Exposure } from "./exposures";
import type { StackReport } from "./stack-report";
import { entryCauseLines, entryChange, isEntryResource } from "./entry-changes";
import { settingsCauses } from "./settings-changes";
import { clientCauseLines } from "./client-changes";
import { authChange } from "../policy/auth-rule";
import { migrationSteps, stepPorts, type PortMigrationStep } from "./migration";
import { riskRank, risksOf, type ChangeAction, type ResourceChange, type Risk, type RiskLevel } from "./risk";

const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

function changedAttributes(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  keys.delete("//");
  return [...keys].filter((k) => !same(before[k], after[k])).sort();
}

/** Per resource, what happens between base and head (cdktf outputs), or what the head plan does. */
export function resourceChanges(base: StackReport | undefined, head: StackReport | undefined): ResourceChange[] {
  const stack = (head ?? base)!.stack;
  if (head?.model.plannedChanges) {
    const after = new Map(head.model.resources.map((r) => [r.address, r.values]));
    return head.model.plannedChanges.map((c) => {
      const action: ChangeAction = c.actions.includes("delete") ? (c.actions.includes("create") ? "replace" : "destroy") : c.actions.includes("create") ? "create" : "update";
      return { stack, address: c.address, type: c.type, action, attributes: [], ...(after.has(c.address) ? { after: after.get(c.address) } : {}) };
    });
  }
  if (!base) return [];
  const b = new Map(base.model.resources.map((r) => [r.address, r]));
  const h = new Map((head?.model.resources ?? []).map((r) => [r.address, r]));
  const out: ResourceChange[] = [];
  for (const [address, r] of h) {
    const old = b.get(address);
    if (!old) {
      out.push({ stack, address, type: r.type, action: "create", attributes: [], after: r.values });
      continue;
    }
    // Fast path: byte-identical values (cdktf writes keys sorted) need no per-attribute look.
    if (old.values === r.values || JSON.stringify(old.values) === JSON.stringify(r.values)) continue;
    const attributes = changedAttributes(old.values, r.values);
    if (attributes.length === 0) continue;
    const replace = (FORCES_REPLACEMENT[r.type] ?? []).some((k) => attributes.includes(k));
    out.push({ stack, address, type: r.type, action: replace ? "replace" : "update", attributes, before: old.values, after: r.values });
  }
  for (const [address, r] of b) if (!h.has(address)) out.push({ stack, address, type: r.type, action: "destroy", attributes: [], before: r.values });
  return out.sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
}

export interface PortMove {
  readonly port: InternalPortName;
  readonly from: number;
  readonly to: number;
}

export function portMoves(base: ExposureModel | undefined, head: ExposureModel | undefined): PortMove[] {
  if (!base || !head || !base.contract.declared || !head.contract.declared) return [];
  return INTERNAL_PORT_NAMES.filter((p) => base.contract.ports[p] !== head.contract.ports[p]).map((p) => ({ port: p, from: base.contract.ports[p], to: head.contract.ports[p] }));
}

/** One grouped line: a cause, where it happens, how many resources, and what it risks. */
export interface ChangeLine {
  readonly level?: RiskLevel;
  readonly text: string;
}

export interface ChangeSummary {
  /** Per stack, the resource changes (for the details and the JSON). */
  readonly changes: readonly ResourceChange[];
  readonly risks: readonly Risk[];
  /** One line per cause, most severe first. */
  readonly lines: readonly ChangeLine[];
}

const mentions = (values: unknown, port: number) => values !== undefined && new RegExp(`(^|[^0-9])${port}([^0-9]|$)`).test(JSON.stringify(values));
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "in all 3 environments", "in prod", "in prod, staging", "in 40 environments (the first 12 names, …)". */
export function where(stacks: readonly string[], total: number): string {
  const sorted = [...new Set(stacks)].sort();
  if (sorted.length === total && total > 1) return `in all ${total} environments`;
  if (sorted.length <= 3) return `in ${sorted.join(", ")}`;
  return `in ${sorted.length} environments (${sorted.slice(0, 12).join(", ")}${sorted.length > 12 ? ", …" : ""})`;
}

/** A leveled cause of one stack as a risk (review.json `risks`, --fail-on-risk): the line's words for that stack alone. */
const causeRisk = (level: RiskLevel, stack: string, address: string, text: string): Risk => ({ level, stack, address, says: text.replace(/\*\*/g, "").replace("{where}", `in ${stack}`) });

const ACTION_WORDS: Record<ChangeAction, string> = { create: "added", update: "changed", replace: "replaced", destroy: "destroyed" };

export function summarizeChanges(base: readonly StackReport[] | undefined, head: readonly StackReport[]): ChangeSummary {
  const names = [...new Set([...(base ?? []).map((s) => s.stack), ...head.map((s) => s.stack)])].sort();
  const total = names.length;
  const changes: ResourceChange[] = [];
  const risks: Risk[] = [];
  const portCauses = new Map<string, { step: PortMigrationStep; stacks: string[]; resources: number }>();
  const rest = new Map<string, { action: ChangeAction; type: string; attributes: readonly string[]; stacks: string[]; resources: number }>();
  const envLines: ChangeLine[] = [];
  const exposureGroups = new Map<string, { level?: RiskLevel; stacks: string[] }>();
  const entryGroups = new Map<string, { level?: RiskLevel; stacks: string[]; resources: number }>();
  const settingsGroups = new Map<string, { level?: RiskLevel; stacks: string[] }>();
  // Leveled causes that are not resource risks (port moves, entry, ways in, removed environments): risks too, listed after the resource risks.
  const causeRisks: Risk[] = [];

  for (const name of names) {
    const b = base?.find((s) => s.stack === name);
    const h = head.find((s) => s.stack === name);
    if (base && !b) envLines.push({ text: `**${name}** is a new environment: ${plural(h!.model.resources.length, "resource")} to create` });
    if (base && b && !h) {
      const text = `**${name}** is removed: its ${plural(b.model.resources.length, "resource")} would be destroyed`;
      envLines.push({ level: "high", text });
      causeRisks.push(causeRisk("high", name, name, text));
    }
    const mine = resourceChanges(b, h);
    changes.push(...mine);
    const moves = portMoves(b?.model, h?.model);
    const explained = new Set<string>();
    const movedBy = (c: ResourceChange) => moves.some((move) => mentions(c.before, move.from) || mentions(c.after, move.to));
    // A port move explains its resources' lesser risks (the port note says what happens); high and critical ones stay.
    for (const c of mine) risks.push(...risksOf(c, { base: b?.model, head: h?.model }).filter((r) => riskRank(r.level) >= riskRank("high") || !movedBy(c)));
    if (b && h) for (const r of exposureLines(b, h, moves, exposureGroups)) causeRisks.push(r);
    // Providers, backend, data sources, outputs, versions: risks with the resource risks, the rest one line per cause.
    if (b && h) {
      for (const cause of settingsCauses(b.model, h.model)) {
        if (cause.risk && cause.level) risks.push({ level: cause.level, stack: name, address: cause.address, says: cause.text });
        else {
          const g = settingsGroups.get(cause.text) ?? { ...(cause.level ? { level: cause.level } : {}), stacks: [] };
          g.stacks.push(name);
          settingsGroups.set(cause.text, g);
        }
      }
    }
    if ((base && !b) || (b && !h)) continue;
    // Port moves and migration phases (migration.ts): one cause each, explaining the resources that carry either number.
    for (const step of migrationSteps(b?.model.contract, h?.model.contract)) {
      const key = step.text;
      const hits = mine.filter((c) => stepPorts(step).some((port) => mentions(c.before, port) || mentions(c.after, port)));
      hits.forEach((c) => explained.add(c.address));
      const cause = portCauses.get(key) ?? { step, stacks: [], resources: 0 };
      cause.stacks.push(name);
      cause.resources += hits.length;
      portCauses.set(key, cause);
      causeRisks.push(causeRisk(step.level, name, `contract.ports.${step.port}`, step.text.replace("{resources}", plural(hits.length, "resource"))));
    }
    if (b && h) {
      // The entry path (kind, groups, routes, operator access, auth): one line per cause; its entry resources are counted there.
      const causes = entryCauseLines(entryChange(b.model.contract.entry, h.model.contract.entry), b, h);
      const folded = causes.length ? mine.filter((x) => !explained.has(x.address) && isEntryResource(x)) : [];
      folded.forEach((x) => explained.add(x.address));
      causes.forEach((cause, i) => {
        const g = entryGroups.get(cause.text) ?? { ...(cause.level ? { level: cause.level } : {}), stacks: [], resources: 0 };
        g.stacks.push(name);
        if (i === 0) g.resources += folded.length;
        entryGroups.set(cause.text, g);
        if (cause.level) causeRisks.push(causeRisk(cause.level, name, "contract.entry", cause.text.replace(/^\*\*high risk\*\* \{where\}: /, "")));
      });
      // The client classes (issue 27): a class that gains a group, a new class, weaker authentication: high risks of their own.
      for (const cause of clientCauseLines(b.model.contract.clients, h.model.contract.clients, authChange(b.auth, h.auth)?.removed)) {
        const g = entryGroups.get(cause.text) ?? { ...(cause.level ? { level: cause.level } : {}), stacks: [], resources: 0 };
        g.stacks.push(name);
        entryGroups.set(cause.text, g);
        if (cause.level) causeRisks.push(causeRisk(cause.level, name, cause.address, cause.text.replace(/^\*\*high risk\*\* \{where\}: /, "")));
      }
    }
    for (const c of mine.filter((x) => !explained.has(x.address))) {
      const key = `${c.action}|${c.type}|${c.attributes.join(",")}`;
      const group = rest.get(key) ?? { action: c.action, type: c.type, attributes: c.attributes, stacks: [], resources: 0 };
      group.stacks.push(name);
      group.resources++;
      rest.set(key, group);
    }
  }

  const lines: ChangeLine[] = [];
  // Risks first, grouped by what they say (the same risk in 40 environments is one line).
  const byText = new Map<string, { level: RiskLevel; stacks: string[] }>();
  for (const r of risks) {
    const text = r.says;
    const entry = byText.get(text) ?? { level: r.level, stacks: [] };
    entry.stacks.push(r.stack);
    byText.set(text, entry);
  }
  for (const [text, { level, stacks }] of [...byText].sort((x, y) => riskRank(y[1].level) - riskRank(x[1].level) || x[0].localeCompare(y[0]))) {
    lines.push({ level, text: `**${level} risk** ${where(stacks, total)}: ${text}` });
  }
  for (const [text, g] of [...entryGroups].sort((x, y) => riskRank(y[1].level ?? "low") - riskRank(x[1].level ?? "low"))) {
    const resources = g.resources ? `; ${plural(g.resources, "entry resource")} change` : "";
    lines.push({ ...(g.level ? { level: g.level } : {}), text: `${text.replace("{where}", where(g.stacks, total))}${resources}` });
  }
  for (const { step, stacks, resources } of [...portCauses.values()].sort((x, y) => riskRank(y.step.level) - riskRank(x.step.level) || x.step.port.localeCompare(y.step.port))) {
    lines.push({ level: step.level, text: step.text.replace("{where}", where(stacks, total)).replace("{resources}", plural(resources, "resource")) });
  }
  lines.push(...envLines);
  for (const [text, g] of [...settingsGroups].sort((x, y) => riskRank(y[1].level ?? "low") - riskRank(x[1].level ?? "low"))) {
    lines.push({ ...(g.level ? { level: g.level } : {}), text: text.replace("{where}", where(g.stacks, total)) });
  }
  for (const [text, g] of exposureGroups) lines.push({ ...(g.level ? { level: g.level } : {}), text: text.replace("{where}", where(g.stacks, total)) });
  for (const g of [...rest.values()].sort((x, y) => y.resources - x.resources || x.type.localeCompare(y.type) || x.action.localeCompare(y.action))) {
    const attrs = g.attributes.length ? ` (${g.attributes.slice(0, 4).join(", ")}${g.attributes.length > 4 ? ", …" : ""})` : "";
    lines.push({ text: `${plural(g.resources, `\`${g.type}\``, `\`${g.type}\``)} ${ACTION_WORDS[g.action]}${attrs} ${where(g.stacks, total)}` });
  }
  risks.push(...causeRisks);
  return { changes, risks: risks.sort((x, y) => riskRank(y.level) - riskRank(x.level) || x.stack.localeCompare(y.stack) || x.address.localeCompare(y.address)), lines };
}

const wayIn = (e: Exposure) => `${e.port} from ${short(e.sources)} through ${short(e.entry)}${e.verdict !== "ok" ? ` — ${e.verdict}` : ""}`;

/**
 * Ways in gained and lost, after undoing port moves (a moved port is one
 * cause, not a new exposure). Ways in the policy flags are named; the rest
 * is one line, grouped across environments.
 */
function exposureLines(b: StackReport, h: StackReport, moves: readonly PortMove[], groups: Map<string, { level?: RiskLevel; stacks: string[] }>): Risk[] {
  const risks: Risk[] = [];
  // A transition in progress admits its other number as the same way in (phase 1 and 2 of a migration are not new exposures).
  const moving = [...moves, ...Object.values(h.model.contract.transitions ?? {}).flatMap((t) => (t ? [{ from: t.from, to: t.to }] : []))];
  const undo = (text: string) => moving.reduce((t, m) => t.replace(new RegExp(`(^|[^0-9])${m.to}(?![0-9])`, "g"), `$1${m.from}`), text);
  const key = (e: Exposure) => `${e.entry} · ${e.port} · ${e.sources} · ${e.verdict}`;
  const before = new Set(b.exposures.map(key));
  const after = new Set(h.exposures.map((e) => undo(key(e))));
  const added = h.exposures.filter((e) => !before.has(undo(key(e))));
  const removed = b.exposures.filter((e) => !after.has(key(e)));
  const flagged = added.filter((e) => e.verdict !== "ok");
  for (const e of flagged) {
    const text = `**opened {where}**: ${wayIn(e)}`;
    const g = groups.get(text) ?? { level: e.verdict.startsWith("acknowledged") || / warning$/.test(e.verdict) ? "medium" : "high", stacks: [] };
    g.stacks.push(h.stack);
    groups.set(text, g);
    risks.push(causeRisk(g.level!, h.stack, e.address, text));
  }
  const quiet = added.length - flagged.length;
  if (quiet + removed.length > 0) {
    const text = `ways in within the contract {where}: ${quiet} added, ${removed.length} removed`;
    const g = groups.get(text) ?? { stacks: [] };
    g.stacks.push(h.stack);
    groups.set(text, g);
  }
  return risks;
}
