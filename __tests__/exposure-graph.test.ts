/**
 * The reachability graph through the user's own entry points: `app.synth()`
 * refuses (MimirStack, or a plain TerraformStack holding Mimir constructs)
 * and the same engine `check` runs flags, with the whole path in the message;
 * neighbours that do not reach Mimir's pods stay clean.
 */
import { App, TerraformHclModule, TerraformStack, Testing } from "cdktf";
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Release } from "@cdktf/provider-helm/lib/release";
import { MimirSecurityGroups } from "../modules/aws/security-groups";
import { Peer } from "../modules/aws/peer";
import { PortContract } from "../modules/contract/port-contract";
import { buildModel } from "../modules/exposure/model";
import { fromSynthesized } from "../modules/exposure/terraform-json";
import { leakedPaths } from "../modules/policy/reachability";
import { evaluate, failing, formatFinding } from "../modules/policy/evaluate";
import { MimirStack } from "../modules/stack/mimir-stack";
import { env, runTsx } from "./helpers";

type Add = (s: MimirStack) => void;

/** synth's refusal message (undefined when it passes) and what `check`'s engine fails on the same JSON. */
function both(add: Add): { synth?: string; check: string[] } {
  const app = Testing.app();
  const stack = new MimirStack(app, { environment: env() });
  add(stack);
  let synth: string | undefined;
  try {
    app.synth();
  } catch (err) {
    synth = (err as Error).message;
  }
  const model = buildModel(fromSynthesized("test", "cdk.tf.json", stack.toTerraform()));
  return { synth, check: failing(evaluate(model), "error").map(formatFinding) };
}

const tgBoundTo = (s: MimirStack, id: string, service: string, port: string | number, tgPort = 8080) => {
  const tg = new LbTargetGroup(s, id, { port: tgPort, protocol: "TCP", targetType: "ip", vpcId: "vpc-1" });
  new Manifest(s, `${id}-binding`, { manifest: { apiVersion: "elbv2.k8s.aws/v1beta1", kind: "TargetGroupBinding", metadata: { name: id, namespace: "mimir" }, spec: { targetGroupARN: tg.arn, targetType: "ip", serviceRef: { name: service, port } } } });
  return tg;
};
const lb = (s: MimirStack) => s.edge.loadBalancer.lb.arn;
const members = (s: MimirStack) => s.edge.securityGroups.members.id;
const mimirLabels = (component: string) => ({ "app.kubernetes.io/name": "mimir", "app.kubernetes.io/instance": "mimir", "app.kubernetes.io/component": component });

