/**
 * Writes the frozen plan fixtures of the adversarial suite:
 *
 *   node --import tsx __tests__/adversarial/make-plan-fixtures.ts
 *
 * Each plan is what `terraform show -json` prints for a plan that creates the
 * stack (see plan-format.ts), with the attacker's resources where a real
 * repository would put them (a child module, unknown values, no contract).
 * The fixtures are inputs, not snapshots: regenerate only to add a case.
 */
import { App, type TerraformStack } from "cdktf";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { MimirStack } from "../../modules/stack/mimir-stack";
import { binding, listener, manifest, mimirPods, nlb, parts, targetGroup } from "./attack";
import { baseEnvironment, FIXTURES } from "./harness";
import { toPlan, type PlanOptions } from "./plan-format";

interface Fixture {
  readonly file: string;
  /** Default "edge" (our NetworkPolicies off); neighbours use "edge-np". */
  readonly base?: "edge" | "edge-np";
  readonly env?: Record<string, unknown>;
  readonly build: (s: TerraformStack) => void;
  readonly opts?: PlanOptions;
}

const DEBUG_MODULE = { match: /^atk/, module: "debug", source: "git::https://example.com/platform/debug-access.git?ref=v1.4.0" };
const membersRef = (s: TerraformStack) => parts(s).members.id;

const FIXTURE_LIST: Fixture[] = [
  {
    file: "plan-no-contract.json",
    build: (s) => new VpcSecurityGroupIngressRule(s, "atk-rule", { securityGroupId: membersRef(s), ipProtocol: "tcp", fromPort: 8080, toPort: 8080, cidrIpv4: "0.0.0.0/0", description: "debug" }),
    opts: { dropContract: true },
  },
  {
    file: "plan-no-contract-http-8081.json",
    env: { ports: { http: 8081 } },
    build: (s) => new VpcSecurityGroupIngressRule(s, "atk-rule", { securityGroupId: membersRef(s), ipProtocol: "tcp", fromPort: 8081, toPort: 8081, cidrIpv4: "0.0.0.0/0", description: "debug" }),
    opts: { dropContract: true },
  },
  {
    file: "plan-opaque-module.json",
    build: () => undefined,
    opts: { opaqueModuleCalls: { debug: { source: "git::https://example.com/platform/debug-access.git?ref=v1.4.0", inputs: { security_group_id: "${aws_security_group.edge_security-groups_members_7E0C79C1.id}", open_to: "0.0.0.0/0" } } } },
  },
  {
    file: "plan-unknown-cidr-in-module.json",
    build: (s) => new VpcSecurityGroupIngressRule(s, "atk-rule", { securityGroupId: membersRef(s), ipProtocol: "tcp", fromPort: 8080, toPort: 8080, cidrIpv4: "10.1.2.0/24", description: "debug" }),
    opts: { moveToModule: DEBUG_MODULE, unknown: [{ match: /^atk-rule$/, attribute: "cidr_ipv4", references: ["data.http.office_ip.response_body"] }] },
  },
  {
    file: "plan-internet-halves-in-module.json",
    build: (s) => {
      new VpcSecurityGroupIngressRule(s, "atk-low", { securityGroupId: membersRef(s), ipProtocol: "tcp", fromPort: 9095, toPort: 9095, cidrIpv4: "0.0.0.0/1", description: "debug" });
      new VpcSecurityGroupIngressRule(s, "atk-high", { securityGroupId: membersRef(s), ipProtocol: "tcp", fromPort: 9095, toPort: 9095, cidrIpv4: "128.0.0.0/1", description: "debug" });
    },
    opts: { moveToModule: DEBUG_MODULE },
  },
  {
    file: "plan-tcp443-in-module.json",
    build: (s) => {
      const tg = targetGroup(s, "atk-tg", 8080, "TCP");
      binding(s, "atk-tgb", tg.arn, "mimir-gateway", "http-metrics");
      listener(s, "atk-listener", { loadBalancerArn: nlb(s, "atk-nlb", { listen: 443, target: 8080 }).arn, port: 443, protocol: "TCP", forward: tg.arn });
    },
    opts: { moveToModule: DEBUG_MODULE },
  },
  {
    file: "plan-manifest-loadbalancer.json",
    build: (s) => manifest(s, "atk-svc", { apiVersion: "v1", kind: "Service", metadata: { name: "atk-svc", namespace: "mimir" }, spec: { type: "LoadBalancer", selector: mimirPods("ingester"), ports: [{ name: "api", port: 443, targetPort: "grpc" }] } }),
    opts: { moveToModule: DEBUG_MODULE },
  },
  {
    file: "plan-helm-set.json",
    build: (s) => parts(s).helm!.addOverride("set", [{ name: "ingester.service.type", value: "NodePort" }]),
  },
  {
    file: "plan-neighbours.json",
    base: "edge-np",
    build: (s) => {
      new ServiceV1(s, "shop-svc", { metadata: { name: "shop", namespace: "shop" }, spec: { type: "LoadBalancer", selector: { app: "shop" }, port: [{ name: "http", port: 8080, targetPort: "8080" }] } });
      new SecurityGroup(s, "shop-sg", { name: "shop", vpcId: parts(s).vpcId, ingress: [{ fromPort: 8080, toPort: 8080, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], description: "shop web" }] });
      new NetworkPolicyV1(s, "ingress-nginx-np", {
        metadata: { name: "ingress-nginx-public", namespace: "ingress-nginx" },
        spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: "443", protocol: "TCP" }] }] },
      });
    },
  },
  { file: "plan-clean.json", base: "edge-np", build: () => undefined },
];

function synthesize(f: Fixture): Record<string, any> {
  // The JSON the user's synth would write (validation not skipped); attackers' stacks are refused at synth, so write it as the harness does.
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), "adv-plan-")) });
  const stack = new MimirStack(app, { environment: baseEnvironment(f.base ?? "edge", f.env) });
  f.build(stack);
  return stack.toTerraform();
}

mkdirSync(FIXTURES, { recursive: true });
for (const f of FIXTURE_LIST) {
  writeFileSync(join(FIXTURES, f.file), `${JSON.stringify(toPlan(synthesize(f), f.opts), null, 1)}\n`);
  process.stdout.write(`wrote ${f.file}\n`);
}
// The contracts `--contract FILE` reads: the value of a stack's mimir_port_contract output.
for (const [file, env] of [["contract-default.json", {}], ["contract-http-8081.json", { ports: { http: 8081 } }]] as const) {
  const value = (synthesize({ file, env, build: () => undefined }).output as Record<string, { value: unknown }>).mimir_port_contract.value;
  writeFileSync(join(FIXTURES, file), `${JSON.stringify(value, null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
}
