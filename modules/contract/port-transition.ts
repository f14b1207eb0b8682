/**
 * Moving a contract port on a running environment without dropping traffic.
 *
 * Mimir listens on one port per contract name, and a port change restarts
 * every pod. During the rolling restart old pods still listen on (and are
 * dialled at) the old port, new pods on the new one: the hash ring stores
 * each instance's address and port, memberlist members advertise their own
 * port. So a move is three deploys, each one PR:
 *
 *  1. `open`:  rules, NetworkPolicies and Services admit both ports; Mimir stays on `from`.
 *  2. `move`:  Mimir listens on `to` (rolling restart); both ports stay admitted, gossip joins both.
 *  3. `close`: only `to` is admitted (the same resources as the plain `ports.<name>: to`).
 */
import type { InternalPortName } from "./port-names";

/** The three deploys of a port move, in order. */
export type TransitionPhase = "open" | "move" | "close";
export const TRANSITION_PHASES: readonly TransitionPhase[] = ["open", "move", "close"];

/** What each phase does, in the words the review prints ("phase 2 of 3: Mimir moves"). */
export const PHASE_WORDS: Readonly<Record<TransitionPhase, string>> = Object.freeze({
  open: "both ports open",
  move: "Mimir moves",
  close: "old port closed",
});

/**
 * A port move as you write it: `ports: { grpc: { from: 9095, to: 9096, phase: "open" } }`.
 * One PR per phase; see docs "The review: port migrations".
 */
export interface PortTransitionInput {
  /** The port Mimir listens on now (the base's port). */
  readonly from: number;
  /** The port Mimir moves to. Differs from `from`. */
  readonly to: number;
  /**
   * Which deploy this is: `open` (admit both, Mimir stays on `from`), `move`
   * (Mimir listens on `to`, both admitted), `close` (only `to`; the same as
   * writing the plain port `to`).
   * @default "open"
   */
  readonly phase?: TransitionPhase;
}

/** One port's setting: a plain port number, or a transition between two. */
export type PortSetting = number | PortTransitionInput;

/** A validated transition of one contract port. */
export interface PortTransition {
  readonly name: InternalPortName;
  readonly from: number;
  readonly to: number;
  readonly phase: TransitionPhase;
  /** The port Mimir's pods listen on in this phase (`from` while open, `to` after). */
  readonly listen: number;
  /** Every port the network admits in this phase, old first. */
  readonly admitted: readonly number[];
}

/** 1-based phase number ("phase 2 of 3"). */
export const phaseNumber = (phase: TransitionPhase): number => TRANSITION_PHASES.indexOf(phase) + 1;

export function buildTransition(name: InternalPortName, from: number, to: number, phase: TransitionPhase): PortTransition {
  const listen = phase === "open" ? from : to;
  const admitted = phase === "close" ? [to] : [from, to];
  return Object.freeze({ name, from, to, phase, listen, admitted: Object.freeze(admitted) });
}

export const isTransitionPhase = (v: unknown): v is TransitionPhase => typeof v === "string" && (TRANSITION_PHASES as readonly string[]).includes(v);