const EXPOSURES: Array<[string, Add, RegExp]> = [
  ["CIDRs that together cover the internet", (s) => {
    new SecurityGroupRule(s, "half1", { type: "ingress", securityGroupId: members(s), protocol: "tcp", fromPort: 9095, toPort: 9095, cidrBlocks: ["0.0.0.0/1"], description: "x" });
    new SecurityGroupRule(s, "half2", { type: "ingress", securityGroupId: members(s), protocol: "tcp", fromPort: 9095, toPort: 9095, cidrBlocks: ["128.0.0.0/1"], description: "x" });
  }, /MP001 critical aws_security_group_rule\.half1 .*grpc 9095 reachable from 0\.0\.0\.0\/1 \(with 128\.0\.0\.0\/1 on port 9095: the whole internet\)/],
  ["a prefix list on memberlist", (s) => new VpcSecurityGroupIngressRule(s, "pl", { securityGroupId: members(s), ipProtocol: "tcp", fromPort: 7946, toPort: 7946, prefixListId: "pl-123", description: "x" }), /MP001 error aws_vpc_security_group_ingress_rule\.pl .*memberlist 7946 reachable from prefix list pl-123 through tcp\/7946; path: prefix list pl-123 → /],
  ["IPv6 anywhere, protocol -1", (s) => new VpcSecurityGroupIngressRule(s, "v6", { securityGroupId: members(s), ipProtocol: "-1", cidrIpv6: "::/0", description: "x" }), /MP001 critical aws_vpc_security_group_ingress_rule\.v6 .*http 8080, grpc 9095, memberlist 7946.* through an all-protocol rule/],
  ["TCP 443 without TLS to the gateway's http port", (s) => {
    const tg = tgBoundTo(s, "plain-tg", "mimir-gateway", "http-metrics");
    new LbListener(s, "tcp443", { loadBalancerArn: lb(s), port: 443, protocol: "TCP", defaultAction: [{ type: "forward", targetGroupArn: tg.arn }] });
  }, /MP002 error aws_lb_listener\.tcp443 .*reaches Mimir's http port without TLS; path: 10\.0\.0\.0\/16 → .*:443 \(TCP, no TLS\) → tg aws_lb_target_group\.plain-tg → TargetGroupBinding plain-tg \(ip\) → Service mimir\/mimir-gateway:8080 \(http-metrics\) → targetPort http-metrics → pods mimir-gateway:http-metrics/],
  ["a listener rule's weighted forward to grpc", (s) => {
    const tg = tgBoundTo(s, "grpc-tg", "mimir-distributor", 9095, 9095);
    new LbListenerRule(s, "weighted", { listenerArn: s.edge.loadBalancer.httpsListener.arn, priority: 10, condition: [{ hostHeader: { values: ["grpc.example.com"] } }], action: [{ type: "forward", forward: { targetGroup: [{ arn: s.edge.loadBalancer.targetGroup.arn, weight: 1 }, { arn: tg.arn, weight: 1 }] } }] });
  }, /MP002 critical aws_lb_listener\.edge_load-balancer_https_\w+ .*internal grpc 9095 port; path: .*aws_lb_listener_rule\.weighted → tg aws_lb_target_group\.grpc-tg → .*pods mimir-distributor:grpc/],
  ["every path to the ingesters' http port", (s) => {
    const tg = tgBoundTo(s, "ing-tg", "mimir-ingester", "http-metrics");
    new LbListenerRule(s, "to-ingester", { listenerArn: s.edge.loadBalancer.httpsListener.arn, priority: 11, condition: [{ hostHeader: { values: ["x.example.com"] } }], action: [{ type: "forward", targetGroupArn: tg.arn }] });
    // MP016 names the forwarding rule that applies no path condition (not the listener it hangs on).
  }, /MP016 error aws_lb_listener_rule\.to-ingester .*every path reaches mimir-ingester; path: .*aws_lb_listener_rule\.to-ingester → tg aws_lb_target_group\.ing-tg/],
  ["a listener rule whose path pattern lets /debug through", (s) => {
    const tg = tgBoundTo(s, "qf-tg", "mimir-query-frontend", "http-metrics");
    new LbListenerRule(s, "debug", { listenerArn: s.edge.loadBalancer.httpsListener.arn, priority: 12, condition: [{ pathPattern: { values: ["/prometheus/*", "/debug/*"] } }], action: [{ type: "forward", targetGroupArn: tg.arn }] });
  }, /MP016 error aws_lb_listener_rule\.debug .*non-public path\(s\) \/debug\/fgprof, \/debug\/pprof\/heap, \/debug\/pprof\/profile reach mimir-query-frontend/],
  ["an HTTPRoute that sends / to the distributors", (s) => new Manifest(s, "slash", { manifest: { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "all", namespace: "mimir" }, spec: { parentRefs: [{ name: "edge" }], rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ name: "mimir-distributor", port: 8080 }] }] } } }), /MP016 error kubernetes_manifest\.slash .*non-public path\(s\) .*reach mimir-distributor/],
  ["a Service port known only after apply", (s) => new ServiceV1(s, "tok", { metadata: { name: "tok", namespace: "mimir" }, spec: { type: "LoadBalancer", selector: mimirLabels("querier"), port: [{ port: "${var.port}" as unknown as number }] } }), /MP015 error kubernetes_service_v1\.tok .*not known until apply/],
  ["an NLB without security groups, an instance of the members group on grpc", (s) => {
    const nlb = new Lb(s, "nlb", { name: "raw-nlb", loadBalancerType: "network", internal: false, subnets: ["subnet-1"] });
    const tg = new LbTargetGroup(s, "inst-tg", { port: 9095, protocol: "TCP", targetType: "instance", vpcId: "vpc-1" });
    const node = new Instance(s, "node", { ami: "ami-12345678", instanceType: "m6i.large", vpcSecurityGroupIds: [members(s)] });
    new LbTargetGroupAttachment(s, "inst", { targetGroupArn: tg.arn, targetId: node.id });
    new LbListener(s, "nlb-grpc", { loadBalancerArn: nlb.arn, port: 9095, protocol: "TCP", defaultAction: [{ type: "forward", targetGroupArn: tg.arn }] });
  }, /MP002 critical aws_lb_listener\.nlb-grpc .*grpc 9095 port; path: 0\.0\.0\.0\/0 → aws_lb\.nlb:9095 \(TCP, no TLS\) → tg aws_lb_target_group\.inst-tg → aws_lb_target_group_attachment\.inst → aws_instance\.node \(Mimir members group\) → pods mimir:grpc/],
  ["an attachment of an unknown IP on grpc", (s) => {
    const tg = new LbTargetGroup(s, "ip-tg", { port: 9095, protocol: "TCP", targetType: "ip", vpcId: "vpc-1" });
    new LbTargetGroupAttachment(s, "ip", { targetGroupArn: tg.arn, targetId: "10.0.3.7" });
  }, /MP015 error aws_lb_target_group_attachment\.ip .*target 10\.0\.3\.7 on Mimir's port 9095/],
  ["a LoadBalancer Service manifest, target port by name", (s) => new Manifest(s, "svc", { manifest: { apiVersion: "v1", kind: "Service", metadata: { name: "ing-public", namespace: "mimir" }, spec: { type: "LoadBalancer", selector: mimirLabels("ingester"), ports: [{ name: "web", port: 80, targetPort: "grpc" }] } } }), /MP005 critical kubernetes_manifest\.svc .*exposes grpc 9095; path: 0\.0\.0\.0\/0 → Service mimir\/ing-public \(LoadBalancer\) :80 → targetPort grpc → pods mimir-ingester:grpc/],
  ["external IPs on a typed Service", (s) => new ServiceV1(s, "ext", { metadata: { name: "ext", namespace: "mimir" }, spec: { selector: mimirLabels("querier"), externalIps: ["203.0.113.9"], port: [{ port: 9095, targetPort: "grpc" }] } }), /MP005 error kubernetes_service_v1\.ext .*externalIP 203\.0\.113\.9/],
  ["a hostPort on a Mimir Deployment", (s) => new DeploymentV1(s, "dep", { metadata: { name: "mimir-debug", namespace: "mimir" }, spec: { selector: { matchLabels: mimirLabels("debug") }, template: { metadata: { labels: mimirLabels("debug") }, spec: { container: [{ name: "m", image: "grafana/mimir:2.14.0", port: [{ name: "grpc", containerPort: 9095, hostPort: 19095 }] }] } } } }), /MP005 error kubernetes_deployment_v1\.dep .*hostPort 19095.*grpc 9095/],
  ["hostNetwork on a Mimir StatefulSet manifest", (s) => new Manifest(s, "sts", { manifest: { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "mimir-x", namespace: "mimir" }, spec: { selector: { matchLabels: mimirLabels("x") }, template: { metadata: { labels: mimirLabels("x") }, spec: { hostNetwork: true, containers: [{ name: "m", image: "grafana/mimir:2.14.0" }] } } } } }), /MP005 error kubernetes_manifest\.sts .*hostNetwork exposes .*grpc 9095/],
  ["an HTTPRoute to the gossip ring", (s) => new Manifest(s, "route", { manifest: { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "gossip", namespace: "mimir" }, spec: { parentRefs: [{ name: "edge", namespace: "gw" }], rules: [{ backendRefs: [{ name: "mimir-gossip-ring", port: 7946 }] }] } } }), /MP005 error kubernetes_manifest\.route .*exposes memberlist 7946/],
  ["a GRPCRoute to the distributors' grpc", (s) => new Manifest(s, "grpcroute", { manifest: { apiVersion: "gateway.networking.k8s.io/v1", kind: "GRPCRoute", metadata: { name: "g", namespace: "mimir" }, spec: { parentRefs: [{ name: "edge" }], rules: [{ backendRefs: [{ name: "mimir-distributor", port: 9095 }] }] } } }), /MP005 error kubernetes_manifest\.grpcroute .*grpc 9095/],
  ["a NetworkPolicy with ingress: [{}] on Mimir's pods", (s) => new Manifest(s, "np", { manifest: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "open", namespace: "mimir" }, spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "mimir" } }, ingress: [{}] } } }), /MP007 error kubernetes_manifest\.np .*admits every source \(ingress: \[\{\}\]\) to http 8080, grpc 9095/],
  ["namespaceSelector: {} to grpc", (s) => new NetworkPolicyV1(s, "allns", { metadata: { name: "allns", namespace: "mimir" }, spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: "grpc", protocol: "TCP" }] }] } }), /MP007 error kubernetes_network_policy_v1\.allns .*every pod of every namespace.* to grpc 9095/],
  ["helm set ingester.service.type=LoadBalancer", (s) => s.helm!.release.addOverride("set", [{ name: "ingester.service.type", value: "LoadBalancer" }]), /MP014 critical helm_release\.helm-release_\w+ .*chart values expose http 8080, grpc 9095: ingester\.service\.type=LoadBalancer/],
  ["YAML merge keys in values", (s) => s.helm!.release.addOverride("values", ["exposed: &exposed\n  type: NodePort\ndistributor:\n  service:\n    <<: *exposed\n"]), /MP014 critical helm_release\.helm-release_\w+ .*distributor\.service\.type=NodePort/],
  ["extraArgs moving the grpc port", (s) => s.helm!.release.addOverride("set_list", [{ name: "querier.extraArgs", value: ["-server.grpc-listen-port=9000"] }]), /MP014 error helm_release\.helm-release_\w+ .*moving Mimir's grpc port away from the contract's 9095/],
  ["an HCL module", (s) => new TerraformHclModule(s, "vpc", { source: "terraform-aws-modules/vpc/aws", version: "5.0.0" }), /MP015 error module\.vpc .*module vpc \(source terraform-aws-modules\/vpc\/aws\)/],
];

