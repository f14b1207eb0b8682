/**
 * `npm run smoke:pack`: build and `npm pack`; then, in an empty temporary
 * directory, the path a new user takes: the tarball's `mimir-ports init`,
 * one `npm install` (the tarball and the pinned packages init wrote),
 * `npx mimir-ports synth` (cdktf.out written), a deliberate exposure refused in
 * one short block, and `npx mimir-ports pr-review --base HEAD` in that git
 * repository. In the same app: the README's library example synthesized
 * exactly as written, and every other TypeScript block of README.md and docs/
 * (examples as written, environment fragments over a base, see
 * scripts/doc-blocks.ts) compiled and synthesized. Run by CI after `npm test`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { docBlocks, fragmentsProgram } from "./doc-blocks";
import { packTarball, sh, userNpmEnv } from "./smoke-kit";
import { PortContract } from "../modules/contract/port-contract";

const ROOT = join(__dirname, "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
/** A command whose failure is part of the check: exit code, stdout, stderr. */
const run = (cmd: string, args: string[], cwd: string) => {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
};
const noTrace = (what: string, text: string) => {
  if (/\n\s+at /.test(text) || /skipValidation|skip validation/i.test(text)) fail(`${what} printed a stack trace or the hint to skip validation:\n${text}`);
};
/** A failed check: thrown, so the temporary directory is still removed. */
class SmokeFailure extends Error {}
function fail(message: string): never {
  throw new SmokeFailure(message);
}

// The examples, exactly as README.md and docs/ show them.
const blocks = docBlocks(ROOT);
const untagged = blocks.filter((b) => b.kind === "untagged");
if (untagged.length > 0) fail(`untagged TypeScript blocks (mark them <!-- example: NAME --> or <!-- fragment: environment -->): ${untagged.map((b) => `${b.file}:${b.line}`).join(", ")}`);
const examples = blocks.filter((b) => b.kind === "example");
const exampleNamed = (name: string) => examples.find((b) => b.name === name)?.code ?? fail(`README has no <!-- example: ${name} --> block`);
const example = exampleNamed("library");
const constructsExample = exampleNamed("constructs");
const others = examples.filter((b) => b.name !== "library" && b.name !== "constructs");

