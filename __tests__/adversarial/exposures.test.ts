/**
 * Issue 13's adversarial suite, exposures: each case builds a real cdktf App
 * (MimirStack or a plain TerraformStack with Mimir constructs) plus an
 * attacker's resources, and expects BOTH
 *  1. `app.synth()` refuses, naming the rule, the source and the Mimir port;
 *  2. `mimir-ports check` on the synthesized JSON exits 1 and says the same.
 * Cases are tables in ./cases; see ./README.md for the classes.
 */
import { ALL_EXPOSURES } from "./cases";
import { assertFinding, runCheck, synthCase, type SynthCase } from "./harness";

const byClass = new Map<string, SynthCase[]>();
for (const c of ALL_EXPOSURES) byClass.set(c.class, [...(byClass.get(c.class) ?? []), c]);

describe.each([...byClass.entries()])("exposure class %s", (_klass, cases) => {
  test.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const e = c.expect!;
    const result = synthCase(c);
    if (c.app?.skipValidation) {
      // The user turned validation off: synth succeeds, and the output says so.
      expect(result.error).toBeUndefined();
    } else {
      if (result.error === undefined) throw new Error("app.synth() succeeded; expected the contract policy to refuse this exposure");
      assertFinding("app.synth()", result.error, e);
    }
    const check = await runCheck([result.checkInput, ...(c.checkArgs ?? [])]);
    const output = `${check.stdout}\n${check.stderr}`;
    if (check.code !== (e.exit ?? 1)) throw new Error(`mimir-ports check exited ${check.code}, expected ${e.exit ?? 1}\n--- output:\n${output}`);
    assertFinding("mimir-ports check", output, e);
  });
});
