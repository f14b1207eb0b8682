/**
 * Port migrations in the review: which phase a PR is, and when a PR moves a
 * running environment's port in one step.
 *
 * The test is the one a rolling restart puts to the network: while the head
 * is applied and rolled out, pods listen on the base's port (not yet
 * restarted) or the head's (restarted), and the rules in force are the base's
 * or the head's (Terraform applies them one by one). A step is safe when both
 * listen ports are admitted by both sides; otherwise some pod is refused on the
 * port it listens on (the ring dials each ingester and store-gateway at the
 * address and port it registered) until the rollout ends.
 */
import { INTERNAL_PORT_NAMES, type InternalPortName } from "../contract/port-contract";
import { PHASE_WORDS, phaseNumber, TRANSITION_PHASES, type TransitionPhase } from "../contract/port-transition";
import { admittedPorts, type ContractInfo } from "../exposure/terraform-json";
import type { RiskLevel } from "./risk";

/** One port's change between base and head. */
export interface PortMigrationStep {
  readonly port: InternalPortName;
  /** The port Mimir listens on before the migration, and after it. */
  readonly from: number;
  readonly to: number;
  /** `phase`: a planned step; `rollback`: a safe step back; `one-step`: a running port moved without a transition. */
  readonly kind: "phase" | "rollback" | "one-step";
  /** For `phase`: which one. */
  readonly phase?: TransitionPhase;
  readonly level: RiskLevel;
  /** The cause line, with `{where}` for the environments and `{resources}` for the count. */
  readonly text: string;
}

/** What each phase does to running Mimir, after "phase N of 3: words". */
const PHASE_EFFECT: Record<TransitionPhase, (s: { port: InternalPortName; from: number; to: number }) => string> = {
  open: (s) => `rules, NetworkPolicies and Services admit ${s.from} and ${s.to}; Mimir stays on ${s.from} ${s.port === "memberlist" ? "(pods restart once: the gossip join list names both ports)" : "(no restart)"}`,
  move: (s) =>
    `Mimir listens on ${s.to} (rolling restart); ${s.from} and ${s.to} stay admitted, so pods not yet restarted stay reachable on ${s.from}${s.port === "memberlist" ? "; gossip joins through both ports" : ""}`,
  close: (s) => `only ${s.to} stays admitted; every pod already listens there${s.port === "memberlist" ? " (pods restart once more: the join list returns to one port)" : ""}`,
};

/** Who reaches a pod on this port, and at which number: why a refused port drops traffic. */
const WHO_DIALS: Record<InternalPortName, string> = {
  http: "the load balancer, the entry and monitoring reach each pod at the port it listens on",
  grpc: "the ring dials each ingester and store-gateway at the address and port it registered",
  memberlist: "members gossip at the port each one advertises; members on different ports cannot gossip and the hash ring splits",
};

const PHASE_LEVEL: Record<TransitionPhase, RiskLevel> = { open: "low", move: "medium", close: "low" };

/** The three PRs that replace a one-step move, each with its setting. */
export function splitAdvice(port: InternalPortName, from: number, to: number): string {
  return `split into three PRs: 1) \`ports: { ${port}: { from: ${from}, to: ${to}, phase: "open" } }\` (both ports admitted, Mimir stays on ${from}), 2) \`phase: "move"\` (Mimir moves to ${to}; rolling restart), 3) \`ports: { ${port}: ${to} }\` (old port closed)`;
}

const transitionOf = (c: ContractInfo, port: InternalPortName) => c.transitions?.[port];
const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const label = (port: InternalPortName, from: number, to: number) => `port migration ${port} ${from} → ${to}`;

/** The planned phase the head is, when base → head is exactly one phase forward. */
function phaseStep(base: ContractInfo, head: ContractInfo, port: InternalPortName): { phase: TransitionPhase; from: number; to: number } | undefined {
  const bt = transitionOf(base, port);
  const ht = transitionOf(head, port);
  if (!bt && ht?.phase === "open" && ht.from === base.ports[port]) return { phase: "open", from: ht.from, to: ht.to };
  if (bt?.phase === "open" && ht?.phase === "move" && bt.from === ht.from && bt.to === ht.to) return { phase: "move", from: ht.from, to: ht.to };
  if (bt?.phase === "move" && head.ports[port] === bt.to && (!ht || (ht.phase === "close" && ht.from === bt.from && ht.to === bt.to))) return { phase: "close", from: bt.from, to: bt.to };
  return undefined;
}

