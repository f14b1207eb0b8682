import { Testing, TerraformStack } from "cdktf";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, defineEnvironments, MimirLoadBalancer, MimirStack, PortContract, Peer } from "../modules/index";
import { buildApp } from "../main";
import { env, runTsx } from "./helpers";

/**
 * The bad-input matrix: each row is one invalid configuration, pushed through
 * the public API, and all of them together through `npm run synth`. Every
 * problem must name the field, the value and the fix.
 */
const lbMimir = (extra: Record<string, unknown> = {}) => ({ allowedCidrs: ["10.0.0.0/16"], target: { kind: "mimir" }, ...extra });
const lbController = (extra: Record<string, unknown> = {}) => ({ allowedCidrs: ["10.0.0.0/16"], target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "c" }, ...extra });

type Row = [label: string, overrides: Record<string, unknown>, field: string, value: unknown, rule: RegExp];
const ROWS: Row[] = [
  ["port 0", { ports: { http: 0 } }, "ports.http", 0, /integer from 1 to 65535/],
  ["port 65536", { ports: { http: 65536 } }, "ports.http", 65536, /integer from 1 to 65535/],
  ["fractional port", { ports: { grpc: 8080.5 } }, "ports.grpc", 8080.5, /integer from 1 to 65535/],
  ["port as a string", { ports: { memberlist: "7946" } }, "ports.memberlist", "7946", /integer from 1 to 65535/],
  ["duplicate ports", { ports: { grpc: 7000, memberlist: 7000 } }, "ports.memberlist", 7000, /already used by grpc/],
  ["internal port on 443", { ports: { http: 443 } }, "ports.http", 443, /public https listener port 443/],
  ["internal port on 80", { ports: { grpc: 80 } }, "ports.grpc", 80, /public httpRedirect listener port 80/],
  ["unknown port name", { ports: { gossip: 7000 } }, "ports.gossip", 7000, /not a Mimir port/],
  ["CIDR prefix /33", { loadBalancer: lbController({ allowedCidrs: ["10.0.0.0/33"] }) }, "loadBalancer.allowedCidrs[0]", "10.0.0.0/33", /prefix length above 32/],
  ["CIDR octet 300", { loadBalancer: lbController({ allowedCidrs: ["300.1.1.1/8"] }) }, "loadBalancer.allowedCidrs[0]", "300.1.1.1/8", /octet above 255/],
  ["empty CIDR", { loadBalancer: lbController({ allowedCidrs: [""] }) }, "loadBalancer.allowedCidrs[0]", "", /non-empty CIDR/],
  ["no client source", { loadBalancer: lbController({ allowedCidrs: [] }) }, "loadBalancer.allowedCidrs", [], /nobody could reach/],
  ["internal LB open to everyone", { loadBalancer: lbController({ allowedCidrs: ["0.0.0.0/0"] }) }, "loadBalancer.allowedCidrs[0]", "0.0.0.0/0", /internal load balancer to every address/],
  ["environment name upper case", { name: "Prod_EU" }, "name", "Prod_EU", /lower-case letter/],
  ["environment name with a slash", { name: "prod/eu" }, "name", "prod/eu", /lower-case letter/],
  ["environment name empty", { name: "" }, "name", "", /lower-case letter/],
  ["unknown component", { components: ["distributor", "ingester", "querier", "query-frontend", "store-gateway", "compactor", "gatewayy"] }, "components[6]", "gatewayy", /not a Mimir component/],
  ["component listed twice", { components: ["distributor", "ingester", "querier", "query-frontend", "store-gateway", "compactor", "ingester"] }, "components[6]", "ingester", /listed twice/],
  ["core component missing under helm", { components: ["distributor", "querier", "query-frontend", "store-gateway", "compactor"] }, "components", ["distributor", "querier", "query-frontend", "store-gateway", "compactor"], /leaves out ingester/],
  ["components in monolithic mode", { deploymentMode: "monolithic", serviceOwnership: "external", components: ["ingester"], loadBalancer: lbMimir(), networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } }, "components", ["ingester"], /monolithic/],
  ["monolithic owned by the chart", { deploymentMode: "monolithic", serviceOwnership: "helm", loadBalancer: lbMimir(), networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } }, "serviceOwnership", "helm", /only deploys microservices/],
  ["external ownership installing the chart", { serviceOwnership: "external", helm: { install: true } }, "helm.install", true, /serviceOwnership external/],
  ["removed read-write mode", { deploymentMode: "read-write" }, "deploymentMode", "read-write", /monolithic or microservices/],
  ["Helm values moving the http port", { helm: { values: { mimir: { structuredConfig: { server: { http_listen_port: 8081 } } } } } }, "helm.values.mimir.structuredConfig.server.http_listen_port", 8081, /moves Mimir's http port/],
  ["Helm values with a LoadBalancer Service", { helm: { values: { gateway: { service: { type: "LoadBalancer" } } } } }, "helm.values.gateway.service.type", "LoadBalancer", /expose Mimir outside the cluster/],
  ["Helm values not an object", { helm: { values: "replicas: 3" } }, "helm.values", "replicas: 3", /must be an object/],
  ["Ingress without TLS", { ingress: { className: "nginx", hosts: ["m.example.com"] } }, "ingress.tlsSecretName", undefined, /must serve TLS/],
  ["Ingress with an empty host", { ingress: { className: "nginx", hosts: [""], tlsSecretName: "t" } }, "ingress.hosts[0]", "", /DNS host name/],
  ["IngressClass of the wrong shape", { ingress: { className: "Nginx Class", hosts: ["m.example.com"], tlsSecretName: "t" } }, "ingress.className", "Nginx Class", /IngressClass/],
  ["empty monitoring selector", { monitoring: { namespace: "monitoring", podLabels: {} } }, "monitoring.podLabels", {}, /is empty/],
  ["monitoring from the internet", { monitoring: { namespace: "monitoring", cidrs: ["0.0.0.0/0"] } }, "monitoring.cidrs", ["0.0.0.0/0"], /whole internet/],
  ["LB targeting Mimir on a non-contract port", { loadBalancer: lbMimir({ target: { kind: "mimir", port: 9000 } }), networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } }, "loadBalancer.target.port", 9000, /not the contract's http port/],
  ["LB targeting pods without admitting it", { loadBalancer: lbMimir() }, "networkPolicy.loadBalancerCidrs", [], /would drop its traffic/],
  ["controller target without an Ingress", { ingress: undefined, loadBalancer: lbController() }, "ingress", undefined, /controller needs our Ingress/],
  ["WAF on a network load balancer", { loadBalancer: lbController({ type: "network", redirectHttp: false }), wafAclArn: "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/m/1" }, "wafAclArn", "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/m/1", /application load balancer/],
  ["misspelt setting", { loadBalancr: {} }, "loadBalancr", {}, /not a known setting/],
  ["TLS policy that allows TLS 1.0", { loadBalancer: lbController({ sslPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06" }) }, "loadBalancer.sslPolicy", "ELBSecurityPolicy-TLS13-1-0-2021-06", /allows TLS below 1\.2/],
  ["region of the wrong shape", { region: "europe" }, "region", "europe", /not an AWS region/],
  ["bucket name S3 rejects", { state: { bucket: "My_Bucket" } }, "state.bucket", "My_Bucket", /S3 bucket name/],
  ["acknowledging an unknown rule", { acknowledgements: [{ rule: "MP999", resource: "x", reason: "because reasons" }] }, "acknowledgements[0].rule", "MP999", /not a policy rule ID/],
  ["acknowledgement without a real reason", { acknowledgements: [{ rule: "MP001", resource: "x", reason: "ok" }] }, "acknowledgements[0].reason", "ok", /too short/],
];

const nameOf = (row: Row, i: number) => ("name" in row[1] ? (row[1].name as string) : `case-${String(i).padStart(2, "0")}`);
const inputOf = (row: Row, i: number) => env({ ...row[1], name: nameOf(row, i) });
const valueText = (v: unknown) => (v === undefined ? "(missing)" : JSON.stringify(v));

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
    expect(() => new MimirStack(Testing.app(), { environment: env(), inputs: { vpcId: "vpc-1", subnetIds: ["a", "b"], certificateArn: "", kubeconfigPath: "", kubeContext: "", clusterSecurityGroupId: "sg-1" } })).toThrow(/\[test\] certificateArn = "": is required/);
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

  test("every row at once: one line per problem, exit 1, no stack trace, cdktf.out untouched", () => {
    const before = snapshot();
    const file = join(work, "bad.json");
    writeFileSync(file, JSON.stringify(ROWS.map(inputOf)));
    const r = runTsx(["bin/synth.ts", "--outdir", outdir, "--environments", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(r.stderr).toMatch(/^synth: \d+ problem\(s\) in the configuration, nothing was written:\n/);
    ROWS.forEach((row, i) => {
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
