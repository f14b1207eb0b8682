/**
 * Whole-app cases (cases/policyscope.ts, cases/proof.ts): build an App of one or more stacks, synthesize it as a
 * user would, and run `mimir-ports check` on every stack as cdktf would have written it. A refused case is refused
 * by both, naming rule, source, port and resource; an accepted case passes both.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AppCase } from "./cases/policyscope";
import { assertFinding, findingBlocks, runCheck } from "./harness";
import { newApp } from "./cases/policyscope";

export function synthApp(c: AppCase): { error?: string; dir: string } {
  const app = newApp();
  const stacks = c.build(app);
  let error: string | undefined;
  try {
    app.synth();
  } catch (err) {
    error = (err as Error).message;
  }
  // What cdktf writes, every stack (check reads cross-stack references between them).
  const dir = mkdtempSync(join(tmpdir(), "adv-policyscope-"));
  for (const s of stacks) {
    mkdirSync(join(dir, "stacks", s.node.id), { recursive: true });
    writeFileSync(join(dir, "stacks", s.node.id, "cdk.tf.json"), JSON.stringify(s.toTerraform(), null, 2));
  }
  return { error, dir };
}

/** One jest test per case, grouped by class under `title`. */
export function describeAppCases(title: string, cases: readonly AppCase[]): void {
  const byClass = new Map<string, AppCase[]>();
  for (const c of cases) byClass.set(c.class, [...(byClass.get(c.class) ?? []), c]);
  describe.each([...byClass.entries()])(`${title} %s`, (_klass, list) => {
    test.each(list.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
      const { error, dir } = synthApp(c);
      const check = await runCheck([dir]);
      const output = `${check.stdout}\n${check.stderr}`;
      if (!c.expect) {
        if (error !== undefined) throw new Error(`app.synth() refused:\n${error}`);
        if (check.code !== 0) throw new Error(`mimir-ports check exited ${check.code}, expected 0\n--- output:\n${output}`);
        expect(findingBlocks(check.stdout).filter((b) => /^\s*MP\d{3} (critical|error)\b/.test(b))).toEqual([]);
        return;
      }
      if (error === undefined) throw new Error("app.synth() succeeded; expected the contract policy to refuse");
      assertFinding("app.synth()", error, c.expect);
      if (check.code !== 1) throw new Error(`mimir-ports check exited ${check.code}, expected 1\n--- output:\n${output}`);
      assertFinding("mimir-ports check", output, c.expect);
      for (const text of [error, output]) {
        for (const r of c.says ?? []) expect(text).toMatch(r);
        for (const r of c.never ?? []) expect(text).not.toMatch(r);
      }
    });
  });
}
