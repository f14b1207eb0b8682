import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { environments } from "../main";
import type { EnvironmentInput } from "../modules/config/environment";
import type { AccountInputs } from "../modules/stack/inputs";
import { entryWarningLines, MimirStack } from "../modules/stack/mimir-stack";
import { manifests } from "./entry-matchers";
import { configErrorMessage, resources, synthJson, type TfJson } from "./helpers";

/**
 * Issue 21 item 2: no EKS cluster security group on Mimir's pods. The
 * SecurityGroupPolicy gives them the members group and a dedicated pods group
 * that admits only the kubelet's probes (nodes' group → http) and allows DNS
 * to the nodes' group (CoreDNS); the members group stays the only way to grpc
 * and memberlist.
 */
const byName = (name: string) => environments.find((e) => e.name === name)! as EnvironmentInput;
type Rule = { security_group_id: string; referenced_security_group_id?: string; cidr_ipv4?: string; from_port: number; to_port: number; ip_protocol: string; description: string };
const rules = (json: TfJson, dir: "ingress" | "egress") => Object.values(resources(json, `aws_vpc_security_group_${dir}_rule`)) as unknown as Rule[];
const groupRef = (json: TfJson, name: string) => `\${aws_security_group.${Object.keys(resources(json, "aws_security_group")).find((k) => k.includes(`_${name}_`))}.id}`;
const NODES = "${var.node_security_group_id}";

describe("prod: Mimir's pods carry the members group and the dedicated pods group, never the cluster group", () => {
  const json = synthJson(byName("prod"));
  const pods = groupRef(json, "pods");
  const members = groupRef(json, "members");

  test("the SecurityGroupPolicy lists exactly the members and pods groups for the release's pods", () => {
    const sgp = manifests(json, "SecurityGroupPolicy").find((m: any) => m.spec.podSelector.matchLabels["app.kubernetes.io/instance"] === "mimir")!;
    expect(sgp.spec.securityGroups.groupIds).toEqual([members, pods]);
    expect(sgp.spec.podSelector.matchLabels).toEqual({ "app.kubernetes.io/name": "mimir", "app.kubernetes.io/instance": "mimir" });
    expect(JSON.stringify(json)).not.toContain("cluster_security_group_id\"}");
    expect(Object.keys(json.variable ?? {})).toContain("node_security_group_id");
  });

  test("the pods group admits only the kubelet (nodes' group) on the contract http port", () => {
    const ingress = rules(json, "ingress").filter((r) => r.security_group_id === pods);
    expect(ingress).toEqual([expect.objectContaining({ referenced_security_group_id: NODES, from_port: 8080, to_port: 8080, ip_protocol: "tcp" })]);
  });

  test("the pods group sends DNS (tcp and udp) to the nodes' group, which admits it from the pods group; nothing else out (Pod Identity here)", () => {
    const egress = rules(json, "egress").filter((r) => r.security_group_id === pods);
    expect(egress.map((r) => [r.referenced_security_group_id, r.from_port, r.ip_protocol]).sort()).toEqual([
      [NODES, 53, "tcp"],
      [NODES, 53, "udp"],
    ]);
    const onNodes = rules(json, "ingress").filter((r) => r.security_group_id === NODES);
    expect(onNodes.filter((r) => r.referenced_security_group_id === pods).map((r) => [r.from_port, r.ip_protocol]).sort()).toEqual([
      [53, "tcp"],
      [53, "udp"],
    ]);
    // The rest on the nodes' group come from the entry's data plane (DNS, Envoy Gateway xDS), never to a Mimir port.
    expect(onNodes.filter((r) => r.referenced_security_group_id !== pods).every((r) => r.referenced_security_group_id === groupRef(json, "data-plane") && ![8080, 9095, 7946].includes(r.from_port))).toBe(true);
  });

  test("grpc and memberlist stay members-only: no rule of the pods or nodes' group carries them", () => {
    for (const r of [...rules(json, "ingress"), ...rules(json, "egress")]) {
      if ([9095, 7946].includes(r.from_port)) expect(r).toMatchObject({ security_group_id: members, referenced_security_group_id: members });
    }
  });
});

