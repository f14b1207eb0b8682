/**
 * Issue 20 (branch `paths`): path semantics on every hop and what the model
 * cannot see. Each exposure is refused at app.synth() and flagged by `check`
 * with the path; each MP015 case is also accepted once acknowledged.
 */
import { PATH_EXPOSURES } from "./cases/paths";
import { describeExposures, synthCase } from "./harness";

describeExposures(PATH_EXPOSURES);

describe("an acknowledged unknown (MP015) lets synth pass", () => {
  const unknowns = PATH_EXPOSURES.filter((c) => String(c.expect?.rule) === String(/\bMP015\b/));
  test.each(unknowns.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const refused = synthCase(c);
    expect(refused.error).toMatch(/MP015/);
    const acknowledged = synthCase({ ...c, env: { ...(c.env ?? {}), acknowledgements: [{ rule: "MP015", resource: "adv", reason: "reviewed by hand: the relay and rewrite are known to the platform team" }] } });
    expect(acknowledged.error).toBeUndefined();
  });
});
