import { Testing, TerraformStack } from "cdktf";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, defineEnvironments, MimirLoadBalancer, MimirStack, PortContract, Peer } from "../modules/index";
import { buildApp } from "../main";
import { formatValue } from "../modules/contract/problems";
import { env, runTsx } from "./helpers";
import { ROWS, type Row } from "./bad-input-rows";

/**
 * The bad-input matrix: each row is one invalid configuration, pushed through
 * the public API, and all of them together through `npm run synth`. Every
 * problem must name the field, the value and the fix.
 */
const nameOf = (row: Row, i: number) => ("name" in row[1] ? (row[1].name as string) : `case-${String(i).padStart(3, "0")}`);
const inputOf = (row: Row, i: number) => env({ ...row[1], name: nameOf(row, i) });
const valueText = formatValue;

test("the matrix has at least 30 distinct invalid configurations", () => {
  expect(new Set(ROWS.map((r) => r[0])).size).toBe(ROWS.length);
  expect(ROWS.length).toBeGreaterThanOrEqual(30);
});

describe("through the public API", () => {
  test.each(ROWS.map((r, i) => [r[0], r, i] as const))("%s", (_label, row, i) => {
    const [, , field, value, rule] = row;
    let err: unknown;
    try {
      defineEnvironments([inputOf(row, i)]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problem = (err as ConfigError).problems.find((p) => p.field === field);
    expect(problem).toBeDefined();
    expect(problem!.value).toEqual(value);
    expect(problem!.rule).toMatch(rule);
    expect(problem!.fix).toMatch(/[a-z]{3,}/);
  });

  test("duplicate environment names", () => {
    expect(() => defineEnvironments([env({ name: "dev" }), env({ name: "dev" })])).toThrow(/environments\[1\]\.name = "dev": is used by another environment/);
  });
  test("no environments", () => {
    expect(() => defineEnvironments([])).toThrow(/environments = \[\]: is empty\. Fix: define at least one environment/);
  });
  test("missing certificate (construct input)", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const props = { contract: PortContract.create(), name: "mimir-x", type: "application" as const, internal: true, vpcId: "vpc-1", subnetIds: [], securityGroupIds: [], certificateArn: "", deletionProtection: false, target: { kind: "mimir" as const } };
    expect(() => new MimirLoadBalancer(stack, "lb", props)).toThrow(/certificateArn = "": is required.*Fix: pass an ACM certificate ARN/);
    expect(() => new MimirStack(Testing.app(), { environment: env(), inputs: { vpcId: "vpc-1", subnetIds: ["a", "b"], certificateArn: "", kubeconfigPath: "", kubeContext: "ctx", clusterSecurityGroupId: "sg-0123456789abcdef0" } })).toThrow(/\[test\] certificateArn = "": is required/);
  });
  test("a malformed CIDR in a Peer", () => {
    expect(() => Peer.cidr("10.0.0/8", "clients[0]")).toThrow(/clients\[0\] = "10.0.0\/8": is not a CIDR/);
  });
});

describe("through npm run synth", () => {
  const work = mkdtempSync(join(tmpdir(), "mimir-bad-"));
  const outdir = join(work, "cdktf.out");
  beforeAll(() => buildApp(outdir).synth());
  const snapshot = () => readdirSync(join(outdir, "stacks")).map((s) => [s, readFileSync(join(outdir, "stacks", s, "cdk.tf.json"), "utf8")]);

  // Batches of 20 environments, so every problem is listed (a message lists the first 50).
  const batches = Array.from({ length: Math.ceil(ROWS.length / 20) }, (_, b) => b);
  test.each(batches)("rows %i*20.. at once: one line per problem, exit 1, no stack trace, cdktf.out untouched", (batch) => {
    const before = snapshot();
    const file = join(work, `bad-${batch}.json`);
    const indexes = ROWS.map((_, i) => i).slice(batch * 20, batch * 20 + 20);
    writeFileSync(file, JSON.stringify(indexes.map((i) => inputOf(ROWS[i], i))));
    const r = runTsx(["bin/synth.ts", "--outdir", outdir, "--environments", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(r.stderr).toMatch(/^synth: \d+ problem\(s\) in the configuration, nothing was written:\n/);
    indexes.forEach((i) => {
      const row = ROWS[i];
      const [, , field, value, rule] = row;
      const prefix = `[${nameOf(row, i)}] ${field} = ${valueText(value)}: `;
      const line = r.stderr.split("\n").find((l) => l.trim().startsWith(prefix));
      if (!line) throw new Error(`no line starting with ${prefix}\n${r.stderr}`);
      expect(line).toMatch(rule);
      expect(line).toMatch(/\. Fix: \w/);
    });
    expect(snapshot()).toEqual(before);
    expect(readdirSync(work).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  test("a file that is not a list of environments", () => {
    const file = join(work, "obj.json");
    writeFileSync(file, JSON.stringify({ name: "dev" }));
    const r = runTsx(["bin/synth.ts", "--outdir", outdir, "--environments", file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^synth: --environments .*obj\.json: expected an array of environments/);
    expect(existsSync(outdir)).toBe(true);
  });
});
