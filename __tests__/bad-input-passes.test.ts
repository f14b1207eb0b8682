import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineEnvironments } from "../modules/config/environment";
import { loadBalancerName } from "../modules/config/checks/environment-checks";
import { edgeName } from "../modules/aws/mimir-aws-edge";
import { buildApp } from "../main";
import { env, ROOT, runTsx } from "./helpers";

/** Legitimate but unusual inputs the bad-input checks must not refuse; and an interrupted synth. */
const controller = { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "ingress-nginx-controller" };
const ACL_CN = "arn:aws-cn:wafv2:cn-north-1:111122223333:regional/webacl/mimir/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
const PASSES: Array<[string, Record<string, unknown>]> = [
  ["IPv4 and IPv6 clients", { loadBalancer: { scheme: "internet-facing", allowedCidrs: ["203.0.113.0/24", "2001:db8::/32", "2001:db8:abcd:12::/64", "::ffff:0:0/96"], target: controller } }],
  ["30 IPv4 CIDRs on an ALB (60 rules, the quota)", { loadBalancer: { allowedCidrs: Array.from({ length: 30 }, (_, i) => `10.${i}.0.0/16`), target: controller } }],
  ["60 IPv6 CIDRs on an NLB", { loadBalancer: { type: "network", allowedCidrs: Array.from({ length: 60 }, (_, i) => `2001:db8:${i.toString(16)}::/48`), target: controller } }],
  ["500 load balancer subnets (no security group quota there)", { loadBalancer: { allowedCidrs: ["10.0.0.0/8"], target: { kind: "mimir" } }, networkPolicy: { loadBalancerCidrs: Array.from({ length: 500 }, (_, i) => `10.${i >> 4}.${(i & 15) * 16}.0/20`) } }],
  ["53 monitoring groups (60 rules with the contract's)", { monitoring: { namespace: "monitoring", securityGroupIds: Array.from({ length: 53 }, (_, i) => `sg-${i.toString(16).padStart(8, "0")}`) } }],
  ["dotted bucket, Secret and IngressClass names", { state: { bucket: "state.acme.example.com" }, loadBalancer: { accessLogsBucket: "acme.prod.lb-logs", allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: controller }, ingress: { className: "nginx.internal", hosts: ["mimir.example.com"], tlsSecretName: "mimir.example.com-tls" } }],
  ["a wildcard host after a concrete one, and a punycode host", { ingress: { className: "nginx", hosts: ["mimir.example.com", "*.mimir.example.com", "xn--mmir-5qa.example.com"], tlsSecretName: "mimir-tls" } }],
  ["tags with spaces and symbols, 48 of them", { tags: { "Cost Center": "Plattform Team", "owner@acme": "a:b/c=d+e", ...Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`t${i}`, ""])) } }],
  ["a 30-character environment name", { name: "a23456789-123456789-1234567890" }],
  ["a one-letter environment name", { name: "a" }],
  ["GovCloud", { region: "us-gov-west-1" }],
  ["China, with a web ACL of the aws-cn partition", { region: "cn-north-1", wafAclArn: ACL_CN }],
  ["a FIPS post-quantum TLS policy", { loadBalancer: { sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09", allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: controller } }],
  ["an acknowledgement reason with spaces around it", { acknowledgements: [{ rule: "MP011", resource: "x", reason: "   migrating, ticket OPS-124   " }] }],
  ["a 63-character namespace", { namespace: "n".repeat(63) }],
];

test.each(PASSES)("passes: %s", (_label, overrides) => {
  expect(() => defineEnvironments([env({ ...overrides, name: (overrides.name as string) ?? "ok" })])).not.toThrow();
});

test("two environments with the same load balancer name in different regions", () => {
  expect(() => defineEnvironments([env({ name: "observability-platform-eu-one" }), env({ name: "observability-platform-eu-two", region: "eu-central-1" })])).not.toThrow();
});

test("the load balancer name the checks use is the one the AWS edge builds", () => {
  for (const [release, name] of [["mimir", "prod"], ["metrics", "observability-platform-eu-one"], ["m".repeat(20), "a"]]) {
    const [e] = defineEnvironments([env({ name, release })]);
    expect(loadBalancerName(e.fullname, e.name)).toBe(edgeName(e));
  }
});

test("every unusual input synthesizes through npm run synth", () => {
  const work = mkdtempSync(join(tmpdir(), "mimir-passes-"));
  const file = join(work, "envs.json");
  writeFileSync(file, JSON.stringify(PASSES.map(([, o], i) => env({ ...o, name: (o.name as string) ?? `pass-${i}` }))));
  const r = runTsx(["bin/synth.ts", "--outdir", join(work, "out"), "--environments", file]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(readdirSync(join(work, "out", "stacks"))).toHaveLength(PASSES.length);
});

describe("an interrupted synth", () => {
  const work = mkdtempSync(join(tmpdir(), "mimir-int-"));
  const outdir = join(work, "cdktf.out");
  beforeAll(() => buildApp(outdir).synth());
  const snapshot = () => readdirSync(join(outdir, "stacks")).map((s) => [s, readFileSync(join(outdir, "stacks", s, "cdk.tf.json"), "utf8")]);

  /** Start `npm run synth` with progress markers on stderr; resolves once `marker` is printed (after the handlers are in place). */
  function synthUntil(marker: string) {
    const child = spawn(process.execPath, ["--import", "tsx", "bin/synth.ts", "--outdir", outdir], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, MIMIR_PORTS_DEBUG: "1" } });
    const exited = new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    let stderr = "";
    const ready = new Promise<void>((resolve, reject) => {
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes(marker)) resolve();
      });
      child.on("exit", (c) => reject(new Error(`synth exited ${c} before printing "${marker}":\n${stderr}`)));
    });
    return { child, exited, ready };
  }

  // The signal is sent only after the marker: no timer, no race with a loaded machine.
  test.each(["SIGINT", "SIGTERM"] as const)("%s while synthesizing: exit 128+n, no temp folder, previous output kept", async (signal) => {
    const before = snapshot();
    const { child, exited, ready } = synthUntil("synth: writing .cdktf.out.tmp-");
    await ready;
    expect(readdirSync(work).filter((f) => f.includes(".tmp-"))).toHaveLength(1);
    child.kill(signal);
    expect(await exited).toBe(signal === "SIGINT" ? 130 : 143);
    expect(readdirSync(work).filter((f) => f.includes(".tmp-"))).toEqual([]);
    expect(snapshot()).toEqual(before);
  });

  test("SIGTERM before the synth starts (modules still loading): exit 143, nothing written", async () => {
    const before = snapshot();
    const { child, exited, ready } = synthUntil("interrupts: handlers installed");
    await ready;
    child.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(readdirSync(work).filter((f) => f.includes(".tmp-"))).toEqual([]);
    expect(snapshot()).toEqual(before);
  });

  test("the temp folder of a killed run (SIGKILL) is removed by the next run", () => {
    mkdirSync(join(work, ".cdktf.out.tmp-999999-abc123"));
    const r = runTsx(["bin/synth.ts", "--outdir", outdir]);
    expect(r.code).toBe(0);
    expect(readdirSync(work).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });
});
