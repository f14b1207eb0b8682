/**
 * Every construct that uses the contract calls `recordContractUse`, so the
 * stack it lands in — any TerraformStack, not only MimirStack — carries the
 * contract in its output and runs the policy at synth. The policy lives in a
 * higher layer (modules/stack/contract-policy.ts), which registers itself
 * here when loaded; until it is, the use fails validation instead of
 * passing silently.
 */
import type { IConstruct } from "constructs";
import type { PortContract } from "./port-contract";

export interface ContractUse {
  readonly contract: PortContract;
  readonly namespace?: string;
  readonly release?: string;
  readonly acknowledgements?: ReadonlyArray<{ readonly rule: string; readonly resource: string; readonly reason: string; readonly accepts?: unknown }>;
}

type Hook = (scope: IConstruct, use: ContractUse) => void;
let hook: Hook | undefined;

export function setContractHook(h: Hook): void {
  hook = h;
}

export function recordContractUse(scope: IConstruct, use: ContractUse): void {
  if (hook) {
    hook(scope, use);
    return;
  }
  scope.node.addValidation({
    validate: () => (hook ? [] : [`${scope.node.path}: the Mimir contract policy is not loaded, so this stack would synthesize unchecked; import the construct from "mimir-port-contract" (its index loads the policy)`]),
  });
}