/** Per contract port, what base → head does to a running environment (nothing when the port and its admitted numbers are unchanged). */
export function migrationSteps(base: ContractInfo | undefined, head: ContractInfo | undefined): PortMigrationStep[] {
  if (!base || !head || !base.declared || !head.declared) return [];
  const out: PortMigrationStep[] = [];
  for (const port of INTERNAL_PORT_NAMES) {
    const oldListen = base.ports[port];
    const newListen = head.ports[port];
    const before = admittedPorts(base, port);
    const after = admittedPorts(head, port);
    if (oldListen === newListen && same(before, after)) continue;
    const safe = [oldListen, newListen].every((p) => before.includes(p) && after.includes(p));
    const planned = safe ? phaseStep(base, head, port) : undefined;
    if (planned) {
      const n = phaseNumber(planned.phase);
      out.push({
        port,
        from: planned.from,
        to: planned.to,
        kind: "phase",
        phase: planned.phase,
        level: PHASE_LEVEL[planned.phase],
        text: `**${label(port, planned.from, planned.to)}, phase ${n} of ${TRANSITION_PHASES.length}: ${PHASE_WORDS[planned.phase]}** {where}: {resources} change; ${PHASE_EFFECT[planned.phase]({ port, ...planned })}`,
      });
    } else if (safe) {
      const t = transitionOf(head, port) ?? transitionOf(base, port);
      const from = t?.from ?? oldListen;
      const to = t?.to ?? newListen;
      const where = transitionOf(head, port) ? `phase ${phaseNumber(transitionOf(head, port)!.phase)} of ${TRANSITION_PHASES.length}` : `port ${newListen}`;
      out.push({ port, from, to, kind: "rollback", level: "medium", text: `**${label(port, from, to)} steps back to ${where}** {where}: {resources} change; every pod stays reachable on the port it listens on (${after.join(" and ")} admitted)` });
    } else {
      const refused = [oldListen, newListen].filter((p) => !before.includes(p) || !after.includes(p));
      const skipped = transitionOf(head, port) ? ` (the head is phase ${phaseNumber(transitionOf(head, port)!.phase)} but the base is not phase ${phaseNumber(transitionOf(head, port)!.phase) - 1})` : "";
      out.push({
        port,
        from: oldListen,
        to: newListen,
        kind: "one-step",
        level: "high",
        text: `**${port} port ${oldListen} → ${newListen}** {where}: {resources} change; a one-step change of a running environment's port${skipped}: during the rolling restart pods listening on ${refused.join(" and ")} are refused by the rules that do not admit their port (${WHO_DIALS[port]}); ${splitAdvice(port, oldListen, newListen)}`,
      });
    }
  }
  return out;
}

/** The port numbers a step's resources mention (to count them under the step). */
export const stepPorts = (s: PortMigrationStep): readonly number[] => [s.from, s.to];

/**
 * A contract port as every output shows it (synth summary, the comment's
 * contract table, the diagram): `<port>`, or mid-migration both numbers and the
 * phase, `<from> → <to> (phase 1 of 3: both ports open; Mimir listens on <from>)`.
 */
export function portNumbers(contract: ContractInfo, port: InternalPortName, form: "long" | "short" = "long"): string {
  const t = transitionOf(contract, port);
  const listens = contract.ports[port];
  if (!t) return String(listens);
  const phase = `phase ${phaseNumber(t.phase)} of ${TRANSITION_PHASES.length}`;
  return form === "short" ? `${t.from} → ${t.to} (${phase})` : `${t.from} → ${t.to} (${phase}: ${PHASE_WORDS[t.phase]}; Mimir listens on ${listens})`;
}
