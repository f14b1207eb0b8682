/**
 * `npm run smoke:pack`: build, `npm pack`, install the tarball into a fresh
 * temporary cdktf app, synthesize the README's library example exactly as
 * written, and check the output; every other TypeScript block of README.md
 * and docs/ (examples as written, environment fragments over a base, see
 * scripts/doc-blocks.ts) is compiled and synthesized too. Run by CI after `npm test`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { docBlocks, fragmentsProgram } from "./doc-blocks";
import { packTarball, sh, userNpmEnv } from "./smoke-kit";

const ROOT = join(__dirname, "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

function fail(message: string): never {
  process.stderr.write(`pack smoke: ${message}\n`);
  process.exit(1);
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
  const app = join(work, "app");
  execFileSync("mkdir", ["-p", app]);
  const dev = pkg.devDependencies as Record<string, string>;
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({
      name: "smoke-app",
      private: true,
      dependencies: {
        "mimir-port-contract": `file:${join(work, tarball)}`,
        cdktf: dev.cdktf,
        constructs: dev.constructs,
        "@cdktf/provider-aws": dev["@cdktf/provider-aws"],
        "@cdktf/provider-kubernetes": dev["@cdktf/provider-kubernetes"],
        "@cdktf/provider-helm": dev["@cdktf/provider-helm"],
      },
    }),
  );
  writeFileSync(join(app, "main.ts"), example);
  writeFileSync(join(app, "cdktf.json"), JSON.stringify({ language: "typescript", app: "npx tsx main.ts" }));
  writeFileSync(join(app, "constructs.ts"), constructsExample);
  for (const b of others) writeFileSync(join(app, `example-${b.name}.ts`), b.code);
  writeFileSync(join(app, "fragments.ts"), fragmentsProgram(blocks));
  const compiled = blocks.filter((b) => b.kind === "compile");
  for (const b of compiled) writeFileSync(join(app, `compile-${b.name}.ts`), b.code);
  sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], app, userNpmEnv());
  // Both README examples compile as written against the installed package (declarations from the tarball).
  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { target: "ES2022", module: "nodenext", moduleResolution: "nodenext", strict: true, noEmit: true, skipLibCheck: true, types: ["node"], typeRoots: [join(ROOT, "node_modules/@types")] }, files: ["main.ts", "constructs.ts", "fragments.ts", ...others.map((b) => `example-${b.name}.ts`), ...compiled.map((b) => `compile-${b.name}.ts`)] }),
  );
  try {
    sh(join(ROOT, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], app);
  } catch (err) {
    fail(`the README/docs examples do not compile:\n${(err as { stdout?: string }).stdout ?? err}`);
  }
  const constructsOut = join(app, "constructs.out");
  execFileSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), "constructs.ts"], { cwd: app, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: constructsOut } });
  const edge = JSON.parse(readFileSync(join(constructsOut, "stacks/edge/cdk.tf.json"), "utf8"));
  if (!edge.resource?.aws_lb || !edge.resource?.aws_security_group) fail("the constructs example did not synthesize a load balancer and security groups");
  const tsxCli = join(ROOT, "node_modules/tsx/dist/cli.mjs");
  for (const b of others) execFileSync(process.execPath, [tsxCli, `example-${b.name}.ts`], { cwd: app, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: join(app, `example-${b.name}.out`) } });
  const fragmentsOut = join(app, "fragments.out");
  execFileSync(process.execPath, [tsxCli, "fragments.ts"], { cwd: app, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: fragmentsOut } });
  const fragmentStacks = readdirSync(join(fragmentsOut, "stacks"));
  const fragmentCount = blocks.filter((b) => b.kind === "fragment").length;
  if (fragmentStacks.length !== fragmentCount) fail(`expected ${fragmentCount} fragment stacks, got ${fragmentStacks.length}`);
  const pkgFiles = sh("tar", ["-tzf", join(work, tarball)], work);
  if (!pkgFiles.split("\n").includes("package/LICENSE")) fail("LICENSE is not in the tarball");
  const version = execFileSync(join(app, "node_modules/.bin/mimir-ports"), ["--version"], { cwd: app, encoding: "utf8" });
  if (version.trim() !== `mimir-ports ${pkg.version}`) fail(`mimir-ports --version printed ${version}`);
  // Run it as a cdktf app does: tsx main.ts, outdir from CDKTF_OUTDIR.
  const stdout = execFileSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), "main.ts"], { cwd: app, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: join(app, "cdktf.out") } });
  const stacks = readdirSync(join(app, "cdktf.out", "stacks"));
  if (stacks.join() !== "prod") fail(`expected one stack "prod", got ${stacks.join(", ")}`);
  const json = JSON.parse(readFileSync(join(app, "cdktf.out/stacks/prod/cdk.tf.json"), "utf8"));
  const listeners = Object.values(json.resource.aws_lb_listener as Record<string, { port: number }>).map((l) => l.port).sort();
  const contract = json.output.mimir_port_contract.value;
  if (listeners.join() !== "443,80") fail(`listeners ${listeners.join()}`);
  if (contract.ports.grpc !== 9096) fail(`grpc override not applied: ${JSON.stringify(contract.ports)}`);
  if (!stdout.includes("grpc listens on 9096")) fail(`unexpected output: ${stdout}`);
  if (!/mimir-port-contract-[\d.]+\.tgz/.test(tarball)) fail(`unexpected tarball name ${tarball}`);
  // The installed bin, run with plain node as a consumer's CI would: the policy over the app's output.
  const check = execFileSync(join(app, "node_modules/.bin/mimir-ports"), ["check", "cdktf.out"], { cwd: app, encoding: "utf8" });
  // Warnings (e.g. the nodes' group on http for kubelet probes) are printed, never an error.
  if (!/prod: \d+ finding\(s\), 0 at or above error/.test(check)) fail(`mimir-ports check: ${check}`);
  process.stdout.write(`pack smoke: ${tarball} installed into a fresh app; ${examples.length} examples and ${blocks.length - examples.length} environment fragments and modules from README/docs compiled (examples and fragments synthesized); library example synthesized prod (listeners ${listeners.join(", ")}, grpc ${contract.ports.grpc}); its mimir-ports check passed\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