const work = mkdtempSync(join(tmpdir(), "mimir-pack-"));
try {
  const tarball = packTarball(work);
  if (!/mimir-port-contract-[\d.]+\.tgz/.test(tarball)) fail(`unexpected tarball name ${tarball}`);
  const pkgFiles = sh("tar", ["-tzf", join(work, tarball)], work).split("\n");
  for (const f of ["package/LICENSE", "package/modules/cli/init/templates/main.ts.tmpl", "package/.github/workflows/mimir-ports-review.yml", "package/docs/getting-started.md"]) {
    if (!pkgFiles.includes(f)) fail(`${f} is not in the tarball`);
  }

  // 1. init from the tarball, before anything is installed (its imports resolve through this repository's
  //    node_modules, as `npx -p mimir-port-contract` resolves them through its cache).
  sh("tar", ["-xzf", join(work, tarball), "-C", work], work);
  const app = join(work, "app");
  const init = sh(process.execPath, [join(work, "package/dist/bin/mimir-ports.js"), "init", "app"], work, { ...process.env, NODE_PATH: join(ROOT, "node_modules") });
  if (!init.includes("next: cd app && npm install && npx mimir-ports synth")) fail(`mimir-ports init printed: ${init}`);
  for (const f of ["package.json", "cdktf.json", "main.ts", ".gitignore", "README.md", ".github/workflows/mimir-ports-review.yml", ".github/workflows/mimir-ports-comment.yml"]) {
    if (!existsSync(join(app, f))) fail(`mimir-ports init did not write ${f}`);
  }
  const template = readFileSync(join(app, "main.ts"), "utf8");

  // The README/docs examples go into the same app (one install for everything).
  writeFileSync(join(app, "library.ts"), example);
  writeFileSync(join(app, "constructs.ts"), constructsExample);
  for (const b of others) writeFileSync(join(app, `example-${b.name}.ts`), b.code);
  writeFileSync(join(app, "fragments.ts"), fragmentsProgram(blocks));
  const compiled = blocks.filter((b) => b.kind === "compile");
  for (const b of compiled) writeFileSync(join(app, `compile-${b.name}.ts`), b.code);

  // 2. One npm install: the tarball, and the peers and dev tools init pinned (no --legacy-peer-deps needed).
  sh("npm", ["install", join(work, tarball), "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], app, userNpmEnv());
  // init's tsconfig.json (every .ts of the app): the template and every example compile as written against
  // the installed package's declarations, with the TypeScript init pinned.
  const typecheck = run("npm", ["run", "-s", "typecheck"], app);
  if (typecheck.code !== 0) fail(`the init app and the README/docs examples do not compile:\n${typecheck.stdout}${typecheck.stderr}`);

  const tsxCli = join(app, "node_modules/tsx/dist/cli.mjs");
  const constructsOut = join(app, "constructs.out");
  execFileSync(process.execPath, [tsxCli, "constructs.ts"], { cwd: app, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: constructsOut } });
  const edge = JSON.parse(readFileSync(join(constructsOut, "stacks/edge/cdk.tf.json"), "utf8"));
  if (!edge.resource?.aws_lb || !edge.resource?.aws_security_group) fail("the constructs example did not synthesize a load balancer and security groups");
  for (const b of others) execFileSync(process.execPath, [tsxCli, `example-${b.name}.ts`], { cwd: app, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: join(app, `example-${b.name}.out`) } });
  const fragmentsOut = join(app, "fragments.out");
  execFileSync(process.execPath, [tsxCli, "fragments.ts"], { cwd: app, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: fragmentsOut } });
  const fragmentStacks = readdirSync(join(fragmentsOut, "stacks"));
  const fragmentCount = blocks.filter((b) => b.kind === "fragment").length;
  if (fragmentStacks.length !== fragmentCount) fail(`expected ${fragmentCount} fragment stacks, got ${fragmentStacks.length}`);
  const version = execFileSync(join(app, "node_modules/.bin/mimir-ports"), ["--version"], { cwd: app, encoding: "utf8" });
  if (version.trim() !== `mimir-ports ${pkg.version}`) fail(`mimir-ports --version printed ${version}`);
  // The library example as a cdktf app runs it: tsx, outdir from CDKTF_OUTDIR.
  const libraryOut = join(app, "library.out");
  const stdout = execFileSync(process.execPath, [tsxCli, "library.ts"], { cwd: app, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: libraryOut } });
  const stacks = readdirSync(join(libraryOut, "stacks"));
  if (stacks.join() !== "prod") fail(`expected one stack "prod", got ${stacks.join(", ")}`);
  const json = JSON.parse(readFileSync(join(libraryOut, "stacks/prod/cdk.tf.json"), "utf8"));
  const listeners = Object.values(json.resource.aws_lb_listener as Record<string, { port: number }>).map((l) => l.port).sort();
  const contract = json.output.mimir_port_contract.value;
  // The contract's default public ports (no number written here): the library example keeps them.
  const { https, httpRedirect } = PortContract.create().public;
  const publicPorts = [https, httpRedirect].sort().join();
  if (listeners.join() !== publicPorts) fail(`listeners ${listeners.join()}, expected the contract's ${publicPorts}`);
  if (contract.ports.grpc !== 9096) fail(`grpc override not applied: ${JSON.stringify(contract.ports)}`);
  if (!stdout.includes("grpc listens on 9096")) fail(`unexpected output: ${stdout}`);
  if (!stdout.includes("synthesized 1 stack(s)")) fail(`the library example did not synthesize through runAppSynth: ${stdout}`);

  // 3. The new repository's own synth: the app cdktf.json names, with the package's CLI.
  const synth = run("npx", ["mimir-ports", "synth"], app);
  if (synth.code !== 0 || synth.stderr !== "") fail(`npx mimir-ports synth exited ${synth.code}:\n${synth.stderr}`);
  if (synth.stdout.split("\n")[0] !== "synthesized 1 stack(s) into cdktf.out/stacks") fail(`npx mimir-ports synth printed: ${synth.stdout}`);
  if (readdirSync(join(app, "cdktf.out/stacks")).join() !== "prod") fail("npx mimir-ports synth did not write cdktf.out/stacks/prod");
  // The installed bin, as a consumer's CI runs it: the policy over the app's output. Warnings print, never an error.
  const check = run("npx", ["mimir-ports", "check", "cdktf.out"], app);
  if (check.code !== 0 || !/prod: \d+ finding\(s\), 0 at or above error/.test(check.stdout)) fail(`mimir-ports check: ${check.stdout}${check.stderr}`);

  // 4. The PR review in that repository: a commit, a harmless change, then a deliberate exposure.
  const git = (...args: string[]) => sh("git", ["-c", "user.name=smoke", "-c", "user.email=smoke@example.com", "-c", "init.defaultBranch=main", ...args], app);
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "init");
  writeFileSync(join(app, "main.ts"), template.replace('allowedCidrs: ["203.0.113.0/24"]', 'allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"]'));
  const calm = run("npx", ["mimir-ports", "pr-review", "--base", "HEAD", "--head", ".", "--out", "review-calm"], app);
  if (calm.code !== 0) fail(`pr-review of a harmless change exited ${calm.code}:\n${calm.stdout}${calm.stderr}`);
  const calmMd = readFileSync(join(app, "review-calm/comment.md"), "utf8");
  if (calmMd.includes("did not synthesize") || !calmMd.includes("198.51.100.0/24")) fail(`pr-review's comment of a harmless change:\n${calmMd}`);

  // Port 8080 to the world, the way a hurried change would write it: a raw SecurityGroupRule on the members group.
  const exposed = template
    .replace('import { App } from "cdktf";', 'import { App } from "cdktf";\nimport { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";')
    .replace(
      "  return app;\n}",
      [
        "  const stack = app.node.children[0] as MimirStack;",
        "  const http = stack.environment.contract.http.port;",
        '  new SecurityGroupRule(stack, "debug-http", { type: "ingress", securityGroupId: stack.edge.securityGroups.members.id, protocol: "tcp", fromPort: http, toPort: http, cidrBlocks: ["0.0.0.0/0"] });',
        "  return app;\n}",
      ].join("\n"),
    );
  if (exposed === template) fail("could not add the exposure to main.ts");
  writeFileSync(join(app, "main.ts"), exposed);
  const before = readFileSync(join(app, "cdktf.out/stacks/prod/cdk.tf.json"), "utf8");
  const refused = run("npx", ["mimir-ports", "synth"], app);
  const block = refused.stderr.trim().split("\n");
  if (refused.code !== 1) fail(`npx mimir-ports synth of an exposure exited ${refused.code}:\n${refused.stdout}${refused.stderr}`);
  noTrace("npx mimir-ports synth", refused.stderr);
  if (block[0] !== "synth: the contract policy refused 1 finding(s); nothing was written:" || !/^ {2}\[prod\] MP001 critical aws_security_group_rule\.debug-http .*0\.0\.0\.0\/0/.test(block[1] ?? "") || block.length !== 3) {
    fail(`npx mimir-ports synth of an exposure printed:\n${refused.stderr}`);
  }
  if (readFileSync(join(app, "cdktf.out/stacks/prod/cdk.tf.json"), "utf8") !== before) fail("a refused synth changed cdktf.out");
  const review = run("npx", ["mimir-ports", "pr-review", "--base", "HEAD", "--head", ".", "--out", "review-exposed"], app);
  if (review.code !== 1) fail(`pr-review of an exposure exited ${review.code}:\n${review.stdout}${review.stderr}`);
  const md = readFileSync(join(app, "review-exposed/comment.md"), "utf8");
  noTrace("pr-review's comment", md);
  if (!md.includes("MP001") || !md.includes("aws_security_group_rule.debug-http")) fail(`pr-review's comment does not show the finding:\n${md}`);
  const reviewJson = JSON.parse(readFileSync(join(app, "review-exposed/review.json"), "utf8"));
  if (!JSON.stringify(reviewJson).includes("MP001")) fail("review.json does not name MP001");

  process.stdout.write(
    `pack smoke: ${tarball}: init, one npm install, npx mimir-ports synth (1 stack), an exposure refused in one block, pr-review --base HEAD (harmless change exit 0, exposure exit 1 with MP001); ${examples.length} examples and ${blocks.length - examples.length} environment fragments and modules from README/docs compiled (examples and fragments synthesized); library example synthesized prod (listeners ${listeners.join(", ")}, grpc ${contract.ports.grpc})\n`,
  );
} catch (err) {
  if (!(err instanceof SmokeFailure)) throw err;
  process.stderr.write(`pack smoke: ${err.message}\n`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
