/**
 * The policy's rule IDs, for validating acknowledgements before anything is
 * built (config sits below the policy layer, so it cannot import the rules).
 * __tests__/policy.test.ts keeps this list equal to the ids in RULES.
 */
export const RULE_IDS: readonly string[] = Object.freeze(Array.from({ length: 19 }, (_, i) => `MP${String(i + 1).padStart(3, "0")}`));
