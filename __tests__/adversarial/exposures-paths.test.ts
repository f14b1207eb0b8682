/**
 * Issue 20 (branch `paths`): path semantics on every hop and what the model
 * cannot see. Each exposure is refused at app.synth() and flagged by `check`
 * with the path; each MP015 case is also accepted once acknowledged.
 */
import { PATH_EXPOSURES } from "./cases/paths";
import { describeExposures, synthCase } from "./harness";

describeExposures(PATH_EXPOSURES);

/** The acknowledgements synth prints for its MP015 findings ("To accept exactly this"), with a reason, as a user pastes them. */
function printedUnknownAcknowledgements(error: string): Array<Record<string, unknown>> {
  return error
    .split("\n")
    .filter((l) => /\bMP015\b/.test(l))
    .flatMap((l) => {
      const m = /To accept exactly this: acknowledgements: (\[.*\])\s*$/.exec(l);
      return m ? (JSON.parse(m[1]) as Array<Record<string, unknown>>) : [];
    })
    .map((a) => ({ ...a, reason: "reviewed by hand: the relay and rewrite are known to the platform team" }));
}

describe("an acknowledged unknown (MP015) lets synth pass", () => {
  const unknowns = PATH_EXPOSURES.filter((c) => String(c.expect?.rule) === String(/\bMP015\b/));
  test.each(unknowns.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const refused = synthCase(c);
    expect(refused.error).toMatch(/MP015/);
    // Only the unknown is refused (the base is clean), and an acknowledgement that records what it accepts lets synth pass.
    expect(refused.error!.split("\n").filter((l) => /\bMP\d{3}\b/.test(l) && !/\bMP015\b/.test(l))).toEqual([]);
    const acks = printedUnknownAcknowledgements(refused.error!);
    expect(acks.length).toBeGreaterThan(0);
    const acknowledged = synthCase({ ...c, env: { ...(c.env ?? {}), acknowledgements: acks } });
    expect(acknowledged.error).toBeUndefined();
  });
});
