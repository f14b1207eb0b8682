/**
 * Locations users can click: every finding points at the line of the user's
 * code that created its resource (their own `new X(...)`, in whichever file),
 * or at the `new MimirStack(...)` call for what the stack builds; never at the
 * environment's `name:` line nor the gitignored cdktf.out. The apps are
 * synthesized the way users do (`npm run synth`, tsx with source maps off).
 * Regenerate the golden with `UPDATE_GOLDEN=1 npx jest review-locations`.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { load } from "../modules/cli/inputs";
import { renderJson } from "../modules/review/json";
import { renderMarkdown } from "../modules/review/markdown";
import { buildReview } from "../modules/review/report";
import { renderSarif } from "../modules/review/sarif";
import { ROOT, runTsx } from "./helpers";
import { sarifErrors } from "./sarif-schema";

const OUT = "__tests__/.out/review-locations";
const APPS = "__tests__/fixtures/apps";

/** 1-based line of the first code line of `file` containing `text` (comments skipped). */
const lineOf = (file: string, text: string) => readFileSync(join(ROOT, file), "utf8").split("\n").findIndex((l) => l.includes(text) && !/^\s*(\*|\/\/)/.test(l)) + 1;

function synthApp(app: string, refused = "aws_vpc_security_group_ingress_rule.debug-http"): string {
  const out = join(OUT, app);
  rmSync(join(ROOT, out), { recursive: true, force: true });
  const r = runTsx(["bin/synth.ts", "--report", "--outdir", out, "--app", join(APPS, `${app}.ts`)]);
  // The debug rule is refused (exit 1); report mode wrote the output anyway.
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`MP001 critical ${refused}`);
  return out;
}

type Result = { ruleId: string; properties: { stack: string; address: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }> };
const located = (sarif: { runs: Array<{ results: Result[] }> }) =>
  sarif.runs[0].results.map((r) => ({ ruleId: r.ruleId, stack: r.properties.stack, address: r.properties.address, uri: r.locations[0].physicalLocation.artifactLocation.uri, line: r.locations[0].physicalLocation.region?.startLine }));

const golden: Record<string, unknown> = {};

beforeAll(() => process.chdir(ROOT));

test.each([
  ["own-resource-main", `${APPS}/own-resource-main.ts`, "new VpcSecurityGroupIngressRule(stack, \"debug-http\", {", `${APPS}/own-resource-main.ts`, "new MimirStack("],
  ["own-resource-split", `${APPS}/own-resource-debug-rule.ts`, "new VpcSecurityGroupIngressRule(stack, \"debug-http\", {", `${APPS}/own-resource-split.ts`, "new MimirStack("],
])("%s: the user's rule at its own line, the stack's resources at the new MimirStack call", (app, ruleFile, ruleCall, stackFile, stackCall) => {
  const review = buildReview(load(synthApp(app)), undefined, "error");
  const sarif = JSON.parse(renderSarif(review, "0.0.0-test", "."));
  expect(sarifErrors(sarif)).toEqual([]);
  const results = located(sarif);
  expect(results).toContainEqual({ ruleId: "MP001", stack: "prod", address: "aws_vpc_security_group_ingress_rule.debug-http", uri: ruleFile, line: lineOf(ruleFile, ruleCall) });
  // dev's acknowledged unauthenticated listener: built by the stack, so at the `new MimirStack(` call.
  expect(results).toContainEqual(expect.objectContaining({ ruleId: "MP018", stack: "dev", uri: stackFile, line: lineOf(stackFile, stackCall) }));
  // The comment and the JSON say the same.
  expect(renderMarkdown(review)).toContain(`  Created at: \`${ruleFile}:${lineOf(ruleFile, ruleCall)}\``);
  const json = JSON.parse(renderJson(review));
  expect(json.stacks.find((s: { stack: string }) => s.stack === "prod").findings).toContainEqual(expect.objectContaining({ address: "aws_vpc_security_group_ingress_rule.debug-http", source: `${ruleFile}:${lineOf(ruleFile, ruleCall)}` }));
  golden[app] = results;
});

