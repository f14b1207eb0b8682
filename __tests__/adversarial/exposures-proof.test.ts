/**
 * Issue 30 (identity by proof), whole-app cases: refused by `app.synth()` and by `mimir-ports check` naming the
 * path; neighbours pass both.
 */
import { ACCEPTANCE_EXPOSURES, ACCEPTANCE_NEIGHBOURS } from "./cases/proof-acceptance";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeAppCases, synthApp } from "./app-harness";
import { runCheck } from "./harness";

describeAppCases("proof", [...ACCEPTANCE_EXPOSURES, ...ACCEPTANCE_NEIGHBOURS]);

describe("proof acceptance-output", () => {
  test("check gives the auth-none kind only to an output whose own auth.mode is none (a hand-written kind in a mutual-TLS output accepts nothing)", async () => {
    const { dir } = synthApp(ACCEPTANCE_EXPOSURES[0]);
    const file = join(dir, "stacks", "adv", "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    const value = json.output.mimir_port_contract.value;
    expect(value.auth.mode).toBe("mtls");
    value.acknowledgements = value.acknowledgements.map((a: Record<string, unknown>) => ({ ...a, kind: "auth-none" }));
    writeFileSync(file, JSON.stringify(json));
    const check = await runCheck([dir]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/MP018 \w+ .*does not record what it accepts/);
  });
});
