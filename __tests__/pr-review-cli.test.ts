/** `mimir-ports pr-review`, the command the workflow wraps, run as a user would. */
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { buildApp } from "../main";
import { appEntry, fromEntry, fromStackTrace } from "../modules/review/source-location";
import { ROOT, runTsx, TEST_OUT } from "./helpers";
import { sarifErrors } from "./sarif-schema";

const OUT = `${TEST_OUT}/pr-review-cli`;
const read = (f: string) => readFileSync(join(ROOT, f), "utf8");

let head: string;
beforeAll(() => {
  process.chdir(ROOT);
  head = join(OUT, "head");
  rmSync(join(ROOT, OUT), { recursive: true, force: true });
  mkdirSync(join(ROOT, head), { recursive: true });
  buildApp(join(ROOT, head)).synth();
});

test("a base git ref that does not exist is a usage error (exit 2, nothing written), never a pass: no risk could be compared", () => {
  const out = join(OUT, "bad-ref");
  const r = runTsx(["bin/mimir-ports.ts", "pr-review", "--base", "no-such-ref-1234", "--head", head, "--out", out]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("pr-review: --base no-such-ref-1234: not a directory, file or git ref of");
  expect(r.stderr).toContain("fix: fetch it (actions/checkout with fetch-depth: 0, or git fetch origin <branch>) or pass the base's directory");
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(existsSync(join(ROOT, out, "comment.md"))).toBe(false);
});

test("a head that does not synthesize (no --head: the current directory): the comment says so with the error, exit 2 (status error), SARIF still valid", () => {
  const out = join(OUT, "broken-head");
  const r = runTsx(["bin/mimir-ports.ts", "pr-review", "--out", out, "--synth", `node -e "process.stderr.write('synth: [prod] ports.http = 0: must be an integer'); process.exit(1)"`]);
  expect(r.code).toBe(2);
  const md = read(join(out, "comment.md"));
  expect(md.split("\n").slice(0, 2)).toEqual(["<!-- mimir-ports-review -->", "## ❌ Mimir port contract: the head did not synthesize"]);
  expect(md).toContain("> ```text\n> `node -e");
  expect(md).toContain("\n> synth: [prod] ports.http = 0: must be an integer\n> ```\n");
  expect(sarifErrors(JSON.parse(read(join(out, "review.sarif"))))).toEqual([]);
});

test("--base HEAD --head .: extracts the ref with git, synthesizes both in report mode, writes the three files", () => {
  const out = join(OUT, "git-ref");
  const r = runTsx(["bin/mimir-ports.ts", "pr-review", "--base", "HEAD", "--head", ".", "--out", out]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^pr-review: pass: 3 environment\(s\), 0 finding\(s\) at or above error; wrote /);
  for (const f of ["comment.md", "review.json", "review.sarif"]) expect(existsSync(join(ROOT, out, f))).toBe(true);
  const md = read(join(out, "comment.md"));
  expect(md).not.toContain("did not synthesize");
  expect(md).toContain(`Source: \`${OUT}/git-ref/synth/head/stacks/dev/cdk.tf.json\``);
  expect(existsSync(join(ROOT, out, "synth/base/stacks/prod/cdk.tf.json"))).toBe(true);
}, 120_000);

test("missing --out is a usage error, exit 2; --head is optional (default: the current directory)", () => {
  const r = runTsx(["bin/mimir-ports.ts", "pr-review", "--base", "HEAD"]);
  expect(r.code).toBe(2);
  expect(r.stderr.trim()).toMatch(/^mimir-ports: pr-review: --out is required; usage: mimir-ports pr-review \[--head /);
});

describe("SARIF source locations", () => {
  const resource = (stackTrace?: string[]) => ({ address: "aws_lb.x", type: "aws_lb", name: "x", values: { "//": { metadata: { path: "prod/x", ...(stackTrace ? { stackTrace } : {}) } } } });

  test("cdktf's stack trace: the first frame in the project, outside node_modules", () => {
    const trace = [
      "    at new TerraformResource (/repo/node_modules/cdktf/lib/terraform-resource.js:10:5)",
      "    at new Lb (/repo/node_modules/@cdktf/provider-aws/lib/lb/index.js:20:9)",
      "    at buildEdge (/repo/infra/edge.ts:42:7)",
      "    at Object.<anonymous> (/repo/main.ts:12:1)",
    ];
    expect(fromStackTrace(resource(trace), "/repo")).toEqual({ uri: "infra/edge.ts", line: 42 });
    expect(fromStackTrace(resource(["    at file:///repo/app/main.ts:7:3"]), "/repo")).toEqual({ uri: "app/main.ts", line: 7 });
    expect(fromStackTrace(resource(["    at x (/elsewhere/main.ts:1:1)"]), "/repo")).toBeUndefined();
    expect(fromStackTrace(resource(), "/repo")).toBeUndefined();
  });

  test("without a trace: the app entry of cdktf.json at the environment's definition", () => {
    expect(appEntry(ROOT)).toBe("main.ts");
    const line = read("main.ts").split("\n").findIndex((l) => l.includes('name: "staging"')) + 1;
    expect(fromEntry(ROOT, "staging", (f) => readFileSync(f, "utf8"))).toEqual({ uri: "main.ts", line });
    expect(fromEntry(ROOT, "nowhere", (f) => readFileSync(f, "utf8"))).toEqual({ uri: "main.ts" });
  });
});

test("the docs document the local command; README and docs/policy-rules.md have the anchor every SARIF helpUri points at", () => {
  expect(read("docs/review.md")).toContain("npm run -s pr-review -- --base origin/main --head . --out review-out");
  const { RULES } = require("../modules/policy/rules") as typeof import("../modules/policy/rules");
  for (const page of ["README.md", "docs/policy-rules.md"]) {
    for (const rule of RULES) expect(read(page)).toContain(`<a id="${rule.id.toLowerCase()}"></a>`);
  }
  expect(JSON.parse(read("package.json")).scripts["pr-review"]).toBe("node --import tsx bin/mimir-ports.ts pr-review");
});
