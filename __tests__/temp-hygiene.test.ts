/**
 * `npm test` leaves nothing in the system temp folder (issue 29): every temporary file of the run,
 * in the workers and in the processes they spawn, goes into the run's own folder under the system
 * temp folder, which global-teardown.ts removes (it fails the run when it cannot).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { Testing } from "cdktf";
import { TerraformStack } from "cdktf";

const runTmp = process.env.MIMIR_TEST_TMPDIR!;
const inside = (p: string) => !relative(runTmp, p).startsWith("..");

test("the run has its own temporary folder, directly under the system temp folder", () => {
  expect(runTmp).toBeDefined();
  expect(dirname(runTmp)).toBe(process.env.MIMIR_TEST_SYSTEM_TMPDIR);
  expect(tmpdir()).toBe(runTmp);
});

test("mkdtemp, cdktf's Testing outdirs and spawned processes all write inside it", () => {
  const dir = mkdtempSync(join(tmpdir(), "hygiene-"));
  expect(inside(dir)).toBe(true);
  rmSync(dir, { recursive: true, force: true });
  const app = Testing.app();
  new TerraformStack(app, "s");
  expect(inside(app.outdir)).toBe(true);
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(require('node:os').tmpdir())"], { encoding: "utf8" });
  expect(child.stdout).toBe(runTmp);
});
