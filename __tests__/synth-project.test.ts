/**
 * `mimir-ports synth` in a user's project: it runs the app the project's
 * cdktf.json names and prints the short refusal (no stack frames, no hint to
 * skip validation), whether the app calls runAppSynth or `app.synth()` itself.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readableFailure } from "../modules/cli/project-app";
import { ROOT, runTsx, TEST_OUT } from "./helpers";

const OUT = join(ROOT, TEST_OUT, "synth-project");
const CLI = join(ROOT, "bin/mimir-ports.ts");

/** A project directory whose cdktf.json runs `app` (a file of this repository) with tsx. */
function project(name: string, app?: string): string {
  const dir = join(OUT, name);
  mkdirSync(dir, { recursive: true });
  if (app) writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: `node --import tsx ${join(ROOT, app)}` }));
  return dir;
}

const noTrace = (text: string) => {
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toMatch(/skipValidation|skip validation/i);
};

const REFUSAL_HEAD = "synth: the contract policy refused 1 finding(s); nothing was written:";
const FINDING = /^ {2}\[prod\] MP001 critical aws_vpc_security_group_ingress_rule\.debug-http \(prod\/debug-http\): http 8080 reachable from 0\.0\.0\.0\/0 \(anywhere\)/;

beforeAll(() => rmSync(OUT, { recursive: true, force: true }));
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

test("an app that calls app.synth() itself: the finding in one short block, exit 1, and what may be on disk", () => {
  const dir = project("bare", "__tests__/fixtures/apps/bare-synth-violation.ts");
  const r = runTsx([CLI, "synth"], dir);
  expect(r.code).toBe(1);
  noTrace(r.stderr);
  const lines = r.stderr.trim().split("\n");
  expect(lines[0]).toBe("synth: the contract policy refused 1 finding(s); stacks synthesized before it may have been written (the app calls app.synth() itself; runAppSynth writes all or nothing, see docs/library.md):");
  expect(lines[1]).toMatch(FINDING);
  expect(lines[2]).toBe("  (accept a finding on purpose with an acknowledgement: see docs/policy-rules.md)");
  expect(lines).toHaveLength(3);
  // cdktf writes stack by stack: never the refused one.
  expect(existsSync(join(dir, "cdktf.out/stacks/prod"))).toBe(false);
});

test("an app that calls runAppSynth: the same block; a passing app writes cdktf.out in the project and prints the summary", () => {
  const refused = runTsx([CLI, "synth"], project("refused", "__tests__/fixtures/apps/cdktf-policy-violation.ts"));
  expect(refused.code).toBe(1);
  noTrace(refused.stderr);
  expect(refused.stderr.split("\n")[0]).toBe(REFUSAL_HEAD);
  expect(refused.stderr.split("\n")[1]).toMatch(FINDING);

  const dir = project("reference", "main.ts");
  const ok = runTsx([CLI, "synth"], dir);
  expect(ok.stderr).toBe("");
  expect(ok.code).toBe(0);
  expect(ok.stdout.split("\n")[0]).toBe("synthesized 3 stack(s) into cdktf.out/stacks");
  expect(ok.stdout).toMatch(/^ {2}prod: internet-facing listener :80 HTTP/m);
  expect(readdirSync(join(dir, "cdktf.out/stacks")).sort()).toEqual(["dev", "prod", "staging"]);
});

test("no cdktf.json: one line naming the directory and the way out, exit 2", () => {
  const dir = project("empty");
  const r = runTsx([CLI, "synth"], dir);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split("\n")).toEqual([`mimir-ports: no cdktf.json in ${dir}: run this in your cdktf project (or create one with \`npx mimir-ports init\`)`]);
});

test("what an app prints when it crashes: the message and its location, never stack frames", () => {
  const crash = [
    "/work/app/node_modules/mimir-port-contract/dist/modules/config/environment.js:42",
    "        throw new ConfigError(list);",
    "        ^",
    "",
    "ConfigError: [prod] region = \"eu-west-9\": is not an AWS region. Fix: use e.g. eu-west-1",
    "    at defineEnvironments (/work/app/node_modules/mimir-port-contract/dist/modules/config/environment.js:42:15)",
    "    at Object.<anonymous> (/work/app/main.ts:40:1)",
    "",
    "Node.js v24.11.0",
  ].join("\n");
  expect(readableFailure(crash)).toBe(
    '/work/app/node_modules/mimir-port-contract/dist/modules/config/environment.js:42\n\nConfigError: [prod] region = "eu-west-9": is not an AWS region. Fix: use e.g. eu-west-1\n',
  );
  expect(readableFailure("synth: 1 problem(s) in the configuration, nothing was written:\n")).toBe("synth: 1 problem(s) in the configuration, nothing was written:\n");
});

describe("mimir-ports pr-review in a user's project: the head is built with its cdktf.json app", () => {
  /** pr-review of `dir` as the head alone; the comment it wrote. */
  function review(dir: string) {
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "user-infra", private: true }));
    const r = runTsx([CLI, "pr-review", "--head", ".", "--out", "review"], dir);
    return { ...r, md: readFileSync(join(dir, "review/comment.md"), "utf8") };
  }

  test("an app with runAppSynth that the policy refuses: report mode writes it, the comment shows the finding", () => {
    const r = review(project("review-refused", "__tests__/fixtures/apps/cdktf-policy-violation.ts"));
    expect(r.code).toBe(1);
    noTrace(r.md);
    expect(r.md).toContain("MP001");
    expect(r.md).toContain("aws_vpc_security_group_ingress_rule.debug-http");
    expect(r.md).not.toContain("did not synthesize");
  });

  test("an app that calls app.synth() itself: the head did not synthesize (status error, exit 2: nothing to compare), and the comment quotes the finding, not stack frames", () => {
    const r = review(project("review-bare", "__tests__/fixtures/apps/bare-synth-violation.ts"));
    expect(r.code).toBe(2);
    expect(r.md).toContain("the head did not synthesize");
    expect(r.md).toMatch(/\[prod\] MP001 critical aws_vpc_security_group_ingress_rule\.debug-http/);
    noTrace(r.md);
  });
});
