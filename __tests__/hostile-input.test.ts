import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../main";
import { load } from "../modules/cli/inputs";
import { UserError } from "../modules/cli/run";
import { COMMENT_LIMIT, renderMarkdown } from "../modules/review/markdown";
import { renderJson } from "../modules/review/json";
import { buildReview } from "../modules/review/report";
import { runTsx } from "./helpers";

/** `check` and `review` on hostile input: one clear line and exit 2, or a bounded, correct report. Never a crash. */
const work = mkdtempSync(join(tmpdir(), "mimir-hostile-"));
const at = (...p: string[]) => join(work, ...p);

function loadError(input: string): UserError {
  try {
    load(input);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as Error).message).not.toContain("\n");
    return err as UserError;
  }
  throw new Error(`expected ${input} to be refused`);
}

describe.each<[string, () => string, RegExp]>([
  ["a missing directory", () => at("missing"), /no such file or directory/],
  ["an empty directory", () => (mkdirSync(at("empty"), { recursive: true }), at("empty")), /no stacks found/],
  ["a truncated cdk.tf.json", () => (mkdirSync(at("trunc/stacks/a"), { recursive: true }), writeFileSync(at("trunc/stacks/a/cdk.tf.json"), '{"resource": {"aws_lb": {"x": {'), at("trunc")), /cdk\.tf\.json: not valid JSON/],
  ["a non-JSON file", () => (writeFileSync(at("notes.txt"), "hello: world\n"), at("notes.txt")), /notes\.txt: not valid JSON/],
  ["an empty file", () => (writeFileSync(at("empty.json"), ""), at("empty.json")), /empty file/],
  ["a JSON array", () => (writeFileSync(at("array.json"), "[1,2]"), at("array.json")), /not a Terraform JSON object/],
  ["a plan of an unknown format version", () => (writeFileSync(at("plan9.json"), JSON.stringify({ format_version: "9.0", planned_values: {} })), at("plan9.json")), /unsupported plan format_version "9\.0"/],
  ["a broken manifest", () => (mkdirSync(at("badmanifest"), { recursive: true }), writeFileSync(at("badmanifest/manifest.json"), '{"version": "0.21.0"}'), at("badmanifest")), /not a cdktf manifest/],
  ["a manifest that names a missing stack file", () => (mkdirSync(at("ghost"), { recursive: true }), writeFileSync(at("ghost/manifest.json"), JSON.stringify({ stacks: { a: { synthesizedStackPath: "stacks/a/cdk.tf.json" } } })), at("ghost")), /cannot read \(ENOENT\)/],
])("%s", (_label, make, message) => {
  test("is a one-line error with exit code 2", () => {
    expect(loadError(make()).message).toMatch(message);
  });
});

test("the CLIs exit 2 with one line on stderr", () => {
  for (const args of [["check", at("missing")], ["review", "--head", at("trunc")], ["review", "--head", at("trunc"), "--base", at("missing")]]) {
    const r = runTsx(["bin/mimir-ports.ts", ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  }
});

test("a 1,000-stack output gives a bounded, correct report", () => {
  const one = at("one");
  mkdirSync(one, { recursive: true });
  buildApp(one, [
    { name: "s", region: "eu-west-1", state: { bucket: "b-bucket" }, deploymentMode: "monolithic", loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: { kind: "mimir" } }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] }, auth: { mode: "none", reason: "report size test, no authentication needed" } },
  ]).synth();
  const text = readFileSync(join(one, "stacks/s/cdk.tf.json"), "utf8");
  // The rule goes on Mimir's members group, so the exposure model knows it reaches Mimir's pods.
  const members = /"(edge_security-groups_members_[0-9A-F]+)"/.exec(text)![1];
  const big = at("big");
  const stacks: Record<string, { synthesizedStackPath: string }> = {};
  for (let i = 0; i < 1000; i++) {
    const name = `env-${String(i).padStart(4, "0")}`;
    mkdirSync(join(big, "stacks", name), { recursive: true });
    // Every 100th environment opens the http port to the world.
    const body = i % 100 === 7 ? text.replace('"resource": {', `"resource": {\n    "aws_security_group_rule": {"debug": {"type": "ingress", "security_group_id": "\${aws_security_group.${members}.id}", "protocol": "tcp", "from_port": 8080, "to_port": 8080, "cidr_blocks": ["0.0.0.0/0"], "description": "debug"}},`) : text;
    writeFileSync(join(big, "stacks", name, "cdk.tf.json"), body);
    stacks[name] = { synthesizedStackPath: `stacks/${name}/cdk.tf.json` };
  }
  writeFileSync(join(big, "manifest.json"), JSON.stringify({ stacks, version: "0.21.0" }));

  const models = load(big);
  expect(models).toHaveLength(1000);
  const review = buildReview(models, undefined, "error");
  expect(review.failing.map((f) => f.stack)).toEqual(Array.from({ length: 10 }, (_, k) => `env-${String(k * 100 + 7).padStart(4, "0")}`));
  const md = renderMarkdown(review);
  expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT);
  expect(md).toContain("## ❌ Mimir port contract: 10 findings at or above error in 10 of 1000 environments");
  // One grouped entry names every environment with the finding; none is dropped.
  expect(md).toContain("- ⛔ **MP001 critical** in 10 environments (env-0007, env-0107, env-0207, env-0307, env-0407, env-0507, env-0607, env-0707, env-0807, env-0907) · `aws_security_group_rule.debug`");
  // Each also carries its acknowledged MP018 (auth.mode none), one per listener, and the kubelet-probe warning (MP019).
  for (const f of review.failing) expect(md).toContain(`<summary>${f.stack}: ⛔ 1 critical · ⚠️ 1 warning · ☑️ 1 acknowledged</summary>`);
  // A warning every environment carries is one grouped entry, not 1,000 lines crowding out the findings.
  expect(md).toContain("- ⚠️ **MP019 warning** in all 1000 environments");
  expect(md).toContain("### Acknowledged (1000)");
  expect(md).toContain("Report truncated");
  const json = JSON.parse(renderJson(review));
  expect(json.stacks).toHaveLength(1000);
  expect(json.status).toBe("fail");
});
