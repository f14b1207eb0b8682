/** The review's data: per stack the contract, exposures and findings; the same model feeds every renderer. */
import type { ExposureModel } from "../exposure/model";
import { describeEntryAuth } from "../policy/auth-rule";
import { evaluate, failing } from "../policy/evaluate";
import type { Finding, Severity } from "../policy/types";
import { summarizeChanges, type ChangeSummary } from "./changes";
import { diffStacks, type StackDiff } from "./diff";
import { exposuresOf } from "./exposures";
import type { StackReport } from "./stack-report";

export type { StackReport } from "./stack-report";

/** How the inputs came to be: set by the commands that synthesize (pr-review) or read a report-mode output. */
export interface ReviewContext {
  /** The head was written by synth's report mode although the policy refused it. */
  readonly headRefused?: boolean;
  /** The base could not be synthesized or read: why, in one or a few lines. */
  readonly baseError?: string;
  /** The head could not be synthesized or read (the review then has no stacks). */
  readonly headError?: string;
  /** What the base is, e.g. a git ref (`origin/main`). */
  readonly baseLabel?: string;
  /** The CI run that produced the review (MIMIR_PORTS_RUN_URL), linked when a step failed. */
  readonly runUrl?: string;
}

export interface Review {
  readonly stacks: readonly StackReport[];
  readonly threshold: Severity;
  /** Unacknowledged findings at or above the threshold. */
  readonly failing: readonly Finding[];
  readonly diff?: readonly StackDiff[];
  /** Grouped changes and their risks (with a base, or a plan head). */
  readonly changes?: ChangeSummary;
  readonly context: ReviewContext;
}

function reportOf(model: ExposureModel): StackReport {
  const findings = evaluate(model);
  return { stack: model.stack, file: model.file, model, exposures: exposuresOf(model, findings), findings, auth: describeEntryAuth(model) };
}

export function buildReview(head: readonly ExposureModel[], base: readonly ExposureModel[] | undefined, threshold: Severity, context: ReviewContext = {}): Review {
  const stacks = head.map(reportOf);
  const baseReports = base?.map(reportOf);
  const hasPlan = stacks.some((s) => s.model.plannedChanges);
  return {
    stacks,
    threshold,
    failing: stacks.flatMap((s) => failing(s.findings, threshold)),
    ...(baseReports ? { diff: diffStacks(baseReports, stacks) } : {}),
    ...(baseReports || hasPlan ? { changes: summarizeChanges(baseReports, stacks) } : {}),
    context,
  };
}
