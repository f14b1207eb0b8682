import { Testing, type TerraformStack } from "../platform/cdktf";
import type { EnvironmentInput } from "../config/environment";
import type { Finding } from "../policy/types";
import type { AccountInputs } from "../stack/inputs";
import { MimirStack } from "../stack/mimir-stack";

/**
 * Test helpers for apps built on this library.
 *
 * cdktf's `Testing.synth(stack)` skips validations, so the contract policy
 * never runs and a stack that `cdktf synth` would refuse passes a test.
 * `synthWithPolicy` runs them:
 *
 * ```ts
 * import { Testing } from "cdktf";
 * import { MimirStack } from "mimir-port-contract";
 * import { synthWithPolicy } from "mimir-port-contract";
 *
 * const stack = new MimirStack(Testing.app(), "prod", { environment, backend: "local" });
 * const json = JSON.parse(synthWithPolicy(stack));                   // throws on an error finding
 * ```
 */

/**
 * Synthesize one stack to Terraform JSON (the string `Testing.synth` returns)
 * after running every validation, including the contract policy. Throws the
 * same "Validation failed with the following errors" message `app.synth()`
 * does when a finding at or above error is not acknowledged.
 */
export function synthWithPolicy(stack: TerraformStack): string {
  return Testing.synth(stack, true);
}

/** The policy's findings of the last synth of a MimirStack (warnings and acknowledged ones included). */
export function policyFindings(stack: MimirStack): readonly Finding[] {
  return stack.policy.findings;
}

/** Account identifiers for tests: literal ids instead of Terraform variables. */
export const TEST_ACCOUNT_INPUTS: AccountInputs = Object.freeze({
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
  certificateArn: "arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000000",
  kubeconfigPath: "~/.kube/config",
  kubeContext: "test-cluster",
  clusterSecurityGroupId: "sg-0123456789abcdef0",
});

export interface TestStackOptions {
  /**
   * Account identifiers.
   * @default Terraform variables, as in a real app
   */
  readonly inputs?: AccountInputs;
  /**
   * State backend.
   * @default "local" (no S3 bucket needed to run `cdktf synth`/`plan` in a test)
   */
  readonly backend?: "s3" | "local";
}

/** A MimirStack for `environment` in a fresh `Testing.app()`, with a local backend unless told otherwise. */
export function testStack(environment: EnvironmentInput, options: TestStackOptions = {}): MimirStack {
  const name = typeof environment?.name === "string" ? environment.name : "test";
  return new MimirStack(Testing.app(), name, { environment, backend: options.backend ?? "local", ...(options.inputs ? { inputs: options.inputs } : {}) });
}
