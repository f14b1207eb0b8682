/** The review's data: per stack the contract, exposures and findings; the same model feeds every renderer. */
import type { ExposureModel } from "../exposure/model";
import { describeEntryAuth } from "../policy/auth-rule";
import { evaluate, failing } from "../policy/evaluate";
import type { Finding, Severity } from "../policy/types";
import { diffStacks, type StackDiff } from "./diff";
import { exposuresOf, type Exposure } from "./exposures";

export interface StackReport {
  readonly stack: string;
  readonly file: string;
  readonly model: ExposureModel;
  readonly exposures: readonly Exposure[];
  readonly findings: readonly Finding[];
  /** How the entry authenticates clients (empty: it does not), read from the resources. */
  readonly auth: readonly string[];
}

export interface Review {
  readonly stacks: readonly StackReport[];
  readonly threshold: Severity;
  /** Unacknowledged findings at or above the threshold. */
  readonly failing: readonly Finding[];
  readonly diff?: readonly StackDiff[];
}

function reportOf(model: ExposureModel): StackReport {
  const findings = evaluate(model);
  return { stack: model.stack, file: model.file, model, exposures: exposuresOf(model, findings), findings, auth: describeEntryAuth(model) };
}

export function buildReview(head: readonly ExposureModel[], base: readonly ExposureModel[] | undefined, threshold: Severity): Review {
  const stacks = head.map(reportOf);
  const baseReports = base?.map(reportOf);
  return {
    stacks,
    threshold,
    failing: stacks.flatMap((s) => failing(s.findings, threshold)),
    ...(baseReports ? { diff: diffStacks(baseReports, stacks) } : {}),
  };
}