describe("every way a user's code creates a resource has its line (own-resource-ways.ts)", () => {
  const MAIN = `${APPS}/own-resource-ways.ts`;
  const LIB = `${APPS}/own-resource-ways-lib.ts`;
  let out = "";
  let results: ReturnType<typeof located> = [];
  let review: ReturnType<typeof buildReview>;
  beforeAll(() => {
    out = synthApp("own-resource-ways", "aws_vpc_security_group_ingress_rule.alias-http");
    review = buildReview(load(out), undefined, "error");
    const sarif = JSON.parse(renderSarif(review, "0.0.0-test", "."));
    expect(sarifErrors(sarif)).toEqual([]);
    results = located(sarif).filter((r) => r.stack === "prod" && r.ruleId === "MP001");
  });
  const at = (address: RegExp) => results.filter((r) => address.test(r.address)).map((r) => ({ uri: r.uri, line: r.line }));

  test.each([
    // How the class is reached, the address, the file and the text of the line the finding points at.
    ["an aliased import (import { X as Rule }; new Rule(...))", /^aws_vpc_security_group_ingress_rule\.alias-http$/, MAIN, 'new Rule(stack, "alias-http"'],
    ["a namespace import (import * as sgr; new sgr.X(...))", /^aws_vpc_security_group_ingress_rule\.namespace-http$/, MAIN, 'new sgr.VpcSecurityGroupIngressRule(stack, "namespace-http"'],
    ["a helper function (its `new`, for each call)", /^aws_vpc_security_group_ingress_rule\.helper-[ab]$/, MAIN, "return new Rule(stack, id,"],
    ["a class extending the provider's class (its `super(`)", /^aws_vpc_security_group_ingress_rule\.class-http$/, MAIN, "super(scope as Construct, id, config);"],
    ["a construct in another file wrapping it (its `new` there)", /^aws_vpc_security_group_ingress_rule\.construct-http_rule_/, LIB, 'new IngressRule(this, "rule"'],
  ])("%s", (_how, address, file, text) => {
    const found = at(address);
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) expect(f).toEqual({ uri: file, line: lineOf(file, text) });
    const line = lineOf(file, text);
    expect(line).toBeGreaterThan(0);
    expect(renderMarkdown(review)).toContain(`  Created at: \`${file}:${line}\``);
  });

  test("an addOverride on the stack's own group: the finding names the override and its line; SARIF and the comment point there", () => {
    const line = lineOf(MAIN, 'membersGroup!.addOverride("ingress"');
    const finding = review.stacks.find((s) => s.stack === "prod")!.findings.find((f) => f.ruleId === "MP001" && f.address.startsWith("aws_security_group.edge_security-groups_members"))!;
    expect(finding.message).toContain(`changed by an escape-hatch override on prod/edge/security-groups/members: addOverride("ingress", …) at ${MAIN}:${line}`);
    expect(finding.fix).toMatch(new RegExp(`^remove or change the override addOverride\\("ingress", …\\) at ${MAIN.replace(/[./]/g, "\\$&")}:${line} on prod/edge/security-groups/members; otherwise: `));
    expect(at(/^aws_security_group\.edge_security-groups_members_/)).toEqual([{ uri: MAIN, line }]);
    const md = renderMarkdown(review);
    expect(md).toContain(`  Overridden at: \`${MAIN}:${line}\``);
    // The comment keeps the override in the finding's text (the path goes on its own line).
    expect(md).toContain(`addOverride("ingress", …) at ${MAIN}:${line}  `);
    const json = JSON.parse(renderJson(review));
    expect(json.stacks.find((s: { stack: string }) => s.stack === "prod").findings).toContainEqual(expect.objectContaining({ address: finding.address, overriddenAt: `${MAIN}:${line}` }));
  });

  test("an output outside the repository (pr-review's in the runner's temp folder): no absolute path in the comment, review.json or SARIF", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "mimir-review-locations-"));
    try {
      cpSync(join(ROOT, out), elsewhere, { recursive: true });
      const moved = buildReview(load(elsewhere), undefined, "error");
      const md = renderMarkdown(moved);
      const sources = [...md.matchAll(/^Source: `([^`]+)`/gm)].map((m) => m[1]);
      expect(sources).toEqual(expect.arrayContaining(["stacks/prod/cdk.tf.json", "stacks/dev/cdk.tf.json"]));
      expect(md).not.toContain(elsewhere);
      const sarif = JSON.parse(renderSarif(moved, "0.0.0-test", "."));
      const uris = sarif.runs[0].results.flatMap((r: { locations: Result["locations"]; relatedLocations: Result["locations"] }) => [...r.locations, ...r.relatedLocations].map((l) => l.physicalLocation.artifactLocation.uri));
      expect(uris.filter((u: string) => isAbsolute(u))).toEqual([]);
      expect(uris).toContain("stacks/prod/cdk.tf.json");
      expect(renderJson(moved)).not.toContain(elsewhere);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

afterAll(() => {
  if (Object.keys(golden).length !== 2) return;
  const file = join(ROOT, "__tests__/golden/sarif-own-resource.json");
  const actual = `${JSON.stringify(golden, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
});
