/**
 * `npm run smoke:cdktn`: the packed library in a fresh CDK Terrain (cdktn) app, installed from the registry with
 * `--strict-peer-deps` (no --force, no --legacy-peer-deps): the app lists cdktn, constructs, the library and the
 * three providers, not cdktf (the @cdktf providers' peer brings it; no @cdktn kubernetes or helm provider exists).
 * It synthesizes the reference environments (main.ts) once with cdktf's App and once with cdktn's, from the same
 * file, and requires:
 * - each stack's cdk.tf.json byte-equal but for one line, the App's package version in cdktf's "//" metadata;
 * - `mimir-ports review` of both outputs the same, `mimir-ports check` of the cdktn output passing;
 * - an exposure (a rule opening prod's http port to 0.0.0.0/0) refused by the cdktn app's synth: non-zero exit,
 *   the MP001 finding printed.
 * Run by CI on Node 24 after the pack smoke (docs/library.md, "CDK Terrain").
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { environments } from "../main";
import { DEV_VERSIONS, failer, installApp, packTarball, runApp, sh } from "./smoke-kit";

const fail = failer("cdktn smoke");

/** The app, as a user writes it: the reference environments from JSON, one MimirStack each, in an App of `lib`. */
const appSource = (lib: "cdktf" | "cdktn", expose: boolean) =>
  [
    `import { readFileSync } from "node:fs";`,
    `import { App } from "${lib}";`,
    `import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";`,
    `import { defineEnvironments, MimirStack } from "mimir-port-contract";`,
    ``,
    `const app = new App();`,
    `for (const environment of defineEnvironments(JSON.parse(readFileSync("environments.json", "utf8")))) {`,
    `  const stack = new MimirStack(app, environment.name, { environment });`,
    `  const http = stack.environment.contract.http.port;`,
    `  if (${expose} && environment.name === "prod") new SecurityGroupRule(stack, "debug", { type: "ingress", securityGroupId: stack.edge.securityGroups.members.id, fromPort: http, toPort: http, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] });`,
    `}`,
    `app.synth();`,
  ].join("\n");

const work = mkdtempSync(join(tmpdir(), "mimir-cdktn-"));
try {
  const tarball = packTarball(work);
  const app = join(work, "app");
  installApp(
    app,
    {
      "mimir-port-contract": `file:${join(work, tarball)}`,
      cdktn: DEV_VERSIONS.cdktn,
      constructs: DEV_VERSIONS.constructs,
      "@cdktf/provider-aws": DEV_VERSIONS["@cdktf/provider-aws"],
      "@cdktf/provider-kubernetes": DEV_VERSIONS["@cdktf/provider-kubernetes"],
      "@cdktf/provider-helm": DEV_VERSIONS["@cdktf/provider-helm"],
    },
    ["--strict-peer-deps"],
  );
  const version = (lib: string) => (JSON.parse(readFileSync(join(app, "node_modules", lib, "package.json"), "utf8")) as { version: string }).version;
  const versions = { cdktf: version("cdktf"), cdktn: version("cdktn") };
  writeFileSync(join(app, "environments.json"), JSON.stringify(environments));

  // The same file, the same line numbers (the review's source locations), only the App's package differs.
  const synth = (lib: "cdktf" | "cdktn") => {
    writeFileSync(join(app, "main.ts"), appSource(lib, false));
    const r = runApp(app, "main.ts", join(app, `${lib}.out`));
    if (r.status !== 0) fail(`the ${lib} app did not synthesize (exit ${r.status}):\n${r.stderr}`);
    return Object.fromEntries(readdirSync(join(app, `${lib}.out`, "stacks")).sort().map((s) => [s, readFileSync(join(app, `${lib}.out`, "stacks", s, "cdk.tf.json"), "utf8")]));
  };
  const viaCdktf = synth("cdktf");
  const viaCdktn = synth("cdktn");
  const names = Object.keys(viaCdktn);
  if (names.join() !== environments.map((e) => e.name).sort().join()) fail(`the cdktn app wrote stacks ${names.join(", ")}`);
  if (Object.keys(viaCdktf).join() !== names.join()) fail(`the cdktf app wrote stacks ${Object.keys(viaCdktf).join(", ")}, the cdktn app ${names.join(", ")}`);
  // cdktf's "//" metadata names the App's package version: the one line that differs.
  const versionLine = (v: string) => `"version": "${v}"`;
  for (const name of names) {
    const a = viaCdktf[name];
    const b = viaCdktn[name];
    if (!a.includes(versionLine(versions.cdktf)) || !b.includes(versionLine(versions.cdktn))) fail(`${name}: the metadata version is not the App's (${versions.cdktf} / ${versions.cdktn})`);
    const lines = (text: string) => text.split("\n");
    const differing = lines(a).filter((line, i) => line !== lines(b)[i]);
    if (lines(a).length !== lines(b).length || differing.length !== 1 || differing[0].trim() !== versionLine(versions.cdktf)) {
      fail(`${name}: cdk.tf.json differs between the cdktf and the cdktn app beyond the App's version: ${differing.slice(0, 5).join(" | ")}`);
    }
  }

  // The same review of both outputs (the review reads the JSON and the construct origins in it).
  const bin = join(app, "node_modules/.bin/mimir-ports");
  const review = (lib: string) => sh(bin, ["review", "--head", `${lib}.out`, "--format", "json"], app).replaceAll(`${lib}.out`, "OUT");
  if (review("cdktf") !== review("cdktn")) fail("mimir-ports review differs between the cdktf and the cdktn output");
  const check = sh(bin, ["check", "cdktn.out"], app);
  if (!/prod: \d+ finding\(s\), 0 at or above error/.test(check)) fail(`mimir-ports check of the cdktn output: ${check}`);

  // An exposure, refused by the cdktn app's synth.
  writeFileSync(join(app, "exposed.ts"), appSource("cdktn", true));
  const exposed = runApp(app, "exposed.ts", join(app, "exposed.out"));
  const finding = /\[prod\] MP001 critical aws_security_group_rule\.debug \(prod\/debug\): http \d+ reachable from 0\.0\.0\.0\/0 \(anywhere\)/;
  if (exposed.status === 0 || !finding.test(exposed.stderr)) fail(`the cdktn app did not refuse prod's http port opened to 0.0.0.0/0 (exit ${exposed.status}):\n${exposed.stderr}`);

  process.stdout.write(
    `cdktn smoke: ${tarball} installed with cdktn ${versions.cdktn} (--strict-peer-deps; cdktf ${versions.cdktf} came in as the providers' peer); ` +
      `${names.join(", ")} byte-equal to the cdktf app's but for the App's version in the metadata; same review; ` +
      `an http port opened to 0.0.0.0/0 refused (exit ${exposed.status}, MP001)\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
