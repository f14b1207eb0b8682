/** Issue 20 (branch `paths`): legitimate neighbours of the path and endpoint classes synthesize and check clean. */
import { PATH_NEIGHBOURS } from "./cases/paths";
import { findingBlocks, runCheck, synthCase } from "./harness";

describe("legitimate path neighbours synthesize and check clean", () => {
  test.each(PATH_NEIGHBOURS.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const result = synthCase(c);
    if (result.error !== undefined) throw new Error(`app.synth() refused a legitimate neighbour:\n${result.error}`);
    const check = await runCheck([result.checkInput]);
    const output = `${check.stdout}\n${check.stderr}`;
    if (check.code !== 0) throw new Error(`mimir-ports check exited ${check.code}, expected 0\n--- output:\n${output}`);
    expect(findingBlocks(check.stdout).filter((b) => /\b(critical|error)\b/.test(b) && !/^\s*\[acknowledged: auth\.mode none: [^\]]*\] MP018 /.test(b))).toEqual([]);
  });
});
