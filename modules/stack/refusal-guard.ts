/**
 * The contract policy's refusal cannot be skipped. cdktf's `skipValidation` (App config) turns off
 * `node.addValidation` hooks, so the policy also runs where that option does not reach: a custom synthesis
 * hook on every stack of the app, called by cdktf's stack synthesizer before the stack's JSON is written, with
 * or without validation. A MimirStack (or a plain stack holding Mimir constructs) and every stack that
 * references one are refused there, and nothing of theirs is written. Report mode (`npm run synth` writing a
 * refused head for the review) is the one exception: it records the findings itself.
 *
 * The refusal is our own message, in the shape of cdktf's (`Validation failed with the following errors:`),
 * without cdktf's hint to skip validation.
 */
import { addCustomSynthesis, TerraformStack } from "../platform/cdktf";
import type { IConstruct } from "constructs";
import { inReportMode } from "./report-mode";

/** The policies a stack answers to: its own, or those of the stacks it references. */
export type PoliciesOf = (stack: TerraformStack) => ReadonlyArray<{ refusalsOnce(): string[] }>;

const CUSTOM_SYNTHESIS = Symbol.for("cdktf/customSynthesis");
const GUARDED_APPS = new WeakSet<object>();

interface AppLike {
  synth?: () => void;
  skipValidation?: boolean;
}

/** The error a refused stack throws (cdktf's shape, one `[stack] finding` line each, no hint to skip). */
export function contractRefusal(lines: readonly string[]): Error {
  return new Error(
    `Validation failed with the following errors:\n  ${lines.join("\n  ")}\n\nThe Mimir port contract refuses these exposures whether or not validations are skipped: fix them, or paste the acknowledgement printed after a finding to accept exactly it.\n`,
  );
}

/** Install the guard on the app `scope` is in (once per app). */
export function guardRefusals(scope: IConstruct, policiesOf: PoliciesOf): void {
  const root = scope.node.root;
  const app = root as unknown as AppLike;
  if (GUARDED_APPS.has(root) || typeof app.synth !== "function") return;
  GUARDED_APPS.add(root);
  const synth = app.synth.bind(app);
  app.synth = () => {
    if (app.skipValidation === true && !inReportMode(root)) {
      for (const stack of root.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c))) {
        const refuse = () => {
          const lines = policiesOf(stack).flatMap((p) => p.refusalsOnce());
          if (lines.length > 0) throw contractRefusal(lines);
        };
        // A stack with a hook of its own keeps it, after ours: a hook the app installed never turns the guard off.
        const own = (stack as unknown as Record<symbol, { onSynthesize: (session: unknown) => void } | undefined>)[CUSTOM_SYNTHESIS];
        if (own) {
          const theirs = own.onSynthesize.bind(own);
          own.onSynthesize = (session) => {
            refuse();
            theirs(session);
          };
        } else addCustomSynthesis(stack, { onSynthesize: refuse });
      }
    }
    synth();
  };
}
