/**
 * `mimir-ports pr-review`: what the GitHub workflow does, on a laptop.
 * Synthesizes (or takes) the base and the head, reviews the change and writes
 * comment.md, review.json and review.sarif into --out. The workflow is a thin
 * wrapper around this command.
 *
 *   mimir-ports pr-review --base origin/main --head . --out review-out
 *
 * --head (default: the current directory) / --base: a synthesized output (cdktf.out, a stack directory, a plan
 * JSON) is taken as is; a project directory (package.json) is synthesized in
 * report mode with the app its own cdktf.json names (or --synth <command>,
 * which must write to $CDKTF_OUTDIR), so a head the policy refuses is still
 * reviewed; --base may also be a git ref of the head's
 * repository, extracted with `git archive` and synthesized with the head's
 * node_modules. A base that fails to synthesize is reported in the comment.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { ExposureModel } from "../exposure/model";
import { renderJson } from "../review/json";
import { renderMarkdown } from "../review/markdown";
import { buildReview, EXIT_CODES, type ReviewContext } from "../review/report";
import { renderSarif } from "../review/sarif";
import { parseSeverity } from "./check-command";
import { load } from "./inputs";
import { checkOutputDir } from "./output-paths";
import { parseRiskThreshold } from "./review-command";
import { parseCliArgs, UserError } from "./run";
import { runProjectApp, type ProjectAppRun } from "./project-app";
import { docsUrl, headRefused } from "./synth-report";
import { packageVersion } from "./version";

const USAGE = "usage: mimir-ports pr-review [--head <dir|output|plan.json>] [--base <dir|output|plan.json|git-ref>] --out <dir> [--synth <command>] [--fail-on critical|error|warning|note] [--fail-on-risk critical|high|medium|none]";
export const OUTPUT_FILES = { markdown: "comment.md", json: "review.json", sarif: "review.sarif" } as const;

/** Path as shown in reports: relative to the working directory when inside it. */
const shown = (p: string) => {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : p;
};

function isSynthesized(path: string): boolean {
  if (statSync(path).isFile()) return true;
  return ["manifest.json", "stacks", "cdk.tf.json"].some((f) => existsSync(join(path, f)));
}

const refusedIn = headRefused;

/** A base that cannot be found (no such directory, file or git ref): a usage error, not a base that failed to synthesize. */
class MissingBase extends UserError {}

const tail = (text: string, lines = 8) => text.trim().split("\n").filter(Boolean).slice(-lines).join("\n");

interface Prepared {
  readonly models?: ExposureModel[];
  readonly refused?: boolean;
  readonly error?: string;
  /** The project directory the output came from (for SARIF source locations). */
  readonly project?: string;
}

/** Synthesize a project directory in report mode into `outdir`: with `command`, else the app its cdktf.json names. */
function synthesize(project: string, outdir: string, command: string | undefined, modulesFrom?: string): { refused: boolean; error?: string } {
  if (!existsSync(join(project, "node_modules")) && modulesFrom && existsSync(join(modulesFrom, "node_modules"))) {
    symlinkSync(resolve(modulesFrom, "node_modules"), join(project, "node_modules"), "dir");
  }
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(resolve(outdir, ".."), { recursive: true });
  let r: ProjectAppRun;
  try {
    r = runProjectApp(project, { outdir, report: true, capture: true, ...(command ? { command } : {}) });
  } catch (err) {
    if (err instanceof UserError) return { refused: false, error: err.message };
    throw err;
  }
  const written = existsSync(join(outdir, "manifest.json")) || existsSync(join(outdir, "stacks"));
  if (r.status === 0 && written) return { refused: false };
  if (written && refusedIn(outdir)) return { refused: true };
  const why = r.error ? r.error.message : tail(r.stderr) || tail(r.stdout) || `exit ${r.status}`;
  return { refused: false, error: `\`${r.command}\` exited ${r.status ?? "with a signal"}${written ? "" : " without writing an output"}:\n${why}` };
}

/** A git ref of the repository at `repoDir`, extracted into a fresh directory. */
function checkoutRef(ref: string, repoDir: string): { dir?: string; error?: string } {
  const sha = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: repoDir, encoding: "utf8" });
  if (sha.status !== 0) return { error: `${ref}: not a directory, file or git ref of ${shown(repoDir) || "."}` };
  const archive = spawnSync("git", ["archive", "--format=tar", sha.stdout.trim()], { cwd: repoDir, maxBuffer: 1024 * 1024 * 1024 });
  if (archive.status !== 0) return { error: `git archive ${ref} failed: ${tail(String(archive.stderr))}` };
  const dir = mkdtempSync(join(tmpdir(), "mimir-ports-base-"));
  const untar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout });
  if (untar.status !== 0) return { error: `extracting ${ref} failed: ${tail(String(untar.stderr))}` };
  return { dir };
}