const NEIGHBOURS: Array<[string, Add]> = [
  ["another app's security group open on 8080", (s) => new SecurityGroup(s, "web", { name: "web", ingress: [{ fromPort: 8080, toPort: 8080, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], description: "web" }] })],
  ["another namespace's LoadBalancer on 8080", (s) => new ServiceV1(s, "web-lb", { metadata: { name: "web", namespace: "web" }, spec: { type: "LoadBalancer", selector: { app: "web" }, port: [{ port: 8080 }] } })],
  ["another app's NodePort in Mimir's namespace", (s) => new ServiceV1(s, "tool", { metadata: { name: "tool", namespace: "mimir" }, spec: { type: "NodePort", selector: { app: "tool" }, port: [{ port: 9095 }] } })],
  ["the ingress controller's own open NetworkPolicy", (s) => new NetworkPolicyV1(s, "ctrl", { metadata: { name: "ctrl", namespace: "ingress-nginx" }, spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx" } }, policyTypes: ["Ingress"], ingress: [{}] } })],
  ["another app's HTTP listener on 8080", (s) => {
    const tg = new LbTargetGroup(s, "web-tg", { port: 8080, protocol: "HTTP", targetType: "ip", vpcId: "vpc-1", healthCheck: { path: "/" } });
    new Manifest(s, "web-binding", { manifest: { apiVersion: "elbv2.k8s.aws/v1beta1", kind: "TargetGroupBinding", metadata: { name: "web", namespace: "web" }, spec: { targetGroupARN: tg.arn, serviceRef: { name: "web", port: 8080 } } } });
    new LbListener(s, "web", { loadBalancerArn: lb(s), port: 8080, protocol: "HTTP", defaultAction: [{ type: "forward", targetGroupArn: tg.arn }] });
  }],
  ["another namespace's HTTPRoute", (s) => new Manifest(s, "web-route", { manifest: { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "web", namespace: "web" }, spec: { parentRefs: [{ name: "edge" }], rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] } } })],
  ["another chart's LoadBalancer values", (s) => new Release(s, "web-chart", { name: "web", chart: "nginx", namespace: "web", set: [{ name: "service.type", value: "LoadBalancer" }] })],
  ["a hostPort on another app's DaemonSet", (s) => new Manifest(s, "ds", { manifest: { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "node-exporter", namespace: "monitoring" }, spec: { selector: { matchLabels: { app: "ne" } }, template: { metadata: { labels: { app: "ne" } }, spec: { containers: [{ name: "ne", image: "prom/node-exporter", ports: [{ containerPort: 9100, hostPort: 9100 }] }] } } } } })],
];

