import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildApp, environments } from "../main";
import type { EnvironmentInput } from "../modules/config/environment";
import { load } from "../modules/cli/inputs";
import { renderJson } from "../modules/review/json";
import { COMMENT_LIMIT, MARKER, renderMarkdown } from "../modules/review/markdown";
import { buildReview } from "../modules/review/report";
import { renderSarif } from "../modules/review/sarif";
import { ROOT, runTsx, TEST_OUT } from "./helpers";

import { sarifErrors } from "./sarif-schema";

/** 1-based line of the first line of this test file containing `text`. */
const thisLine = (text: string) => readFileSync(__filename, "utf8").split("\n").findIndex((l) => l.includes(text)) + 1;

/** Outputs live under the repo (relative paths keep the reports byte-stable). */
const OUT = `${TEST_OUT}/review`;
function synth(name: string, inputs: EnvironmentInput[] = environments): string {
  const dir = join(OUT, name);
  rmSync(join(ROOT, dir), { recursive: true, force: true });
  mkdirSync(join(ROOT, dir), { recursive: true });
  buildApp(join(ROOT, dir), inputs).synth();
  return dir;
}

function golden(name: string, actual: string) {
  // The goldens name the default output folder; this run writes into its own (global-setup.ts).
  actual = actual.split(`${TEST_OUT}/`).join("__tests__/.out/");
  const file = join(ROOT, "__tests__/golden", name);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

describe("review of the default environments", () => {
  let head: string;
  beforeAll(() => {
    process.chdir(ROOT);
    head = synth("head");
  });

  test("Markdown matches the golden file (marker, title, contract, exposures, Mermaid)", () => {
    const md = renderMarkdown(buildReview(load(head), undefined, "error"));
    // dev is unauthenticated on purpose (auth.mode none): its MP018 is acknowledged, and said.
    // (the nodes' http rule for kubelet probes is the designed MP019 residual: a warning, never an error)
    expect(md.split("\n").slice(0, 2).join("\n")).toMatch(new RegExp(`^${MARKER}\n## (✅|⚠️) Mimir port contract: 3 environments pass`));
    expect(md).toContain("**Entry:** `gateway-api` · hosts: `mimir.example.com` · public API groups: write, read, rules, alertmanager");
    expect(md).toContain("| `/api/v1/push` | exact | POST | `mimir-distributor` (distributor) |");
    expect(md).toContain("| `/api/v1/push` | exact | POST | `mimir` |");
    expect(md).toContain("- No base to compare with: this reviews the head alone");
    expect(md).toContain("```mermaid\nflowchart LR");
    expect(md).toContain("| http | 8080 | TCP | `server.http_listen_port` | `http-metrics` |");
    golden("review.md", md);
  });

  test("JSON matches the golden file and has the documented fields", () => {
    const json = renderJson(buildReview(load(head), undefined, "error"));
    const doc = JSON.parse(json);
    expect(doc).toMatchObject({ schemaVersion: 1, tool: "mimir-ports", status: "pass", threshold: "error" });
    expect(doc.stacks.map((s: { stack: string }) => s.stack)).toEqual(["dev", "prod", "staging"]);
    expect(Object.keys(doc.stacks[0])).toEqual(["stack", "file", "format", "contract", "entry", "exposures", "findings", "auth"]);
    const prod = doc.stacks.find((s: { stack: string }) => s.stack === "prod");
    expect(prod.entry).toMatchObject({ kind: "gateway-api", legacy: false, hosts: ["mimir.example.com"], groups: ["write", "read", "rules", "alertmanager"] });
    expect(prod.entry.routes).toContainEqual({ path: "/api/v1/push", match: "exact", component: "distributor", service: "mimir-distributor", group: "write", methods: ["POST"] });
    expect(prod.entry.operatorAccess).toBeUndefined();
    expect(prod.contract.entry).toBeUndefined();
    golden("review.json", json);
  });

  test("SARIF is valid 2.1.0 with every rule and its help", () => {
    const sarif = JSON.parse(renderSarif(buildReview(load(head), undefined, "error"), "1.0.0"));
    expect(sarifErrors(sarif)).toEqual([]);
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain("MP001");
    expect(sarif.runs[0].tool.driver.rules.every((r: { help: { text: string } }) => r.help.text.length > 20)).toBe(true);
  });
});

describe("base vs head", () => {
  beforeAll(() => process.chdir(ROOT));

  test("a change that opens 8080 to the world: exit 1, the exposure and the finding are in every format", () => {
    const base = synth("base");
    const opened = environments.map((e) =>
      e.name === "prod" ? { ...e, acknowledgements: [] } : e,
    );
    // The change: someone adds a raw rule opening 8080 to 0.0.0.0/0 (outside our constructs).
    const headDir = join(OUT, "opened");
    rmSync(join(ROOT, headDir), { recursive: true, force: true });
    mkdirSync(join(ROOT, headDir), { recursive: true });
    const app = buildApp(join(ROOT, headDir), opened);
    const { VpcSecurityGroupIngressRule } = require("@cdktf/provider-aws/lib/vpc-security-group-ingress-rule");
    const prod = app.node.children.find((c) => c.node.id === "prod") as import("../modules/stack/mimir-stack").MimirStack;
    new VpcSecurityGroupIngressRule(prod, "debug-8080", { securityGroupId: prod.edge.securityGroups.members.id, ipProtocol: "tcp", fromPort: 8080, toPort: 8080, cidrIpv4: "0.0.0.0/0", description: "debug" });
    // Synth refuses it (the PR fails at cdktf synth) ...
    expect(() => app.synth()).toThrow(/MP001 critical aws_vpc_security_group_ingress_rule\.debug-8080/);
    // ... and the review of what it would write flags it too.
    mkdirSync(join(ROOT, headDir, "stacks/prod"), { recursive: true });
    writeFileSync(join(ROOT, headDir, "stacks/prod/cdk.tf.json"), JSON.stringify(prod.toTerraform(), null, 2));
    const r = runTsx(["bin/mimir-ports.ts", "review", "--base", join(base, "stacks/prod"), "--head", join(headDir, "stacks/prod"), "--json", join(OUT, "opened.json"), "--sarif", join(OUT, "opened.sarif")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<!-- mimir-ports-review -->\n## ❌ Mimir port contract: 1 finding at or above error in 1 of 1 environment/);
    expect(r.stdout).toContain("- ⛔ **MP001 critical** in prod · `aws_vpc_security_group_ingress_rule.debug-8080`: http 8080 reachable from 0.0.0.0/0 (anywhere) through tcp/8080");
    expect(r.stdout).toContain("- **opened in prod**: http 8080 from 0.0.0.0/0 (anywhere) through security group aws_security_group.edge_security-groups_members — MP001 critical");
    expect(r.stdout).toMatch(/- ➕ security group aws_security_group\.edge_security-groups_members · http 8080 · 0\.0\.0\.0\/0 \(anywhere\) · MP001 critical/);
    expect(r.stdout).toContain("- added `aws_vpc_security_group_ingress_rule.debug-8080`");
    expect(r.stdout).toContain("| prod | changed | 1 | 0 | 0 | 1 | 0 |");
    expect(r.stdout).toContain('-->|"http 8080: MP001 critical"|');
    const json = JSON.parse(readFileSync(join(ROOT, OUT, "opened.json"), "utf8"));
    expect(json.status).toBe("fail");
    expect(json.diff[0].exposuresAdded).toHaveLength(1);
    const sarif = JSON.parse(readFileSync(join(ROOT, OUT, "opened.sarif"), "utf8"));
    expect(sarifErrors(sarif)).toEqual([]);
    // Errors only: the kubelet-probe MP019 residual is a warning result beside it.
    expect(sarif.runs[0].results.filter((x: { level: string }) => x.level === "error")).toEqual([
      expect.objectContaining({
        ruleId: "MP001",
        level: "error",
        // At the line of the user's code that created the rule (here, this test), not the gitignored cdktf.out nor the environment's name.
        locations: [expect.objectContaining({ physicalLocation: { artifactLocation: { uri: "__tests__/review.test.ts" }, region: { startLine: thisLine('(prod, "debug-8080", { securityGroupId') } }, logicalLocations: [expect.objectContaining({ fullyQualifiedName: "prod/debug-8080" })] })],
        relatedLocations: [expect.objectContaining({ physicalLocation: expect.objectContaining({ artifactLocation: { uri: `${headDir}/stacks/prod/cdk.tf.json` }, region: { startLine: expect.any(Number) } }) })],
      }),
    ]);
  });

  test("renaming a security group (new release name) warns that it will be replaced", () => {
    const base = synth("base2");
    const renamed = synth("renamed", environments.map((e) => (e.name === "staging" ? { ...e, release: "metrics" } : e)));
    const r = runTsx(["bin/mimir-ports.ts", "review", "--base", base, "--head", renamed]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/## ⚠️ Mimir port contract: 3 environments pass, but the change carries \d+ high-risk changes/);
    expect(r.stdout).toContain("- **high risk** in staging: the load balancer is replaced: its DNS name changes");
    expect(r.stdout).toContain("- **critical risk** in staging: the Mimir members security group is replaced");
    expect(r.stdout).toMatch(/> \*\*⚠️ staging: `aws_security_group\.edge_security-groups_members_\w+` would be replaced\*\* \(name_prefix changed\): Terraform destroys and recreates it\./);
    expect(r.stdout).toMatch(/> \*\*⚠️ staging: `aws_lb\.edge_load-balancer_lb_\w+` would be replaced\*\* \(name changed\)/);
    expect(r.stdout).toContain("| staging | changed |");
    expect(r.stdout).not.toContain("| dev |");
  });
});

test("a removed security group is a bold destroy warning", () => {
  process.chdir(ROOT);
  const base = load(join(OUT, "base2"));
  const head = base.map((m) => (m.stack !== "prod" ? m : { ...m, resources: m.resources.filter((r) => !r.address.startsWith("aws_security_group.edge_security-groups_lb")) }));
  const md = renderMarkdown(buildReview(head as never, base, "error"));
  expect(md).toMatch(/> \*\*⚠️ prod: `aws_security_group\.edge_security-groups_lb_\w+` would be destroyed\.\*\*/);
});

test("the SARIF validator rejects an invalid log", () => {
  expect(sarifErrors({ version: "3.0", runs: [] }).length).toBeGreaterThan(0);
});

describe("exit codes and limits", () => {
  beforeAll(() => process.chdir(ROOT));

  test("2 for missing input, 2 for a truncated cdk.tf.json, 2 without --head", () => {
    expect(runTsx(["bin/mimir-ports.ts", "review", "--head", "no/such/dir"]).code).toBe(2);
    const dir = join(ROOT, OUT, "broken/stacks/x");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cdk.tf.json"), '{"resource": {"aws_lb": ');
    const broken = runTsx(["bin/mimir-ports.ts", "review", "--head", join(OUT, "broken")]);
    expect(broken.code).toBe(2);
    expect(broken.stderr.startsWith(`mimir-ports: ${OUT}/broken/stacks/x/cdk.tf.json: not valid JSON`)).toBe(true);
    expect(broken.stderr.trim().split("\n")).toHaveLength(1);
    expect(runTsx(["bin/mimir-ports.ts", "review"]).code).toBe(2);
  });

  test("the comment stays under GitHub's limit with an explicit truncation note", () => {
    const head = load(join(OUT, "head"));
    const many = Array.from({ length: 60 }, (_, i) => head.map((m) => ({ ...m, stack: `${m.stack}-${i}` }))).flat();
    const md = renderMarkdown(buildReview(many, undefined, "error"));
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md).toMatch(/✂️ \*\*Report truncated\*\* to stay under GitHub's 65,536-character comment limit, lowest severity first: (\d+ of 180 environment section\(s\) without findings; )?\d+ of 180 environment\(s\) with only warnings or acknowledged findings not shown/);
  });
});

describe("reviewing a plan (terraform show -json)", () => {
  beforeAll(() => process.chdir(ROOT));
  test("the plan's own actions give destroy and replace warnings without a base", () => {
    const review = buildReview(load("__tests__/fixtures/plan.json"), undefined, "error");
    const md = renderMarkdown(review);
    expect(md).toContain("> **⚠️ The plan destroys `aws_lb.old`.**");
    expect(md).toContain("> **⚠️ The plan replaces `aws_security_group.members`.**");
    expect(md).toContain("Plan: 2 to add, 1 to change, 1 to replace, 1 to destroy.");
    expect(md).toContain("- **high risk** in plan: the load balancer is destroyed: Mimir's entry and its DNS name disappear, clients break");
    const json = JSON.parse(renderJson(review));
    expect(json.stacks[0].plannedChanges.map((c: { address: string; actions: string[] }) => `${c.address}:${c.actions.join("+")}`)).toEqual([
      "aws_lb.old:delete",
      "aws_security_group.legacy:update",
      "aws_security_group.members:create+delete",
      "module.edge.aws_lb_listener.grpc:create",
      "module.edge.aws_security_group_rule.gossip_udp:create",
    ]);
    expect(sarifErrors(JSON.parse(renderSarif(review, "1.0.0")))).toEqual([]);
  });
});
