/**
 * Issue 30 (identity by proof), whole-app cases: refused by `app.synth()` and by `mimir-ports check` naming the
 * path; neighbours pass both.
 */
import { ACCEPTANCE_EXPOSURES, ACCEPTANCE_NEIGHBOURS } from "./cases/proof-acceptance";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { MimirStack } from "../../modules/stack/mimir-stack";
import { describeAppCases, synthApp } from "./app-harness";
import { baseEnvironment, runCheck } from "./harness";

describeAppCases("proof", [...ACCEPTANCE_EXPOSURES, ...ACCEPTANCE_NEIGHBOURS]);

describe("proof acceptance-output", () => {
  test("check gives the auth-none kind only to an output whose own auth.mode is none (a hand-written kind in a mutual-TLS output accepts nothing)", async () => {
    const { dir } = synthApp(ACCEPTANCE_EXPOSURES[0]);
    const file = join(dir, "stacks", "adv", "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    const value = json.output.mimir_port_contract.value;
    expect(value.auth.mode).toBe("mtls");
    value.acknowledgements = value.acknowledgements.map((a: Record<string, unknown>) => ({ ...a, kind: "auth-none" }));
    writeFileSync(file, JSON.stringify(json));
    const check = await runCheck([dir]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/MP018 \w+ .*does not record what it accepts/);
  });
});

describe("proof refusal-unskippable", () => {
  /** A consumer stack created before the Mimir stack (so cdktf synthesizes it first) that opens grpc to the internet. */
  function skippedApp(order: "consumer-first" | "mimir-first") {
    const outdir = mkdtempSync(join(tmpdir(), "adv-skip-"));
    const app = new App({ outdir, skipValidation: true });
    const early = order === "consumer-first" ? new TerraformStack(app, "consumer") : undefined;
    const mimir = new MimirStack(app, { environment: baseEnvironment("edge-np") });
    const consumer = early ?? new TerraformStack(app, "consumer");
    new AwsProvider(consumer, "aws", { region: "eu-west-1" });
    new VpcSecurityGroupIngressRule(consumer, "atk-rule", { securityGroupId: mimir.edge.securityGroups.members.id, ipProtocol: "tcp", fromPort: 9095, toPort: 9095, cidrIpv4: "0.0.0.0/0", description: "debug" });
    let error = "";
    try {
      app.synth();
    } catch (err) {
      error = (err as Error).message;
    }
    const written = (id: string) => existsSync(join(outdir, "stacks", id, "cdk.tf.json"));
    rmSync(outdir, { recursive: true, force: true });
    return { error, consumerWritten: written("consumer") };
  }

  test.each(["consumer-first", "mimir-first"] as const)("skipValidation: a sibling stack that references the Mimir stack is refused and not written (%s)", (order) => {
    const { error, consumerWritten } = skippedApp(order);
    expect(error).toMatch(/stack consumer references adv's resources: MP001 critical aws_vpc_security_group_ingress_rule\.atk-rule .*9095/);
    expect(error).not.toMatch(/skipValidation|skip validation/i);
    expect(consumerWritten).toBe(false);
  });
});
