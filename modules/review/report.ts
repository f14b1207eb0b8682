/** The review's data: per stack the contract, exposures and findings; the same model feeds every renderer. */
import type { ExposureModel } from "../exposure/model";
import { describeEntryAuth } from "../policy/auth-rule";
import { evaluate, failing } from "../policy/evaluate";
import type { Finding, Severity } from "../policy/types";
import { summarizeChanges, type ChangeSummary } from "./changes";
import { diffStacks, type StackDiff } from "./diff";
import { exposuresOf } from "./exposures";
import { riskRank, type Risk, type RiskLevel } from "./risk";
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

/** What a run concludes, the same in review.json and the exit code: pass 0, fail 1, error 2. */
export type ReviewStatus = "pass" | "fail" | "error";
export const EXIT_CODES: Readonly<Record<ReviewStatus, number>> = { pass: 0, fail: 1, error: 2 };

/** `--fail-on-risk`: the least risk level that fails the run; `none` never fails on a risk. */
export type RiskThreshold = Exclude<RiskLevel, "low"> | "none";
export const RISK_THRESHOLDS: readonly RiskThreshold[] = ["critical", "high", "medium", "none"];

export interface Review {
  readonly stacks: readonly StackReport[];
  readonly threshold: Severity;
  /** Unacknowledged findings at or above the threshold. */
  readonly failing: readonly Finding[];
  /** `--fail-on-risk` (none when not given). */
  readonly riskThreshold: RiskThreshold;
  /** Risks of the change at or above riskThreshold. */
  readonly failingRisks: readonly Risk[];
  /** pass, fail (a failing finding or risk, or a head synth refused), error (the head did not synthesize). */
  readonly status: ReviewStatus;
  readonly diff?: readonly StackDiff[];
  /** Grouped changes and their risks (with a base, or a plan head). */
  readonly changes?: ChangeSummary;
  readonly context: ReviewContext;
}

function reportOf(model: ExposureModel): StackReport {
  const findings = evaluate(model);
  return { stack: model.stack, file: model.file, model, exposures: exposuresOf(model, findings), findings, auth: describeEntryAuth(model) };
}

export interface ReviewOptions {
  /** `--fail-on-risk`. @default "none" */
  readonly failOnRisk?: RiskThreshold;
}

export function buildReview(head: readonly ExposureModel[], base: readonly ExposureModel[] | undefined, threshold: Severity, context: ReviewContext = {}, options: ReviewOptions = {}): Review {
  // A head that did not synthesize is compared with nothing: no stacks, no changes, no risks (not "everything destroyed").
  const stacks = context.headError ? [] : head.map(reportOf);
  const baseReports = context.headError ? undefined : base?.map(reportOf);
  const hasPlan = stacks.some((s) => s.model.plannedChanges);
  const changes = baseReports || hasPlan ? summarizeChanges(baseReports, stacks) : undefined;
  const failingFindings = stacks.flatMap((s) => failing(s.findings, threshold));
  const riskThreshold = options.failOnRisk ?? "none";
  const failingRisks = riskThreshold === "none" ? [] : (changes?.risks ?? []).filter((r) => riskRank(r.level) >= riskRank(riskThreshold));
  const status: ReviewStatus = context.headError ? "error" : failingFindings.length > 0 || failingRisks.length > 0 || context.headRefused ? "fail" : "pass";
  return {
    stacks,
    threshold,
    failing: failingFindings,
    riskThreshold,
    failingRisks,
    status,
    ...(baseReports ? { diff: diffStacks(baseReports, stacks) } : {}),
    ...(changes ? { changes } : {}),
    context,
  };
}
