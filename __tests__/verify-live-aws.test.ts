/**
 * `verify --region`: the AWS side read live with the AWS SDK v3 EC2 and ELBv2 clients, against a
 * loopback double of the query APIs (helpers/aws-query-double.ts) answering from the prod fixtures.
 * The CLI runs as a child process with AWS_ENDPOINT_URL pointing at the double.
 */
import { execFile } from "node:child_process";
import type { Server } from "node:http";
import { join } from "node:path";
import { rmSync } from "node:fs";
import { readAwsDirs } from "../modules/live/aws-files";
import { listenerArnOfRule } from "../modules/live/aws-resources";
import type { AwsState } from "../modules/live/live-state";
import { ROOT, TEST_OUT } from "./helpers";
import { startQueryDouble, type Answer, type QueryCall } from "./helpers/aws-query-double";
import { synthInProcess } from "./helpers/synth-in-process";

const OUT = join(ROOT, TEST_OUT, "verify-live-aws");
const LIVE = join(ROOT, "__tests__/fixtures/live");
const PROD_KUBE = ["kube-core.json", "kube-gateway-api.json", "kube-envoy-gateway.json", "kube-aws.json"].map((f) => join(LIVE, "prod", f));
let STACK: string;
let server: Server;
let url: string;
let calls: QueryCall[];
let state: AwsState;
let denied = new Set<string>();

function answer(c: QueryCall): Answer | undefined {
  if (denied.has(c.action)) return { error: "UnauthorizedOperation", status: 403 };
  const p = c.params;
  switch (c.action) {
    case "DescribeSecurityGroups": return { body: { SecurityGroups: state.securityGroups } };
    case "DescribeSecurityGroupRules": return { body: { SecurityGroupRules: state.securityGroupRules } };
    case "DescribeNetworkInterfaces": return { body: { NetworkInterfaces: state.networkInterfaces } };
    case "DescribeLoadBalancers": return { body: { LoadBalancers: state.loadBalancers } };
    case "DescribeListeners": return { body: { Listeners: state.listeners!.filter((l) => l.LoadBalancerArn === p.get("LoadBalancerArn")) } };
    case "DescribeRules": return { body: { Rules: state.rules!.filter((r) => listenerArnOfRule(String(r.RuleArn)) === p.get("ListenerArn")) } };
    case "DescribeTargetGroups": return { body: { TargetGroups: state.targetGroups } };
    case "DescribeTargetHealth": {
      const tg = state.targetGroups!.find((t) => t.TargetGroupArn === p.get("TargetGroupArn"));
      return { body: { TargetHealthDescriptions: state.targetHealth![String(tg?.TargetGroupName)] ?? [] } };
    }
    case "DescribeTrustStores": return { body: { TrustStores: state.trustStores } };
  }
  return undefined;
}

beforeAll(async () => {
  STACK = join(OUT, "stacks", "prod");
  expect((await synthInProcess(["--outdir", OUT])).code).toBe(0);
  ({ server, url, calls } = await startQueryDouble(answer));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(OUT, { recursive: true, force: true });
});
beforeEach(() => {
  state = readAwsDirs([join(LIVE, "prod/aws")]).aws;
  denied = new Set();
  calls.length = 0;
});

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: "0", AWS_ENDPOINT_URL: url, AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", AWS_EC2_METADATA_DISABLED: "true" };
  delete env.AWS_PROFILE;
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "bin/mimir-ports.ts", "verify", ...args], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr }));
  });
}
const args = () => ["--contract", STACK, ...PROD_KUBE.flatMap((f) => ["--kube", f]), "--region", "eu-west-1", "--format", "json"];

test("read live, the reference prod verifies clean as the offline files do; every call a Describe", async () => {
  const r = await run(args());
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const json = JSON.parse(r.stdout);
  expect(json.live).toContain("region eu-west-1");
  expect(json.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(["MP019"]);
  expect(calls.every((c) => c.action.startsWith("Describe"))).toBe(true);
  expect(new Set(calls.map((c) => c.action))).toEqual(new Set(["DescribeSecurityGroups", "DescribeSecurityGroupRules", "DescribeNetworkInterfaces", "DescribeLoadBalancers", "DescribeListeners", "DescribeRules", "DescribeTargetGroups", "DescribeTargetHealth", "DescribeTrustStores"]));
});

test("read live, a console rule on the members group and an instance's ENI carrying it are one finding each, naming them", async () => {
  const extra = readAwsDirs([join(LIVE, "out-of-band/console-rule/aws"), join(LIVE, "out-of-band/instance-eni/aws")]).aws;
  state = { ...state, securityGroupRules: [...state.securityGroupRules!, ...extra.securityGroupRules!], networkInterfaces: [...state.networkInterfaces!, ...extra.networkInterfaces!] };
  const r = await run(args());
  expect(r.code).toBe(1);
  const live = JSON.parse(r.stdout).findings.filter((f: { live?: unknown }) => f.live);
  expect(live.map((f: { ruleId: string; live: { object: string } }) => [f.ruleId, f.live.object])).toEqual([
    ["MP001", "SecurityGroupRule sgr-0c0750e0a1b2c3d4e on sg-0b2b2b2b2b2b2b202: tcp 9095 from 0.0.0.0/0"],
    ["MP019", "NetworkInterface eni-0b4571a0c0ffee001 of EC2 instance i-0b4571a0c0ffee001"],
  ]);
});

test("a Describe the identity may not call is unknown, not safe: MP015 names it", async () => {
  denied.add("DescribeNetworkInterfaces");
  const r = await run(args());
  expect(r.code).toBe(1);
  const msgs = JSON.parse(r.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === "MP015").map((f: { message: string }) => f.message);
  expect(msgs).toEqual([expect.stringMatching(/^not read: region eu-west-1: ec2 describe-network-interfaces \(UnauthorizedOperation: .*\) is missing, so who carries which security group/)]);
});
