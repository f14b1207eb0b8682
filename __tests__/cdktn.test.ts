/**
 * CDK Terrain (cdktn 0.24): the library's stacks inside a cdktn App write the same Terraform as inside a cdktf App
 * and refuse the same exposures (docs/library.md, "CDK Terrain"). The packed tarball in a fresh cdktn app is
 * scripts/cdktn-smoke.ts (CI); this is the same check in-process, on every `npm test`.
 */
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { App as CdktfApp } from "cdktf";
import { App as CdktnApp } from "cdktn";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { environments } from "../main";
import { defineEnvironments } from "../modules/config/environment";
import { MimirStack } from "../modules/stack/mimir-stack";

type AppClass = typeof CdktfApp | typeof CdktnApp;
const work = mkdtempSync(join(tmpdir(), "mimir-cdktn-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The reference environments (main.ts) in an App of `App`; `expose` adds a rule opening prod's http port to the internet. */
function synth(App: AppClass, outdir: string, expose = false): Record<string, Record<string, unknown>> {
  const app = new App({ outdir });
  for (const environment of defineEnvironments(environments)) {
    const stack = new MimirStack(app, environment.name, { environment });
    if (expose && environment.name === "prod") {
      const http = stack.environment.contract.http.port;
      new SecurityGroupRule(stack, "debug", { type: "ingress", securityGroupId: stack.edge.securityGroups.members.id, fromPort: http, toPort: http, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] });
    }
  }
  app.synth();
  const stacks: Record<string, Record<string, unknown>> = {};
  for (const name of readdirSync(join(outdir, "stacks")).sort()) stacks[name] = JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
  return stacks;
}

/** cdktf's metadata block names the version of the App's package (0.21.0 / 0.24.0): the one place the two differ. */
function withoutAppVersion(stack: Record<string, unknown>) {
  const meta = stack["//"] as { metadata: { version: string } };
  return { ...stack, "//": { ...meta, metadata: { ...meta.metadata, version: "(the App's package version)" } } };
}

test("a cdktn App writes the reference environments' Terraform as a cdktf App does, but for the App's version in the metadata", () => {
  const viaCdktf = synth(CdktfApp, join(work, "cdktf.out"));
  const viaCdktn = synth(CdktnApp, join(work, "cdktn.out"));
  expect(Object.keys(viaCdktn)).toEqual(["dev", "prod", "staging"]);
  for (const name of Object.keys(viaCdktf)) {
    expect((viaCdktf[name]["//"] as { metadata: { version: string } }).metadata.version).toBe("0.21.0");
    expect((viaCdktn[name]["//"] as { metadata: { version: string } }).metadata.version).toBe("0.24.0");
    expect(withoutAppVersion(viaCdktn[name])).toEqual(withoutAppVersion(viaCdktf[name]));
  }
});

test("a cdktn App refuses an exposure at synth with the policy's finding", () => {
  expect(() => synth(CdktnApp, join(work, "exposed.out"), true)).toThrow(
    /\[prod\] MP001 critical aws_security_group_rule\.debug \(prod\/debug\): http 8080 reachable from 0\.0\.0\.0\/0 \(anywhere\)/,
  );
});