describe("exposures: synth refuses and check flags, with the path", () => {
  test.each(EXPOSURES)("%s", (_label, add, expected) => {
    const { synth, check } = both(add);
    expect(synth).toMatch(expected);
    expect(check.join("\n")).toMatch(expected);
  });
});

describe("neighbours that do not reach Mimir's pods: synth passes, check clean", () => {
  test.each(NEIGHBOURS)("%s", (_label, add) => {
    const { synth, check } = both(add);
    expect(synth).toBeUndefined();
    expect(check).toEqual([]);
  });
});

describe("path conditions", () => {
  test("operator endpoints are found behind globs, prefixes and regexes; public paths are not", () => {
    expect(leakedPaths({ kind: "glob", value: "/distributor*" })).toEqual(expect.arrayContaining(["/distributor/ha_tracker"]));
    expect(leakedPaths({ kind: "prefix", value: "/" })!.length).toBeGreaterThan(10);
    expect(leakedPaths({ kind: "regex", value: "^/(config|debug)" })).toEqual(expect.arrayContaining(["/config", "/debug/pprof/heap"]));
    expect(leakedPaths({ kind: "exact", value: "/api/v1/push" })).toEqual([]);
    expect(leakedPaths({ kind: "prefix", value: "/alertmanager" })).toEqual([]);
  });
});

