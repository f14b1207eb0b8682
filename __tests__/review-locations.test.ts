/**
 * Locations users can click: every finding points at the line of the user's
 * code that created its resource (their own `new X(...)`, in whichever file),
 * or at the `new MimirStack(...)` call for what the stack builds; never at the
 * environment's `name:` line nor the gitignored cdktf.out. The apps are
 * synthesized the way users do (`npm run synth`, tsx with source maps off).
 * Regenerate the golden with `UPDATE_GOLDEN=1 npx jest review-locations`.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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

function synthApp(app: string): string {
  const out = join(OUT, app);
  rmSync(join(ROOT, out), { recursive: true, force: true });
  const r = runTsx(["bin/synth.ts", "--report", "--outdir", out, "--app", join(APPS, `${app}.ts`)]);
  // The debug rule is refused (exit 1); report mode wrote the output anyway.
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("MP001 critical aws_vpc_security_group_ingress_rule.debug-http");
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

afterAll(() => {
  if (Object.keys(golden).length !== 2) return;
  const file = join(ROOT, "__tests__/golden/sarif-own-resource.json");
  const actual = `${JSON.stringify(golden, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
});