describe("IRSA: the pods group also reaches STS over HTTPS (web identity)", () => {
  test("staging names its STS VPC endpoint: one egress rule to the endpoint's group, none to any address", () => {
    const json = synthJson(byName("staging"));
    const pods = groupRef(json, "pods");
    const egress = rules(json, "egress").filter((r) => r.security_group_id === pods);
    expect(egress.filter((r) => r.cidr_ipv4 !== undefined || (r as Record<string, unknown>).cidr_ipv6 !== undefined)).toEqual([]);
    expect(egress.filter((r) => r.from_port === 443)).toEqual([expect.objectContaining({ referenced_security_group_id: "sg-05a4b3c2d1e0f9a8b", to_port: 443, ip_protocol: "tcp", description: "mimir sts 443/tcp to the STS VPC endpoint (IRSA)" })]);
  });

  test("without an endpoint (not production-like) the rule goes to any address, described", () => {
    const staging = byName("staging") as any;
    const json = synthJson({ ...staging, storage: { ...staging.storage, irsa: { oidcProviderArn: staging.storage.irsa.oidcProviderArn } } });
    const pods = groupRef(json, "pods");
    const aws = rules(json, "egress").filter((r) => r.security_group_id === pods && r.cidr_ipv4 !== undefined);
    expect(aws).toEqual([expect.objectContaining({ cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443, ip_protocol: "tcp", description: "mimir aws_api 443/tcp to AWS APIs (STS for IRSA)" })]);
  });
});

describe("node-group mode and the node security group input", () => {
  const outdir = () => mkdtempSync(join(tmpdir(), "hardening-pods-"));
  const inputs: AccountInputs = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"], certificateArn: "arn:aws:acm:eu-west-1:111122223333:certificate/abc", kubeconfigPath: "~/.kube/config", kubeContext: "" };

  test("node-group mode: no SecurityGroupPolicy, the synth summary says what the node group's group admits, and the policy refuses nodes on grpc/memberlist", () => {
    const app = new App({ outdir: outdir() });
    const stack = new MimirStack(app, { environment: { ...byName("staging"), podSecurityGroups: { mode: "node-group", nodeSecurityGroupId: "sg-0123456789abcdef0" } } as EnvironmentInput });
    expect(stack.podSecurityGroups).toBeUndefined();
    expect(() => app.synth()).toThrow(/MP019 error/);
    const lines = entryWarningLines(app);
    expect(lines).toEqual([expect.stringMatching(/^staging: warning: podSecurityGroups\.mode node-group: the members rules \(http 8080, grpc 9095, memberlist 7946.*\) are written on the node group's security group sg-0123456789abcdef0, and every pod and process on those nodes carries it/)]);
  });

  test("a node group id that is not a security group id is refused with environment, field, value and fix", () => {
    const message = configErrorMessage(() => {
      const app = new App({ outdir: outdir() });
      new MimirStack(app, { environment: { ...byName("staging"), podSecurityGroups: { mode: "node-group", nodeSecurityGroupId: "sg-xyz" } } as EnvironmentInput });
      app.synth();
    });
    expect(message).toMatch(/\[staging\] podSecurityGroups\.nodeSecurityGroupId = "sg-xyz": is not a security group id\. Fix: use an id like sg-0123456789abcdef0/);
  });

  test("inputs.nodeSecurityGroupId: a literal that is not a security group id is refused; none at all is refused with the variable to set", () => {
    const bad = configErrorMessage(() => new MimirStack(new App({ outdir: outdir() }), "prod", { environment: byName("prod"), inputs: { ...inputs, clusterSecurityGroupId: "sg-0aaaaaaaaaaaaaaa1", nodeSecurityGroupId: "sg-nodes" } }));
    expect(bad).toMatch(/\[prod\] inputs\.nodeSecurityGroupId = "sg-nodes": is not a security group id\. Fix: use the nodes' group id/);
    const missing = configErrorMessage(() => new MimirStack(new App({ outdir: outdir() }), "prod", { environment: byName("prod"), inputs }));
    // prod's proxies have their own group: the cluster group is no input at all.
    expect(missing).not.toMatch(/clusterSecurityGroupId/);
    expect(missing).toMatch(/\[prod\] inputs\.nodeSecurityGroupId = \(missing\): is required by podSecurityGroups\.mode security-group-policy.*Fix: pass the security group of the nodes that run Mimir \(TF_VAR_node_security_group_id/);
  });

  test("a literal node group id is the kubelet's source; the cluster group (ingress targets only) is not on Mimir's pods", () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    new MimirStack(app, "prod", { environment: byName("prod"), inputs: { ...inputs, clusterSecurityGroupId: "sg-0aaaaaaaaaaaaaaa1", nodeSecurityGroupId: "sg-0bbbbbbbbbbbbbbb2" } });
    app.synth();
    const json = JSON.parse(readFileSync(join(dir, "stacks", "prod", "cdk.tf.json"), "utf8")) as TfJson;
    const pods = groupRef(json, "pods");
    expect(rules(json, "ingress").filter((r) => r.security_group_id === pods).map((r) => [r.referenced_security_group_id, r.from_port])).toEqual([["sg-0bbbbbbbbbbbbbbb2", 8080]]);
    expect(manifests(json, "SecurityGroupPolicy")[0].spec.securityGroups.groupIds).not.toContain("sg-0aaaaaaaaaaaaaaa1");
  });
});
