/**
 * Issue 20 item 9: secrets are never echoed and every message is bounded,
 * through `runSynth` (the function bin/synth.ts calls with `--environments`):
 * a misspelt or unknown key anywhere in an environment has its value redacted,
 * a 100,000-character name or value gives a short message, nothing is written.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthInProcess } from "./helpers/synth-in-process";
import { env } from "./helpers";

const work = mkdtempSync(join(tmpdir(), "mimir-redaction-"));
const SECRET = "s3cr3t-Do-Not-Print-7f9c";

async function synth(inputs: unknown[]): Promise<{ code: number; stdout: string; stderr: string; outdir: string }> {
  const file = join(work, `case-${Math.random().toString(36).slice(2)}.json`);
  const outdir = join(work, `out-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, JSON.stringify(inputs));
  return { ...(await synthInProcess(["--outdir", outdir, "--environments", file])), outdir };
}

const AUTH = { mode: "none", reason: "test fixture: authentication is tested in auth*.test.ts" };

describe("secrets in unknown keys are never echoed", () => {
  test.each([
    ["a misspelt secret under auth (auth.client_secret)", { auth: { ...AUTH, client_secret: SECRET } }, "auth.client_secret"],
    ["an unknown top-level password (adminPassword)", { adminPassword: SECRET }, "adminPassword"],
    ["a nested object under auth", { auth: { ...AUTH, oidcConfig: { clientSecret: SECRET, nested: { token: SECRET } } } }, "auth.oidcConfig"],
    ["a secret under a misspelt section (storag.s3.secretKey)", { storag: { s3: { secretKey: SECRET } } }, "storag"],
    ["a secret in a list under an unknown key", { extraCredentials: [{ password: SECRET }] }, "extraCredentials"],
    ["a known field given an object holding a secret (auth.reason)", { auth: { mode: "none", reason: { password: SECRET } } }, "auth.reason"],
  ])("%s", async (_name, overrides, field) => {
    const r = await synth([env({ name: "qa", ...overrides })]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain(SECRET);
    expect(r.stdout).not.toContain(SECRET);
    const line = r.stderr.split("\n").find((l) => l.trim().startsWith(`[qa] ${field} = `));
    if (!line) throw new Error(`no line for ${field}:\n${r.stderr}`);
    expect(line).toMatch(/\(value not shown: [^)]*\)/);
    expect(line).toMatch(/\. Fix: \S{3,}/);
    expect(existsSync(join(r.outdir, "stacks"))).toBe(false);
  });

  test("a known non-secret field's value is still printed (region)", async () => {
    const r = await synth([env({ name: "qa", region: "eu-wset-1" })]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^\s*\[qa\] region = "eu-wset-1": is not an AWS region/m);
  });
});

describe("every message is bounded", () => {
  const HUGE = 100_000;
  test.each([
    ["an environment name of 100,000 characters", { name: "a".repeat(HUGE) }, /\(100000 characters\)/],
    ["a region of 100,000 characters", { name: "qa", region: "x".repeat(HUGE) }, /\(100000 characters\)/],
    ["an unknown key of 100,000 characters", { name: "qa", ["k".repeat(HUGE)]: SECRET }, /\(100000 characters\)/],
    ["an acknowledgement of 100,000-character texts with a bad rule", { name: "qa", acknowledgements: [{ rule: "MP999", resource: "x".repeat(HUGE), reason: "r".repeat(HUGE) }] }, /acknowledgements\[0\]\.rule = "MP999"/],
  ])("%s", async (_name, overrides, says) => {
    const r = await synth([env(overrides)]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain(SECRET);
    expect(r.stderr.length).toBeLessThan(2_000);
    for (const line of r.stderr.split("\n")) expect(line.length).toBeLessThan(700);
    expect(r.stderr).toMatch(/\. Fix: \S{3,}/);
    expect(r.stderr).toMatch(says);
  });
});
