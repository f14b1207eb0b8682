/**
 * CI can gate on what the review knows (issue 29): `--fail-on-risk`, and
 * review.json's `status` always equal to the exit code (pass 0, fail 1,
 * error 2). A head that did not synthesize is compared with nothing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "../modules/cli/inputs";
import type { EnvironmentInput } from "../modules/config/environment";
import { renderMarkdown } from "../modules/review/markdown";
import { buildReview } from "../modules/review/report";
import { synthProd } from "./helpers/prod-synth";
import { ROOT, runTsx, TEST_OUT } from "./helpers";

const OUT = `${TEST_OUT}/review-gate`;
const read = (f: string) => readFileSync(join(ROOT, f), "utf8");

const synth = (name: string, ports?: EnvironmentInput["ports"]) => synthProd(OUT, name, ports);

let base: string;
let oneStep: string;
beforeAll(() => {
  process.chdir(ROOT);
  base = synth("base");
  oneStep = synth("grpc-one-step", { grpc: 9096 });
});

const review = (name: string, extra: string[]) => {
  const json = join(OUT, `${name}.json`);
  const r = runTsx(["bin/mimir-ports.ts", "review", "--head", oneStep, "--base", base, "--format", "json", "--out", json, ...extra]);
  return { code: r.code, stderr: r.stderr, doc: JSON.parse(read(json)) };
};

test("a one-step port move with --fail-on-risk high: exit 1, status fail, the move listed in risks", () => {
  const r = review("gate-high", ["--fail-on-risk", "high"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(1);
  expect(r.doc.status).toBe("fail");
  expect(r.doc.failOnRisk).toBe("high");
  expect(r.doc.risks).toContainEqual(
    expect.objectContaining({
      level: "high",
      stack: "prod",
      address: "contract.ports.grpc",
      says: expect.stringMatching(/^grpc port 9095 → 9096 in prod: \d+ resources change; a one-step change of a running environment's port: .*split into three PRs/),
    }),
  );
});

test("the same move without the flag, or gated at critical: exit 0, status pass, the risk still listed", () => {
  for (const extra of [[], ["--fail-on-risk", "critical"]]) {
    const r = review(`gate-${extra.length ? "critical" : "none"}`, extra);
    expect(r.code).toBe(0);
    expect(r.doc.status).toBe("pass");
    expect(r.doc.risks.map((x: { address: string; level: string }) => `${x.level} ${x.address}`)).toContain("high contract.ports.grpc");
  }
});

test("the comment's verdict says the gate failed, and why", () => {
  const md = join(OUT, "gate.md");
  const r = runTsx(["bin/mimir-ports.ts", "review", "--head", oneStep, "--base", base, "--out", md, "--fail-on-risk", "high"]);
  expect(r.code).toBe(1);
  expect(read(md).split("\n")[1]).toBe("## ❌ Mimir port contract: the change carries 1 risk at or above high (--fail-on-risk)");
});

test("a misspelt --fail-on-risk is a usage error naming the choices, exit 2", () => {
  const r = runTsx(["bin/mimir-ports.ts", "review", "--head", oneStep, "--fail-on-risk", "hihg"]);
  expect(r.code).toBe(2);
  expect(r.stderr.trim()).toBe('mimir-ports: review: --fail-on-risk "hihg" is not one of critical, high, medium, none');
});

test("a head that did not synthesize: compared with nothing, status error, exit 2, the error quoted as valid Markdown", () => {
  const out = join(OUT, "broken-head");
  const synthCmd = `node -e "process.stderr.write('synth: [prod] loadBalancer.allowedCidrs[0] = \\"10.0.0.0/33\\": not a CIDR'); process.exit(1)"`;
  const r = runTsx(["bin/mimir-ports.ts", "pr-review", "--base", base, "--head", ".", "--out", out, "--synth", synthCmd, "--fail-on-risk", "high"]);
  expect(r.code).toBe(2);
  expect(r.stdout).toMatch(/^pr-review: error: 0 environment\(s\)/);
  const doc = JSON.parse(read(join(out, "review.json")));
  expect(doc.status).toBe("error");
  expect(doc.stacks).toEqual([]);
  expect(doc.risks).toBeUndefined();
  expect(doc.changes).toBeUndefined();
  expect(doc.diff).toBeUndefined();
  const md = read(join(out, "comment.md"));
  expect(md).not.toMatch(/\*\*\w+ risk\*\*|destroyed|removed/);
  // The command and its output in one fenced block inside the quote: no doubled backticks.
  const quote = md.split("\n").filter((l) => l.startsWith(">"));
  expect(quote).toEqual([
    "> **The head did not synthesize**, so there is nothing to review (no changes, no risks):",
    ">",
    "> ```text",
    expect.stringMatching(/^> `node -e .*` exited 1 without writing an output:$/),
    '> synth: [prod] loadBalancer.allowedCidrs[0] = "10.0.0.0/33": not a CIDR',
    "> ```",
  ]);
  expect(md).not.toContain("``node");
  expect(md).not.toMatch(/0 environments|acknowledged/);
});

describe("the comment tells the truth about warnings and migrations", () => {
  const comment = (head: string) => renderMarkdown(buildReview(load(head), load(base), "error"));

  test("the by-design MP019 warning: a warning cell, dashed in the diagram, path, fix and acknowledgement in the environment's section", () => {
    const md = comment(base);
    expect(md).toMatch(/^- ⚠️ \*\*MP019 warning\*\* in prod · .*: a node of the cluster reaches Mimir's http 8080 through the rule from var\.node_security_group_id \(the nodes' group\): by design.* \(path and fix in the environment's section\)$/m);
    const section = md.slice(md.indexOf("<details><summary>prod: "));
    expect(section).toContain("| group var.node_security_group_id | ⚠️ MP019 warning |");
    expect(section).not.toContain("❌ MP019 warning");
    expect(section).toMatch(/^Path: a node of the cluster \(kubelet, hostNetwork pods\) → .* → pods mimir:http-metrics {2}$/m);
    expect(section).toMatch(/^To accept it on purpose, add to the environment's `acknowledgements`: `\{"rule":"MP019","resource":"prod\/edge\/security-groups\/pods\/ingress_http_from_nodes",.*"accepts":\{"severity":"warning",/m);
    expect(section).toMatch(/ {2}(n\d+)\(\["ℹ group var\.node_security_group_id"\]\)\n(?: {2}n\d+\[.*\]\n)? {2}\1 -\.->\|"http 8080: MP019 warning"\| n\d+\n {2}class \1 warning/);
    expect(section).not.toContain("classDef violation");
  });

  test("phase 1 of an http migration: both numbers and the phase in the contract table and the diagram", () => {
    const md = comment(synth("http-open", { http: { from: 8080, to: 8081, phase: "open" } }));
    expect(md).toContain("| http | 8080 → 8081 (phase 1 of 3: both ports open; Mimir listens on 8080) | TCP | `server.http_listen_port` | `http-metrics` |");
    expect(md).toContain('n0("Mimir members, http 8080 → 8081 (phase 1 of 3)")');
    const grpc = comment(synth("grpc-move", { grpc: { from: 9095, to: 9096, phase: "move" } }));
    expect(grpc).toContain("| grpc | 9095 → 9096 (phase 2 of 3: Mimir moves; Mimir listens on 9096) |");
    expect(grpc).toContain('|"grpc 9095 → 9096 (phase 2 of 3), memberlist 7946 (TCP)"|');
  });
});
