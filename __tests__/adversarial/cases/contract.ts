/**
 * The contract travels and the policy cannot be skipped silently: Mimir
 * constructs in a plain TerraformStack (with a non-default contract) are
 * checked at synth and by `check`; `skipValidation` is recorded and reported.
 */
import type { TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Peer } from "../../../modules/aws/peer";
import { MimirSecurityGroups } from "../../../modules/aws/security-groups";
import { defineEnvironment } from "../../../modules/config/environment";
import { PortContract } from "../../../modules/contract/port-contract";
import { MimirHelmRelease } from "../../../modules/helm/release";
import { MimirKubernetes } from "../../../modules/kubernetes/mimir-kubernetes";
import { manifest, mimirPods, parts } from "../attack";
import { PORT, SRC } from "../expectations";
import { baseEnvironment, type SynthCase } from "../harness";


function plainGroups(s: TerraformStack, http: number): MimirSecurityGroups {
  new AwsProvider(s, "aws", { region: "eu-west-1" });
  return new MimirSecurityGroups(s, "mimir-sg", {
    contract: PortContract.create({ ports: { http } }),
    namePrefix: "mimir-plain",
    vpcId: "vpc-0123456789abcdef0",
    clients: [Peer.cidr("10.0.0.0/16")],
    httpRedirect: true,
    target: { kind: "members" },
    objectStorage: [Peer.prefixList("pl-6ea54007", "s3")],
  });
}

export const CONTRACT_EXPOSURES: SynthCase[] = [
  {
    class: "contract",
    name: "plain TerraformStack: MimirSecurityGroups on http 8081, attacker opens 8081 to the world",
    base: "plain",
    build: (s) => {
      const groups = plainGroups(s, 8081);
      new VpcSecurityGroupIngressRule(s, "atk-rule", { securityGroupId: groups.members.id, ipProtocol: "tcp", fromPort: 8081, toPort: 8081, cidrIpv4: "0.0.0.0/0", description: "debug" });
    },
    expect: { source: SRC.internet, port: /\b8081\b/ },
  },
  {
    class: "contract",
    name: "plain TerraformStack: MimirKubernetes, attacker LoadBalancer Service on the ingesters' grpc",
    base: "plain",
    build: (s) => {
      new KubernetesProvider(s, "kubernetes", {});
      new MimirKubernetes(s, "k8s", { environment: defineEnvironment(baseEnvironment("edge")) });
      manifest(s, "atk-svc", { apiVersion: "v1", kind: "Service", metadata: { name: "atk-svc", namespace: "mimir" }, spec: { type: "LoadBalancer", selector: mimirPods("ingester"), ports: [{ name: "api", port: 443, targetPort: "grpc" }] } });
    },
    expect: { source: SRC.loadBalancerService, port: PORT.grpc },
  },
  {
    class: "contract",
    name: "plain TerraformStack: MimirHelmRelease with grpc 9096, attacker NodePort on 9096",
    base: "plain",
    build: (s) => {
      new HelmProvider(s, "helm", {});
      new KubernetesProvider(s, "kubernetes", {});
      new MimirHelmRelease(s, "mimir", { environment: defineEnvironment(baseEnvironment("edge", { ports: { grpc: 9096 } })), namespace: "mimir" });
      manifest(s, "atk-svc", { apiVersion: "v1", kind: "Service", metadata: { name: "atk-svc", namespace: "mimir" }, spec: { type: "NodePort", selector: mimirPods("querier"), ports: [{ name: "rpc", port: 9096, targetPort: 9096 }] } });
    },
    expect: { source: SRC.nodePort, port: /\b9096\b/ },
  },
  {
    class: "contract",
    name: "skipValidation does not skip the contract policy: synth refuses, check flags the exposure",
    base: "edge",
    app: { skipValidation: true },
    build: (s) => {
      new SecurityGroupRule(s, "atk-rule", { type: "ingress", securityGroupId: parts(s).members.id, protocol: "tcp", fromPort: 9095, toPort: 9095, cidrBlocks: ["0.0.0.0/0"], description: "debug" });
    },
    expect: { source: SRC.internet, port: PORT.grpc, never: [/skipValidation/] },
  },
  {
    class: "contract",
    name: "skipValidation on a plain TerraformStack with Mimir constructs: refused all the same",
    base: "plain",
    app: { skipValidation: true },
    build: (s) => {
      const groups = plainGroups(s, 8080);
      new VpcSecurityGroupIngressRule(s, "atk-rule", { securityGroupId: groups.members.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "debug" });
    },
    expect: { source: SRC.internet, port: PORT.any, never: [/skipValidation/] },
  },
];
