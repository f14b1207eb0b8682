/**
 * The library defers cdktf's token creation stacks (modules/platform/token-traces.ts): captured where the token is
 * created, formatted only when read. A token that fails to resolve still names the line that created it.
 */
import { Lazy, TerraformOutput, TerraformStack, Testing } from "../modules/platform/cdktf";

test("a token that fails to resolve still prints its creation stack, down to the creating line", () => {
  const stack = new TerraformStack(Testing.app(), "traces");
  const failing = () => Lazy.anyValue({ produce: () => { throw new Error("cannot produce"); } }); // the creating line
  new TerraformOutput(stack, "out", { value: failing() });
  expect(() => Testing.synth(stack)).toThrow(/cannot produce[\s\S]*Object creation stack:\n\s+at new LazyBase [\s\S]*at Lazy\.anyValue [\s\S]*token-traces\.test\.ts:9:/);
});

test("the stacks are formatted only when read: cdktf's capture is the library's deferred one", () => {
  const traces = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: (below?: Function) => string[] };
  expect((traces.captureStackTrace as unknown as Record<symbol, unknown>)[Symbol.for("mimir-port-contract.token-traces")]).toBe(true);
  const lines = traces.captureStackTrace();
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.join("\n")).toMatch(/token-traces\.test\.ts/);
});