function prepare(spec: string, role: "head" | "base", out: string, command: string | undefined, headProject?: string): Prepared {
  const outdir = join(out, "synth", role);
  let project: string | undefined;
  let cleanup: string | undefined;
  if (existsSync(spec)) {
    if (isSynthesized(spec)) {
      const models = load(spec);
      return { models, refused: refusedIn(spec) };
    }
    if (!existsSync(join(spec, "package.json"))) throw new UserError(`pr-review: --${role} ${spec}: neither a synthesized output (manifest.json, stacks/, cdk.tf.json, plan JSON) nor a project (package.json)`);
    project = resolve(spec);
  } else if (role === "base") {
    const r = checkoutRef(spec, headProject ?? process.cwd());
    // A base that cannot be found is a usage error, never a pass: nothing could be compared.
    if (r.error) throw new MissingBase(`pr-review: --base ${r.error}; fix: fetch it (actions/checkout with fetch-depth: 0, or git fetch origin <branch>) or pass the base's directory`);
    project = cleanup = r.dir!;
  } else {
    throw new UserError(`pr-review: --head ${spec}: no such file or directory`);
  }
  try {
    const s = synthesize(project, resolve(outdir), command, headProject);
    // No path of the runner's disk in the comment: the project as <head>/<base>, the working directory as ".".
    if (s.error) return { error: s.error.split(project).join(`<${role}>`).split(`${process.cwd()}/`).join(""), project };
    return { models: load(shown(resolve(outdir))), refused: s.refused, project };
  } finally {
    if (cleanup) rmSync(cleanup, { recursive: true, force: true });
  }
}

export async function prReviewCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs({ args, options: { head: { type: "string", default: "." }, base: { type: "string" }, out: { type: "string" }, synth: { type: "string" }, "fail-on": { type: "string", default: "error" }, "fail-on-risk": { type: "string" } }, allowPositionals: false }, USAGE);
  if (!values.out) throw new UserError(`pr-review: --out is required; ${USAGE}`);
  const threshold = parseSeverity(values["fail-on"]!);
  const failOnRisk = parseRiskThreshold(values["fail-on-risk"], "pr-review");
  const out = values.out;
  checkOutputDir("pr-review", "--out", out);
  mkdirSync(out, { recursive: true });

  const head = prepare(values.head, "head", out, values.synth);
  let base: Prepared | undefined;
  if (values.base) {
    try {
      base = prepare(values.base, "base", out, values.synth, head.project);
    } catch (err) {
      if (!(err instanceof UserError) || err instanceof MissingBase) throw err;
      base = { error: err.message };
    }
  }
  const context: ReviewContext = {
    ...(head.refused ? { headRefused: true } : {}),
    ...(head.error ? { headError: head.error } : {}),
    ...(base?.error ? { baseError: base.error } : {}),
    ...(values.base && !existsSync(values.base) ? { baseLabel: values.base } : {}),
    // The CI run (the GitHub workflow and the GitLab job set it), linked from a failed head or base.
    ...(process.env.MIMIR_PORTS_RUN_URL && (head.error || base?.error) ? { runUrl: process.env.MIMIR_PORTS_RUN_URL } : {}),
  };
  const review = buildReview(head.models ?? [], base?.models, threshold, context, { failOnRisk });
  writeFileSync(join(out, OUTPUT_FILES.markdown), renderMarkdown(review));
  writeFileSync(join(out, OUTPUT_FILES.json), renderJson(review));
  writeFileSync(join(out, OUTPUT_FILES.sarif), renderSarif(review, packageVersion(), head.project ? shown(head.project) || "." : ".", docsUrl()));
  const c = review.failing.length;
  const risks = failOnRisk === "none" ? "" : `, ${review.failingRisks.length} risk(s) at or above ${failOnRisk}`;
  process.stdout.write(`pr-review: ${review.status}: ${review.stacks.length} environment(s), ${c} finding(s) at or above ${threshold}${risks}${head.refused ? ", synth refused the head" : ""}${head.error ? ", the head did not synthesize" : ""}${base?.error ? ", the base did not synthesize" : ""}; wrote ${["markdown", "json", "sarif"].map((k) => join(out, OUTPUT_FILES[k as keyof typeof OUTPUT_FILES])).join(", ")}\n`);
  return EXIT_CODES[review.status];
}
