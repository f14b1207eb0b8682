#!/usr/bin/env node
/**
 * mimir-ports: the project's command line.
 *
 *   mimir-ports init [dir]                                    a new infra repo (package.json, cdktf.json, main.ts, workflows)
 *   mimir-ports synth [--outdir dir] [--report]               synthesize the app cdktf.json names, short refusal and summary
 *   mimir-ports values --env prod [--environments envs.json]   chart values as YAML
 *   mimir-ports check <cdktf.out | plan.json> [--fail-on error] contract policy, exit 0/1/2
 *   mimir-ports review --head <dir|plan> [--base ...] [--format markdown|json|sarif] [--out file]
 *   mimir-ports pr-review --base origin/main --head . --out review-out   the PR workflow, locally
 *   mimir-ports verify --contract cdktf.out/stacks/prod --kube live.json --aws live/aws   the live environment, exit 0/1/2
 */
import "../modules/platform/fast-start"; // first: see the file
import { commands } from "../modules/cli/commands";
import { runCli, UserError } from "../modules/cli/run";
import { packageVersion } from "../modules/cli/version";

const USAGE = `usage: mimir-ports <command> [options]

  init [dir]                                         scaffold an infra repo: package.json, cdktf.json, main.ts, PR workflows
  synth [--outdir dir] [--report]                    run the app cdktf.json names: validate, write cdktf.out, print the summary
  values --env <name> [--environments file]          mimir-distributed values as YAML
  check <cdktf.out | stack dir | plan.json> [--contract file] [--fail-on critical|error|warning|note]
  review --head <input> [--base <input>] [--format markdown|json|sarif] [--out file]
         [--markdown file] [--json file] [--sarif file] [--fail-on severity] [--fail-on-risk critical|high|medium|none]
  pr-review [--head <dir|output>] [--base <dir|output|git-ref>] --out <dir> [--synth command] [--fail-on severity] [--fail-on-risk level]
         what the PR workflow does: synthesize base and head with their cdktf.json app (report mode),
         write comment.md, review.json, review.sarif
  verify --contract <stack dir|cdk.tf.json|contract.json> (--kube file... | --kube-context name) (--aws dir... | --region r)
         [--probe https://host[:port]] [--format text|json|sarif] [--fail-on severity] | --print-commands
         the live environment against the contract (docs/verify.md)

  --version                                          print the version

Exit codes: 0 clean, 1 findings at or above --fail-on or risks at or above --fail-on-risk (or bad configuration), 2 unreadable input, a head that did not synthesize, or bad usage.
`;

const [name, ...rest] = process.argv.slice(2);
void runCli(async () => {
  if (name === "--version" || name === "-V" || name === "version") {
    process.stdout.write(`mimir-ports ${packageVersion()}\n`);
    return 0;
  }
  if (name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(USAGE);
    return 0;
  }
  const command = name ? commands[name] : undefined;
  if (!command) {
    throw new UserError(`${name ? `unknown command "${name}"` : "no command given"}; use one of: ${Object.keys(commands).join(", ")} (e.g. mimir-ports values --env prod)`);
  }
  return command(rest);
}, "mimir-ports");
