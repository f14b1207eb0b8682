/**
 * `mimir-ports verify` offline: the reference prod as deployed (fixtures in the APIs' own JSON,
 * __tests__/fixtures/live) verifies clean beside its neighbours; each out-of-band object added is
 * one finding naming it; drift and missing files are reported, never read as safe.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { verifyCommand } from "../modules/cli/verify-command";
import { readContractInput } from "../modules/live/contract-input";
import { readKubeFiles } from "../modules/live/kube-files";
import { readAwsDirs } from "../modules/live/aws-files";
import { verify } from "../modules/live/verify";
import { optionalPeer } from "../modules/live/optional-peer";
import { ROOT, TEST_OUT } from "./helpers";
import { synthInProcess } from "./helpers/synth-in-process";

const OUT = join(ROOT, TEST_OUT, "verify-live");
const LIVE = join(ROOT, "__tests__/fixtures/live");
const PROD_KUBE = ["kube-core.json", "kube-gateway-api.json", "kube-envoy-gateway.json", "kube-aws.json"].map((f) => join(LIVE, "prod", f));
const PROD_AWS = join(LIVE, "prod", "aws");
let STACK: string;

beforeAll(async () => {
  const synth = await synthInProcess(["--outdir", OUT]);
  expect(synth.code).toBe(0);
  STACK = join(OUT, "stacks", "prod");
});
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    const code = await verifyCommand(args);
    return { code, stdout: out.join(""), stderr: "" };
  } catch (err) {
    return { code: (err as { exitCode?: number }).exitCode ?? -1, stdout: out.join(""), stderr: (err as Error).message };
  } finally {
    process.stdout.write = write;
  }
}

const prodArgs = (extra: { kube?: string[]; aws?: string[] } = {}) => ["--contract", STACK, ...[...PROD_KUBE, ...(extra.kube ?? [])].flatMap((f) => ["--kube", f]), ...[PROD_AWS, ...(extra.aws ?? [])].flatMap((d) => ["--aws", d]), "--format", "json"];
type Json = { failing: number; findings: Array<{ ruleId: string; severity: string; address: string; message: string; live?: { status: string; object: string; notes: string[] } }> };

test("the reference prod as deployed, with its neighbours (another team's load balancer and policy, CoreDNS, Prometheus), verifies clean", async () => {
  const r = await run(prodArgs());
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const json = JSON.parse(r.stdout) as Json;
  expect(json.failing).toBe(0);
  // The stack's own warning (check's MP019 on the kubelet probe rule) and nothing live.
  expect(json.findings.map((f) => [f.ruleId, f.severity])).toEqual([["MP019", "warning"]]);
  expect(json.findings.some((f) => f.live)).toBe(false);
});

const OUT_OF_BAND: Array<[string, string, string, string]> = [
  ["debug-lb", "MP005", 'kubernetes_manifest.live["Service/mimir/debug-lb"]', "Service mimir/debug-lb"],
  ["console-rule", "MP001", 'aws_vpc_security_group_ingress_rule.live["sgr-0c0750e0a1b2c3d4e"]', "SecurityGroupRule sgr-0c0750e0a1b2c3d4e on sg-0b2b2b2b2b2b2b202: tcp 9095 from 0.0.0.0/0"],
  ["allow-all-ns", "MP007", 'kubernetes_manifest.live["NetworkPolicy/mimir/allow-all-ns"]', "NetworkPolicy mimir/allow-all-ns"],
  ["instance-eni", "MP019", 'aws_network_interface.live["eni-0b4571a0c0ffee001"]', "NetworkInterface eni-0b4571a0c0ffee001 of EC2 instance i-0b4571a0c0ffee001"],
  ["grafana-direct", "MP006", 'kubernetes_manifest.live["Ingress/mimir/grafana-direct"]', "Ingress mimir/grafana-direct"],
];

test.each(OUT_OF_BAND)("out-of-band %s: exit 1, one finding naming the object", async (name, rule, address, object) => {
  const dir = join(LIVE, "out-of-band", name);
  const extra = { kube: name === "console-rule" || name === "instance-eni" ? [] : [join(dir, "kube.json")], aws: ["allow-all-ns"].includes(name) ? [] : [join(dir, "aws")] };
  const r = await run(prodArgs(extra));
  expect(r.stderr).toBe("");
  expect(r.code).toBe(1);
  const json = JSON.parse(r.stdout) as Json;
  const live = json.findings.filter((f) => f.live);
  expect(live).toHaveLength(1);
  expect(json.failing).toBe(1);
  expect(live[0]).toMatchObject({ ruleId: rule, address, live: { status: "out-of-band", object } });
});

test("a load balancer the controller made for an out-of-band Service or Ingress is named on its finding, not a second one", async () => {
  const r = await run(prodArgs({ kube: [join(LIVE, "out-of-band/debug-lb/kube.json")], aws: [join(LIVE, "out-of-band/debug-lb/aws")] }));
  const f = (JSON.parse(r.stdout) as Json).findings.find((x) => x.live)!;
  expect(f.live!.notes).toEqual(["its load balancer k8s-mimir-debuglb-2c4e6a8b0d (network, internet-facing), made by the AWS Load Balancer Controller"]);
  // Its nodePort is the same object's: said on the one finding.
  expect(f.message).toMatch(/it also breaks MP005 \(error: Service mimir\/debug-lb \(LoadBalancer\) nodePort 30880 exposes http 8080/);
});

test("drift: a declared NetworkPolicy edited in the cluster to admit every namespace is reported on the stack's resource", () => {
  const input = readContractInput(STACK);
  const kube = readKubeFiles(PROD_KUBE);
  const edited = kube.objects.map((o) =>
    o.kind === "NetworkPolicy" && o.metadata.name === "mimir-allow-grpc-memberlist" ? { ...o, spec: { ...o.spec, ingress: [...o.spec.ingress, { from: [{ namespaceSelector: {} }], ports: [{ port: 9095, protocol: "TCP" }] }] } } : o,
  );
  const aws = readAwsDirs([PROD_AWS]);
  const { findings } = verify(input, { kube: edited, aws: aws.aws, missing: [], from: ["test"] });
  const drift = findings.filter((f) => f.live);
  expect(drift).toHaveLength(1);
  expect(drift[0]).toMatchObject({ ruleId: "MP007", address: "kubernetes_network_policy_v1.k8s_network-policies_allow-members_FAF8B98B", live: { status: "drift", object: "NetworkPolicy mimir/mimir-allow-grpc-memberlist" } });
  expect(drift[0].live!.notes[0]).toMatch(/its spec differs from kubernetes_network_policy_v1\./);
});

test("a missing AWS file is unknown, not safe: MP015 names the file and what it would have shown (exit 1)", async () => {
  const r = await run(["--contract", STACK, ...PROD_KUBE.flatMap((f) => ["--kube", f]), "--aws", join(LIVE, "out-of-band/console-rule/aws"), "--format", "json"]);
  expect(r.code).toBe(1);
  const missing = (JSON.parse(r.stdout) as Json).findings.filter((f) => f.ruleId === "MP015");
  expect(missing.map((f) => f.message)).toContainEqual(expect.stringMatching(/ec2-describe-network-interfaces\.json is missing, so who carries which security group .* are unknown to verify \(not assumed safe\)/));
  expect(missing.map((f) => f.message)).toContainEqual(expect.stringMatching(/elbv2-describe-load-balancers\.json is missing/));
});

test("a --kube file that does not exist is named with what it would have shown", async () => {
  const r = await run(["--contract", STACK, "--kube", join(OUT, "no-such.json"), "--aws", PROD_AWS]);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/MP015 error .*no-such\.json is missing, so Kubernetes objects \(Services, workloads, NetworkPolicies/);
});

test("text and SARIF formats carry the live object; exit codes as check", async () => {
  const args = prodArgs({ kube: [join(LIVE, "out-of-band/allow-all-ns/kube.json")] }).slice(0, -2);
  const text = await run(args);
  expect(text.code).toBe(1);
  expect(text.stdout).toMatch(/^ {2}out-of-band MP007 error kubernetes_manifest\.live\["NetworkPolicy\/mimir\/allow-all-ns"\]: .*\[out-of-band: NetworkPolicy mimir\/allow-all-ns\]$/m);
  const sarif = await run([...args, "--format", "sarif"]);
  const results = JSON.parse(sarif.stdout).runs[0].results as Array<{ ruleId: string; message: { text: string } }>;
  expect(results.find((x) => x.ruleId === "MP007")!.message.text).toMatch(/^\[prod\] out-of-band NetworkPolicy mimir\/allow-all-ns: /);
  const warnOnly = await run([...args, "--fail-on", "critical"]);
  expect(warnOnly.code).toBe(0);
});

test("--print-commands prints the kubectl and aws commands whose files verify reads", async () => {
  const r = await run(["--print-commands", "--kube-context", "acme-prod", "--region", "eu-west-1"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("kubectl --context acme-prod get namespaces,nodes,services,endpointslices.discovery.k8s.io,pods,");
  expect(r.stdout).toContain("kubectl --context acme-prod get securitygrouppolicies.vpcresources.k8s.aws,targetgroupbindings.elbv2.k8s.aws -A -o json > live/kube-aws.json");
  expect(r.stdout).toContain("aws --region eu-west-1 ec2 describe-security-group-rules --output json > live/aws/ec2-describe-security-group-rules.json");
  expect(r.stdout).toContain("elbv2 describe-target-health --target-group-arn");
  // `sh` runs the printed script: every command only reads; the verify step after it is a comment (with npx, for a user's repo).
  const commands = r.stdout.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
  for (const l of commands) expect(l).toMatch(/^(mkdir -p live\/aws|kubectl --context acme-prod get |aws --region eu-west-1 |for |aws .*\| while read)/);
  expect(r.stdout.trimEnd().split("\n").at(-1)).toMatch(/^# then: npx mimir-ports verify --contract cdktf\.out\/stacks\/<environment> --kube live\/kube-core\.json .* --aws live\/aws$/);
});

test("bad input is one line naming the option, exit 2", async () => {
  expect(await run(["--kube", PROD_KUBE[0]])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^verify: --contract is required/) });
  expect(await run(["--contract", join(OUT, "nope"), "--kube", PROD_KUBE[0]])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--contract .*nope: no such file or directory/) });
  expect(await run(["--contract", OUT, "--kube", PROD_KUBE[0]])).toMatchObject({ code: 2, stderr: expect.stringMatching(/3 stacks \(dev, prod, staging\); name the one deployed in this environment with --stack NAME/) });
  expect(await run(["--contract", STACK, "--kube", join(LIVE, "prod/aws/ec2-describe-security-groups.json")])).toMatchObject({ code: 2, stderr: expect.stringMatching(/neither a List nor a Kubernetes object/) });
});

test("a rule's finding names who carries its group: the pods' branch ENIs", async () => {
  const r = await run(prodArgs({ aws: [join(LIVE, "out-of-band/console-rule/aws")] }));
  const f = (JSON.parse(r.stdout) as Json).findings.find((x) => x.live)!;
  expect(f.live!.notes).toEqual(["sg-0b2b2b2b2b2b2b202 is carried by branch ENI eni-0f000000000000001 of pod mimir/mimir-distributor-7c9d8b6f5d-x2k4q and 9 more"]);
});

test("drift: the stack's HTTPRoute edited in the cluster to send /config to Mimir is reported on the stack's manifest", () => {
  const input = readContractInput(STACK);
  const kube = readKubeFiles(PROD_KUBE).objects.map((o) => {
    if (o.kind !== "HTTPRoute" || o.metadata.name !== "mimir-read") return o;
    const backend = o.spec.rules[0].backendRefs;
    return { ...o, spec: { ...o.spec, rules: [...o.spec.rules, { matches: [{ path: { type: "PathPrefix", value: "/config" } }], backendRefs: backend }] } };
  });
  const { findings } = verify(input, { kube, aws: readAwsDirs([PROD_AWS]).aws, missing: [], from: ["test"] });
  const drift = findings.filter((f) => f.live);
  expect(drift).toHaveLength(1);
  expect(drift[0]).toMatchObject({ ruleId: "MP016", address: "kubernetes_manifest.k8s_gateway-api_http-route-read_7266CFAB", live: { status: "drift", object: "HTTPRoute mimir/mimir-read" } });
  expect(drift[0].message).toContain("/config");
});

test("drift: the stack's HTTPS listener switched to HTTP in the console is reported on the stack's listener", () => {
  const input = readContractInput(STACK);
  const aws = readAwsDirs([PROD_AWS]).aws;
  const listeners = aws.listeners!.map((l) => (l.Port === 443 && l.LoadBalancerArn.includes("/mimir-prod/") ? { ...l, Protocol: "HTTP", SslPolicy: undefined, MutualAuthentication: undefined } : l));
  const { findings } = verify(input, { kube: readKubeFiles(PROD_KUBE).objects, aws: { ...aws, listeners }, missing: [], from: ["test"] });
  const drift = findings.filter((f) => f.live);
  expect(drift.map((f) => [f.address, f.live!.status, f.live!.notes])).toEqual([["aws_lb_listener.edge_load-balancer_https_CAC44D8D", "drift", ["protocol HTTP, declared HTTPS"]]]);
  expect(drift[0].severity).toMatch(/critical|error/);
});

test("live mode without its optional peer dependency is one line with the install command", async () => {
  await expect(optionalPeer(() => import("@kubernetes/no-such-client-for-this-test" as string), "@kubernetes/client-node", "--kube-context")).rejects.toThrow(
    "--kube-context reads live with @kubernetes/client-node, which is not installed: npm install @kubernetes/client-node (or read offline: mimir-ports verify --print-commands)",
  );
});

test("with only `terraform output -json mimir_port_contract`, every live object is read as it is (status live): prod is clean, the console rule is found", async () => {
  const contract = join(LIVE, "prod/contract.json");
  const base = ["--contract", contract, ...PROD_KUBE.flatMap((f) => ["--kube", f]), "--aws", PROD_AWS, "--format", "json"];
  const clean = await run(base);
  expect(clean.stderr).toBe("");
  expect(clean.code).toBe(0);
  // The load balancer's attributes are not in DescribeLoadBalancers: without the stack, MP012 cannot be ruled out (a warning).
  expect((JSON.parse(clean.stdout) as Json).findings.map((f) => [f.ruleId, f.severity, f.live?.object])).toEqual([["MP012", "warning", "LoadBalancer mimir-prod (application, internet-facing)"]]);
  const rule = await run([...base, "--aws", join(LIVE, "out-of-band/console-rule/aws")]);
  expect(rule.code).toBe(1);
  const failing = (JSON.parse(rule.stdout) as Json).findings.filter((f) => f.severity === "critical" || f.severity === "error");
  expect(failing.map((f) => [f.ruleId, f.live?.status, f.live?.object])).toEqual([["MP001", "live", "SecurityGroupRule sgr-0c0750e0a1b2c3d4e on sg-0b2b2b2b2b2b2b202: tcp 9095 from 0.0.0.0/0"]]);
});

test("drift of the chart's own objects: a Service patched to LoadBalancer, a workload whose grpc port moved", () => {
  const input = readContractInput(STACK);
  const aws = readAwsDirs([PROD_AWS]).aws;
  const kube = readKubeFiles(PROD_KUBE).objects;
  const patched = kube.map((o) => (o.kind === "Service" && o.metadata.name === "mimir-distributor" ? { ...o, spec: { ...o.spec, type: "LoadBalancer" } } : o));
  const svc = verify(input, { kube: patched, aws, missing: [], from: ["test"] }).findings.filter((f) => f.live);
  expect(svc.map((f) => [f.ruleId, f.live!.status, f.live!.object, f.live!.notes[0]])).toEqual([["MP005", "drift", "Service mimir/mimir-distributor", "made by the Helm release as ClusterIP, live it is LoadBalancer"]]);
  const moved = kube.map((o) =>
    o.kind === "StatefulSet" && o.metadata.name === "mimir-ingester-zone-a"
      ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { ...o.spec.template.spec, containers: o.spec.template.spec.containers.map((c: { ports: Array<{ name: string }> }) => ({ ...c, ports: c.ports.map((p) => (p.name === "grpc" ? { ...p, containerPort: 9096 } : p)) })) } } } }
      : o,
  );
  const port = verify(input, { kube: moved, aws, missing: [], from: ["test"] }).findings.filter((f) => f.live);
  expect(port.map((f) => [f.ruleId, f.live!.status, f.message])).toEqual([["MP014", "drift", "StatefulSet mimir/mimir-ingester-zone-a listens on grpc 9096, the contract says 9095"]]);
});

test("the probe's expectation comes from the contract: prod's entry is mutual TLS, from the stack or from the output JSON", () => {
  expect(readContractInput(STACK).authMode).toBe("mtls");
  expect(readContractInput(join(LIVE, "prod/contract.json")).authMode).toBe("mtls");
  // The class-scoped probe's class→groups mapping: auth.classes, the same from the stack as from the output.
  expect(readContractInput(STACK).classes).toEqual([{ name: "agents", mode: "mtls", groups: ["write"] }, { name: "operators", mode: "oidc", groups: ["read", "rules", "alertmanager"] }]);
  expect(readContractInput(join(LIVE, "prod/contract.json")).classes).toEqual(readContractInput(STACK).classes);
});

test("--class names the class of --client-cert: alone, or naming the oidc class, it is one line, exit 2", async () => {
  expect(await run(["--contract", STACK, "--probe", "https://127.0.0.1:1", "--class", "agents"])).toMatchObject({ code: 2, stderr: "--class agents names the class of --client-cert; give --client-cert and --client-key too" });
  expect(await run(["--contract", STACK, "--probe", "https://127.0.0.1:1", "--client-cert", join(ROOT, "__tests__/fixtures/probe/client.pem"), "--client-key", join(ROOT, "__tests__/fixtures/probe/client.key"), "--class", "operators"])).toMatchObject({ code: 2, stderr: "--class operators: its authentication is oidc; a client certificate proves only an mtls class (agents)" });
});

test("drift: an operators' OIDC rule switched in the console to let unauthenticated requests through is MP018 on the stack's rule", () => {
  const input = readContractInput(STACK);
  const aws = readAwsDirs([PROD_AWS]).aws;
  const rules = aws.rules!.map((r) =>
    r.Priority === "10" && r.Actions.some((a: { Type: string }) => a.Type === "authenticate-oidc")
      ? { ...r, Actions: r.Actions.map((a: { AuthenticateOidcConfig?: object }) => (a.AuthenticateOidcConfig ? { ...a, AuthenticateOidcConfig: { ...a.AuthenticateOidcConfig, OnUnauthenticatedRequest: "allow" } } : a)) }
      : r,
  );
  const { findings } = verify(input, { kube: readKubeFiles(PROD_KUBE).objects, aws: { ...aws, rules }, missing: [], from: ["test"] });
  const drift = findings.filter((f) => f.live);
  expect(drift.map((f) => [f.ruleId, f.address, f.live!.status, f.live!.notes])).toEqual([
    ["MP018", "aws_lb_listener_rule.edge_load-balancer_rules-operators_public-0_BF28B549", "drift", ["authentication authenticate-oidc (unauthenticated: allow), declared authenticate-oidc (unauthenticated: authenticate)"]],
  ]);
  expect(drift[0].live!.object).toMatch(/^ListenerRule \S+ \(priority 10\) of Listener HTTPS 8443 of mimir-prod/);
});
