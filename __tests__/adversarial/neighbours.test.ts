/**
 * Issue 13 adversarial suite: legitimate neighbours (see ./README.md). Each
 * must synthesize with `app.synth()` and `mimir-ports check` must exit 0.
 */
import { NEIGHBOURS } from "./cases/neighbours";
import { findingBlocks, runCheck, synthCase } from "./harness";

describe("legitimate neighbours synthesize and check clean", () => {
  test.each(NEIGHBOURS.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const result = synthCase(c);
    if (result.error !== undefined) throw new Error(`app.synth() refused a legitimate neighbour:\n${result.error}`);
    const check = await runCheck([result.checkInput]);
    const output = `${check.stdout}\n${check.stderr}`;
    if (check.code !== 0) throw new Error(`mimir-ports check exited ${check.code}, expected 0\n--- output:\n${output}`);
    // Nothing at error or above, acknowledged or not, except the internal base's own decision to run without
    // authentication (auth.mode none acknowledges an internal MP018); the edge-np base authenticates (mutual TLS).
    const baseDecision = (b: string) => /^\s*\[acknowledged: auth\.mode none: [^\]]*\] MP018 /.test(b);
    expect(findingBlocks(check.stdout).filter((b) => /\b(critical|error)\b/.test(b) && !baseDecision(b))).toEqual([]);
  });
});
