import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthInProcess } from "./helpers/synth-in-process";
import { formatValue } from "../modules/contract/problems";
import { env, ROOT } from "./helpers";
import { MULTI_ROWS, ROWS } from "./bad-input-rows";

/**
 * Every row of the bad-input table through `runSynth`, the function
 * bin/synth.ts calls (`npm run synth -- --environments <file>`): exit code 1,
 * one line naming environment, field, value, rule and fix, no stack trace,
 * the previous output byte-identical and no temporary folder left.
 */
const work = mkdtempSync(join(tmpdir(), "mimir-table-"));
const outdir = join(work, "cdktf.out");
const snapshot = () => readdirSync(join(outdir, "stacks")).map((s) => [s, readFileSync(join(outdir, "stacks", s, "cdk.tf.json"), "utf8")]);
const valueText = formatValue;

const synth = synthInProcess;

let reference: unknown;
beforeAll(async () => {
  const r = await synth(["--outdir", outdir]);
  expect(r.code).toBe(0);
  reference = snapshot();
});

let n = 0;
async function expectRefused(inputs: unknown[], envName: string, field: string, value: unknown, rule: RegExp): Promise<void> {
  const file = join(work, `case-${n++}.json`);
  writeFileSync(file, JSON.stringify(inputs));
  const r = await synth(["--outdir", outdir, "--environments", file]);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/^synth: \d+ problem\(s\) in the configuration, nothing was written:\n/);
  expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
  const prefix = `[${envName}] ${field} = ${valueText(value)}`;
  const line = r.stderr.split("\n").find((l) => l.trim().startsWith(prefix));
  if (!line) throw new Error(`no line starting with ${prefix}\n${r.stderr}`);
  expect(line).toMatch(rule);
  expect(line).toMatch(/\. Fix: \S{3,}/);
  expect(snapshot()).toEqual(reference);
  expect(readdirSync(work).filter((f) => f.includes(".tmp-"))).toEqual([]);
}

test("the table holds at least 90 distinct bad inputs", () => {
  const labels = [...ROWS.map((r) => r[0]), ...MULTI_ROWS.map((r) => r[0])];
  expect(new Set(labels).size).toBe(labels.length);
  expect(labels.length).toBeGreaterThanOrEqual(90);
});

describe("each bad input through npm run synth's entry", () => {
  test.each(ROWS.map((r, i) => [r[0], r, i] as const))("%s", async (_label, row, i) => {
    const [, overrides, field, value, rule] = row;
    const name = "name" in overrides ? (overrides.name as string) : `case-${String(i).padStart(3, "0")}`;
    await expectRefused([env({ ...overrides, name })], name, field, value, rule);
  });
  test.each(MULTI_ROWS.map((r) => [r[0], r] as const))("%s", async (_label, row) => {
    const [, envs, envName, field, value, rule] = row;
    await expectRefused(envs.map((o) => env(o)), envName, field, value, rule);
  });
});

describe("readable reports for huge inputs", () => {
  test("10,000 bad CIDRs: the first 50 problems, then how many more", async () => {
    const file = join(work, "huge.json");
    const cidrs = Array.from({ length: 10_000 }, (_, i) => `10.${i >> 8 & 255}.${i & 255}.1/24`);
    writeFileSync(file, JSON.stringify([env({ name: "huge", loadBalancer: { allowedCidrs: cidrs, target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "c" } } })]));
    const r = await synth(["--outdir", outdir, "--environments", file]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toBe("synth: 10000 problem(s) in the configuration, nothing was written:");
    expect(lines).toHaveLength(52);
    expect(lines[51].trim()).toBe("... and 9950 more problem(s) (10000 in all; fix these first)");
    expect(r.stderr.length).toBeLessThan(20_000);
  });
  test("a 100,000-character value is shortened in the message", async () => {
    const file = join(work, "long.json");
    writeFileSync(file, JSON.stringify([env({ name: "long", region: "x".repeat(100_000) })]));
    const r = await synth(["--outdir", outdir, "--environments", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\[long\] region = "x{100}\.\.\." \(100000 characters\): is not an AWS region/);
    expect(r.stderr.length).toBeLessThan(1000);
  });
});

describe("a real `npm run synth`", () => {
  const npmSynth = (args: string[]) => {
    const r = spawnSync("npm", ["run", "-s", "synth", "--", "--outdir", outdir, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  test("a TypeScript environment file with a syntax error: file:line:column, exit 1, output untouched", () => {
    const file = join(work, "envs.ts");
    writeFileSync(file, 'export const environments = [\n  { name: "dev", region: "eu-west-1" ,, },\n];\n');
    const r = npmSynth(["--environments", file]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`synth: --environments ${file}:2:38: syntax error: Expected identifier but found ","; nothing was written`);
    expect(snapshot()).toEqual(reference);
  });

  test("every multi-environment row at once", () => {
    const file = join(work, "multi.json");
    writeFileSync(file, JSON.stringify(MULTI_ROWS.flatMap((r) => r[1].map((o) => env(o)))));
    const r = npmSynth(["--environments", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
    for (const [, , envName, field, value, rule] of MULTI_ROWS) {
      const line = r.stderr.split("\n").find((l) => l.trim().startsWith(`[${envName}] ${field} = ${valueText(value)}`));
      expect(line).toMatch(rule);
    }
    expect(snapshot()).toEqual(reference);
  });
});