describe("the policy cannot be skipped silently", () => {
  test("Mimir constructs in a plain TerraformStack carry the contract and are checked at synth", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "plain");
    const groups = new MimirSecurityGroups(stack, "sg", { contract: PortContract.create(), namePrefix: "mimir-x", vpcId: "vpc-1", clients: [Peer.cidr("10.0.0.0/16")], httpRedirect: false, target: { kind: "members" }, objectStorage: [Peer.prefixList("pl-s3", "s3")] });
    new VpcSecurityGroupIngressRule(stack, "oops", { securityGroupId: groups.members.id, ipProtocol: "tcp", fromPort: 9095, toPort: 9095, cidrIpv4: "0.0.0.0/0", description: "x" });
    expect(() => app.synth()).toThrow(/\[plain\] MP001 critical aws_vpc_security_group_ingress_rule\.oops .*grpc 9095/);
    expect(JSON.parse(Testing.synth(stack)).output.mimir_port_contract.value.ports).toEqual({ http: 8080, grpc: 9095, memberlist: 7946 });
  });

  test("skipValidation does not skip the policy: synth refuses, writes nothing, and says nothing of skipping", () => {
    const out = mkdtempSync(join(tmpdir(), "skip-"));
    const app = new App({ outdir: out, skipValidation: true });
    const stack = new MimirStack(app, { environment: env() });
    new VpcSecurityGroupIngressRule(stack, "oops", { securityGroupId: stack.edge.securityGroups.members.id, ipProtocol: "tcp", fromPort: 9095, toPort: 9095, cidrIpv4: "0.0.0.0/0", description: "x" });
    let message = "";
    try {
      app.synth();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/\[test\] MP001 critical aws_vpc_security_group_ingress_rule\.oops .*grpc 9095/);
    expect(message).not.toMatch(/skipValidation|skip validation/i);
    expect(existsSync(join(out, "stacks", "test", "cdk.tf.json"))).toBe(false);
  });

  test.each([
    ["a custom synthesis hook the app installed first", (app: App, stack: TerraformStack) => {
      void app;
      addCustomSynthesis(stack, { onSynthesize: () => undefined });
    }],
    ["the report-mode property set by the app's own code", (app: App) => {
      (app as unknown as { mimirPortsReportMode: boolean }).mimirPortsReportMode = true;
    }],
  ])("skipValidation with %s still refuses and writes nothing", (_name, tamper) => {
    const out = mkdtempSync(join(tmpdir(), "skip-"));
    const app = new App({ outdir: out, skipValidation: true });
    const stack = new MimirStack(app, { environment: env() });
    new VpcSecurityGroupIngressRule(stack, "oops", { securityGroupId: stack.edge.securityGroups.members.id, ipProtocol: "tcp", fromPort: 9095, toPort: 9095, cidrIpv4: "0.0.0.0/0", description: "x" });
    tamper(app, stack);
    expect(() => app.synth()).toThrow(/\[test\] MP001 critical aws_vpc_security_group_ingress_rule\.oops/);
    expect(existsSync(join(out, "stacks", "test", "cdk.tf.json"))).toBe(false);
  });

  test("an output that says the policy was skipped (written by hand or an older version) is reported by check (exit 1)", () => {
    const out = mkdtempSync(join(tmpdir(), "skip-"));
    const app = new App({ outdir: out, skipValidation: true });
    new MimirStack(app, { environment: env() });
    app.synth();
    const file = join(out, "stacks", "test", "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    expect(json.output.mimir_port_contract.value.validation).toBe("enforced");
    json.output.mimir_port_contract.value.validation = "skipped";
    writeFileSync(file, JSON.stringify(json));
    const r = runTsx(["bin/mimir-ports.ts", "check", out]);
    expect(r.stdout).toMatch(/MP017 error output\.mimir_port_contract: the app was synthesized with skipValidation/);
    expect(r.code).toBe(1);
  });


  test("a plan without the contract needs --contract FILE (exit 2), and is checked with it", () => {
    const dir = mkdtempSync(join(tmpdir(), "nocontract-"));
    const plan = { format_version: "1.2", planned_values: { root_module: { resources: [{ address: "kubernetes_manifest.svc", mode: "managed", type: "kubernetes_manifest", name: "svc", values: { manifest: { apiVersion: "v1", kind: "Service", metadata: { name: "x", namespace: "mimir" }, spec: { type: "NodePort", selector: { "app.kubernetes.io/name": "mimir" }, ports: [{ port: 9095, targetPort: "grpc" }] } } } }] } } };
    writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));
    writeFileSync(join(dir, "contract.json"), JSON.stringify({ ports: { http: 8080, grpc: 9095, memberlist: 7946 }, namespace: "mimir", release: "mimir" }));
    const without = runTsx(["bin/mimir-ports.ts", "check", join(dir, "plan.json")]);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/no mimir_port_contract output.*--contract FILE/);
    const withIt = runTsx(["bin/mimir-ports.ts", "check", join(dir, "plan.json"), "--contract", join(dir, "contract.json")]);
    expect(withIt.code).toBe(1);
    expect(withIt.stdout).toMatch(/MP005 error kubernetes_manifest\.svc: .*exposes grpc 9095; path: outside the cluster/);
  });
});
