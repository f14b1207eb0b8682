/** AWS exposures: listeners, listener rules, target groups, target registration, security groups. */
import { Alb } from "@cdktf/provider-aws/lib/alb";
import { AlbListener } from "@cdktf/provider-aws/lib/alb-listener";
import { AlbTargetGroup } from "@cdktf/provider-aws/lib/alb-target-group";
import { AlbTargetGroupAttachment } from "@cdktf/provider-aws/lib/alb-target-group-attachment";
import { Ec2ManagedPrefixList } from "@cdktf/provider-aws/lib/ec2-managed-prefix-list";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { TerraformStack } from "cdktf";
import { albCanReach, binding, CERT, listener, nlb, nlbGroup, openLbSg, parts, targetGroup, TLS_POLICY } from "../attack";
import { CRITICAL, PORT, SRC } from "../expectations";
import type { SynthCase } from "../harness";

const edge = (klass: string, name: string, build: (s: TerraformStack) => void, expect: SynthCase["expect"]): SynthCase => ({ class: klass, name, base: "edge", build, expect });

/** A grpc (HTTP/2) target group on the ALB side, bound to a Mimir Service's grpc port. */
function grpcTargets(s: TerraformStack, service = "mimir-ingester", port: string | number = "grpc") {
  const tg = targetGroup(s, "atk-tg", 9095, "HTTP");
  tg.addOverride("protocol_version", "GRPC");
  binding(s, "atk-tgb", tg.arn, service, port);
  return tg;
}

/** An EC2 node that runs Mimir: it is in Mimir's members security group. */
function mimirNode(s: TerraformStack) {
  return new Instance(s, "atk-node", { ami: "ami-0123456789abcdef0", instanceType: "m7g.large", vpcSecurityGroupIds: [parts(s).members.id] });
}

const ingress = (s: TerraformStack, id: string, props: Record<string, unknown>) =>
  new VpcSecurityGroupIngressRule(s, id, { securityGroupId: parts(s).members.id, description: "debug", ...props } as any);
const legacy = (s: TerraformStack, id: string, props: Record<string, unknown>) =>
  new SecurityGroupRule(s, id, { type: "ingress", securityGroupId: parts(s).members.id, description: "debug", ...props } as any);
const inlineOnMembers = (s: TerraformStack, block: Record<string, unknown>) =>
  parts(s).members.addOverride("ingress", [{ description: "debug", cidr_blocks: [], ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false, ...block }]);
const MEMBERS = /aws_security_group\.edge_security-groups_members|security-groups\/members/;

export const LISTENERS: SynthCase[] = [
  edge("aws-listener", "NLB TCP 443 without TLS forwards to Mimir's http (TargetGroupBinding to the gateway)", (s) => {
    const tg = targetGroup(s, "atk-tg", 8080, "TCP");
    binding(s, "atk-tgb", tg.arn, "mimir-gateway", "http-metrics");
    listener(s, "atk-listener", { loadBalancerArn: nlb(s, "atk-nlb", { listen: 443, target: 8080 }).arn, port: 443, protocol: "TCP", forward: tg.arn });
  }, { source: SRC.internet, port: PORT.http, also: [/\b443\b/] }),
  {
    class: "aws-listener",
    name: "the issue's example: Mimir's own NLB listener on 443 switched to TCP (no TLS) by escape hatch",
    base: "edge",
    // An NLB in front of Mimir needs a path-filtering entry (config refuses chart-gateway behind an NLB): the stack's
    // Gateway (HTTP listener) behind the NLB's TLS listener, which the escape hatch turns into plain TCP.
    env: {
      // subnetCidrs: the Gateway API entry admits only the load balancer's subnets at its data plane (config requires them).
      loadBalancer: { type: "network", scheme: "internet-facing", allowedCidrs: ["0.0.0.0/0"], redirectHttp: false, subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"] },
      entry: { kind: "gateway-api", gateway: { className: "eg" }, dataPlane: { namespace: "envoy-gateway-system", serviceName: "envoy-mimir", healthCheckPath: "/healthz", podLabels: { "app.kubernetes.io/name": "envoy" } } },
      ingress: undefined,
    },
    build: (s) => {
      parts(s).https.addOverride("protocol", "TCP");
      parts(s).https.addOverride("ssl_policy", null);
      parts(s).https.addOverride("certificate_arn", null);
    },
    expect: { source: SRC.internet, port: PORT.http, at: /aws_lb_listener\.edge_load-balancer_https|load-balancer\/https/, also: [/\b443\b/] },
  },
  edge("aws-listener", "plain HTTP listener on 8443 of Mimir's ALB forwards to Mimir's target group", (s) => {
    openLbSg(s, "atk-open", 8443);
    listener(s, "atk-listener", { loadBalancerArn: parts(s).lb.arn, port: 8443, protocol: "HTTP", forward: parts(s).tg.arn });
  }, { source: SRC.internet, port: PORT.http, also: [/\b8443\b/] }),
  edge("aws-listener", "TLS listener on 8443 forwards to the ingesters' grpc", (s) => {
    openLbSg(s, "atk-open", 8443);
    albCanReach(s, 9095);
    const tg = grpcTargets(s);
    listener(s, "atk-listener", { loadBalancerArn: parts(s).lb.arn, port: 8443, protocol: "HTTPS", sslPolicy: TLS_POLICY, certificateArn: CERT, forward: tg.arn });
  }, { source: SRC.internet, port: PORT.grpc }),
  edge("aws-listener", "NLB TCP listener on the grpc port", (s) => {
    const tg = targetGroup(s, "atk-tg", 9095, "TCP");
    binding(s, "atk-tgb", tg.arn, "mimir-distributor", "grpc");
    listener(s, "atk-listener", { loadBalancerArn: nlb(s, "atk-nlb", { listen: 9095, target: 9095 }).arn, port: 9095, protocol: "TCP", forward: tg.arn });
  }, { source: SRC.internet, port: PORT.grpc }),
  edge("aws-listener", "NLB UDP listener on the gossip port", (s) => {
    const tg = targetGroup(s, "atk-tg", 7946, "UDP");
    binding(s, "atk-tgb", tg.arn, "mimir-gossip-ring", 7946);
    listener(s, "atk-listener", { loadBalancerArn: nlb(s, "atk-nlb", { listen: 7946, target: 7946, protocol: "udp" }).arn, port: 7946, protocol: "UDP", forward: tg.arn });
  }, { source: SRC.internet, port: PORT.gossip }),
  edge("aws-listener", "NLB TLS 443 with a good policy still forwards to grpc", (s) => {
    const tg = targetGroup(s, "atk-tg", 9095, "TCP");
    binding(s, "atk-tgb", tg.arn, "mimir-ingester", "grpc");
    listener(s, "atk-listener", { loadBalancerArn: nlb(s, "atk-nlb", { listen: 443, target: 9095 }).arn, port: 443, protocol: "TLS", sslPolicy: TLS_POLICY, certificateArn: CERT, forward: tg.arn });
  }, { source: SRC.internet, port: PORT.grpc }),
  edge("aws-listener", "escape hatch turns the port-80 redirect into a forward to Mimir", (s) => {
    parts(s).redirect!.addOverride("default_action", [{ type: "forward", target_group_arn: parts(s).tg.arn }]);
  }, { source: SRC.internet, port: PORT.http, at: /aws_lb_listener\.edge_load-balancer_http-redirect|http-redirect/, also: [/\b80\b/] }),
  edge("aws-listener", "escape hatch on the TLS listener forwards to a grpc target group", (s) => {
    albCanReach(s, 9095);
    const tg = grpcTargets(s, "mimir-querier");
    parts(s).https.addOverride("default_action", [{ type: "forward", target_group_arn: tg.arn }]);
  }, { source: SRC.internet, port: PORT.grpc }),
  edge("aws-listener", "NLB TCP 80 to the gateway's http port by number", (s) => {
    const tg = targetGroup(s, "atk-tg", 8080, "TCP");
    binding(s, "atk-tgb", tg.arn, "mimir-gateway", 8080);
    listener(s, "atk-listener", { loadBalancerArn: nlb(s, "atk-nlb", { listen: 80, target: 8080 }).arn, port: 80, protocol: "TCP", forward: tg.arn });
  }, { source: SRC.internet, port: PORT.http }),
  edge("aws-listener", "aws_alb / aws_alb_listener aliases: TCP 443 without TLS to http", (s) => {
    const lb = new Alb(s, "atk-alb", { name: "atk-alb", loadBalancerType: "network", subnets: parts(s).subnets, securityGroups: [nlbGroup(s, "atk-alb", { listen: 443, target: 8080 })] });
    const tg = new AlbTargetGroup(s, "atk-tg", { name: "atk-tg", port: 8080, protocol: "TCP", targetType: "ip", vpcId: parts(s).vpcId });
    binding(s, "atk-tgb", tg.arn, "mimir-gateway", "http-metrics");
    new AlbListener(s, "atk-listener", { loadBalancerArn: lb.arn, port: 443, protocol: "TCP", defaultAction: [{ type: "forward", targetGroupArn: tg.arn }] });
  }, { source: SRC.internet, port: PORT.http }),
];

export const LISTENER_RULES: SynthCase[] = [
  edge("aws-listener-rule", "rule on the TLS listener forwards /ingester/* to grpc", (s) => {
    albCanReach(s, 9095);
    const tg = grpcTargets(s);
    new LbListenerRule(s, "atk-rule", { listenerArn: parts(s).https.arn, priority: 10, condition: [{ pathPattern: { values: ["/ingester/*"] } }], action: [{ type: "forward", targetGroupArn: tg.arn }] });
  }, { source: SRC.internet, port: PORT.grpc }),
  edge("aws-listener-rule", "weighted forward sends 10% to grpc", (s) => {
    albCanReach(s, 9095);
    const tg = grpcTargets(s, "mimir-distributor");
    new LbListenerRule(s, "atk-rule", {
      listenerArn: parts(s).https.arn,
      priority: 11,
      condition: [{ pathPattern: { values: ["/api/v1/push"] } }],
      action: [{ type: "forward", forward: { targetGroup: [{ arn: parts(s).tg.arn, weight: 90 }, { arn: tg.arn, weight: 10 }] } }],
    });
  }, { source: SRC.internet, port: PORT.grpc }),
  edge("aws-listener-rule", "rule on the port-80 listener forwards instead of redirecting", (s) => {
    new LbListenerRule(s, "atk-rule", { listenerArn: parts(s).redirect!.arn, priority: 5, condition: [{ pathPattern: { values: ["/api/v1/push"] } }], action: [{ type: "forward", targetGroupArn: parts(s).tg.arn }] });
  }, { source: SRC.internet, port: PORT.http, also: [/\b80\b|HTTP\b/] }),
  edge("aws-listener-rule", "redirect to another port lands on a plain listener that forwards to Mimir", (s) => {
    openLbSg(s, "atk-open", 8081);
    listener(s, "atk-plain", { loadBalancerArn: parts(s).lb.arn, port: 8081, protocol: "HTTP", forward: parts(s).tg.arn });
    new LbListenerRule(s, "atk-rule", { listenerArn: parts(s).redirect!.arn, priority: 6, condition: [{ pathPattern: { values: ["/*"] } }], action: [{ type: "redirect", redirect: { port: "8081", protocol: "HTTP", statusCode: "HTTP_302" } }] });
  }, { source: SRC.internet, port: PORT.http, also: [/\b8081\b/] }),
  edge("aws-listener-rule", "host-header rule forwards to the gossip ring", (s) => {
    albCanReach(s, 7946);
    const tg = targetGroup(s, "atk-tg", 7946, "HTTP");
    binding(s, "atk-tgb", tg.arn, "mimir-gossip-ring", "gossip-ring");
    new LbListenerRule(s, "atk-rule", { listenerArn: parts(s).https.arn, priority: 12, condition: [{ hostHeader: { values: ["debug.example.com"] } }], action: [{ type: "forward", targetGroupArn: tg.arn }] });
  }, { source: SRC.internet, port: PORT.gossip }),
  edge("aws-listener-rule", "rule forwards to an instance target group of Mimir nodes on grpc", (s) => {
    albCanReach(s, 9095);
    const tg = targetGroup(s, "atk-tg", 9095, "HTTP", "instance");
    tg.addOverride("protocol_version", "GRPC");
    new LbTargetGroupAttachment(s, "atk-attach", { targetGroupArn: tg.arn, targetId: mimirNode(s).id, port: 9095 });
    new LbListenerRule(s, "atk-rule", { listenerArn: parts(s).https.arn, priority: 13, condition: [{ pathPattern: { values: ["/grpc/*"] } }], action: [{ type: "forward", targetGroupArn: tg.arn }] });
  }, { source: SRC.internet, port: PORT.grpc }),
];

export const TARGET_GROUPS: SynthCase[] = [
  edge("aws-target-group", "target group on port 443 whose binding registers the ingesters' grpc", (s) => {
    const tg = targetGroup(s, "atk-tg", 443, "TCP");
    binding(s, "atk-tgb", tg.arn, "mimir-ingester", "grpc");
    listener(s, "atk-listener", { loadBalancerArn: nlb(s, "atk-nlb", { listen: 443, target: 9095 }).arn, port: 443, protocol: "TLS", sslPolicy: TLS_POLICY, certificateArn: CERT, forward: tg.arn });
  }, { source: SRC.internet, port: PORT.grpc }),
  edge("aws-target-group", "target group on 8080 but the binding's service port is grpc (by number)", (s) => {
    const tg = targetGroup(s, "atk-tg", 8080, "TCP");
    binding(s, "atk-tgb", tg.arn, "mimir-distributor", 9095);
    listener(s, "atk-listener", { loadBalancerArn: nlb(s, "atk-nlb", { listen: 443, target: 9095 }).arn, port: 443, protocol: "TLS", sslPolicy: TLS_POLICY, certificateArn: CERT, forward: tg.arn });
  }, { source: SRC.internet, port: PORT.grpc }),
  edge("aws-target-group", "target_type instance: Mimir nodes registered on the gossip port", (s) => {
    const tg = targetGroup(s, "atk-tg", 7946, "TCP", "instance");
    new LbTargetGroupAttachment(s, "atk-attach", { targetGroupArn: tg.arn, targetId: mimirNode(s).id });
    listener(s, "atk-listener", { loadBalancerArn: nlb(s, "atk-nlb", { listen: 443, target: 7946 }).arn, port: 443, protocol: "TCP", forward: tg.arn });
  }, { source: SRC.internet, port: PORT.gossip }),
  edge("aws-target-group", "target group on the bundled Kafka (a neighbour port on Mimir pods)", (s) => {
    const tg = targetGroup(s, "atk-tg", 9092, "TCP");
    binding(s, "atk-tgb", tg.arn, "mimir-kafka", 9092);
    listener(s, "atk-listener", { loadBalancerArn: nlb(s, "atk-nlb", { listen: 443, target: 9092 }).arn, port: 443, protocol: "TLS", sslPolicy: TLS_POLICY, certificateArn: CERT, forward: tg.arn });
  }, { source: SRC.internet, port: PORT.kafka }),
];

export const TARGET_REGISTRATION: SynthCase[] = [
  edge("aws-target-registration", "escape hatch repoints Mimir's own TargetGroupBinding at the ingesters' grpc", (s) => {
    albCanReach(s, 9095);
    parts(s).binding!.addOverride("manifest.spec.serviceRef", { name: "mimir-ingester", port: "grpc" });
  }, { source: SRC.internet, port: PORT.grpc, at: /kubernetes_manifest\.edge_target-group-binding|target-group-binding/ }),
  edge("aws-target-registration", "TargetGroupBinding networking opens grpc to 0.0.0.0/0", (s) => {
    binding(s, "atk-tgb", parts(s).tg.arn, "mimir-gateway", "http-metrics", "mimir", {
      networking: { ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 9095 }] }] },
    });
  }, { source: SRC.internet, port: PORT.grpc }),
  edge("aws-target-registration", "aws_lb_target_group_attachment registers a Mimir node on grpc", (s) => {
    const tg = targetGroup(s, "atk-tg", 9095, "TCP", "instance");
    new LbTargetGroupAttachment(s, "atk-attach", { targetGroupArn: tg.arn, targetId: mimirNode(s).id, port: 9095 });
    listener(s, "atk-listener", { loadBalancerArn: nlb(s, "atk-nlb", { listen: 443, target: 9095 }).arn, port: 443, protocol: "TLS", sslPolicy: TLS_POLICY, certificateArn: CERT, forward: tg.arn });
  }, { source: SRC.internet, port: PORT.grpc }),
  edge("aws-target-registration", "aws_alb_target_group_attachment alias registers a Mimir node on memberlist", (s) => {
    const tg = new AlbTargetGroup(s, "atk-tg", { name: "atk-tg", port: 7946, protocol: "TCP", targetType: "instance", vpcId: parts(s).vpcId });
    new AlbTargetGroupAttachment(s, "atk-attach", { targetGroupArn: tg.arn, targetId: mimirNode(s).id, port: 7946 });
    listener(s, "atk-listener", { loadBalancerArn: nlb(s, "atk-nlb", { listen: 443, target: 7946 }).arn, port: 443, protocol: "TCP", forward: tg.arn });
  }, { source: SRC.internet, port: PORT.gossip }),
];

export const SECURITY_GROUPS: SynthCase[] = [
  edge("aws-sg", "inline ingress block added to the members group by escape hatch", (s) => inlineOnMembers(s, { from_port: 8080, to_port: 8080, protocol: "tcp", cidr_blocks: ["0.0.0.0/0"] }), { source: SRC.internet, port: PORT.http, at: MEMBERS }),
  edge("aws-sg", "aws_security_group_rule opens grpc to 0.0.0.0/0", (s) => legacy(s, "atk-rule", { protocol: "tcp", fromPort: 9095, toPort: 9095, cidrBlocks: ["0.0.0.0/0"] }), { source: SRC.internet, port: PORT.grpc, also: [CRITICAL] }),
  edge("aws-sg", "aws_vpc_security_group_ingress_rule opens memberlist to ::/0", (s) => ingress(s, "atk-rule", { ipProtocol: "tcp", fromPort: 7946, toPort: 7946, cidrIpv6: "::/0" }), { source: SRC.internet, port: PORT.gossip, also: [CRITICAL] }),
  edge("aws-sg", "IPv6 ::/0 through a port range 7000-10000", (s) => legacy(s, "atk-rule", { protocol: "tcp", fromPort: 7000, toPort: 10000, ipv6CidrBlocks: ["::/0"] }), { source: SRC.internet, port: PORT.any }),
  edge("aws-sg", "prefix list (unreviewed sources) on http", (s) => ingress(s, "atk-rule", { ipProtocol: "tcp", fromPort: 8080, toPort: 8080, prefixListId: "pl-0123456789abcdef0" }), { source: /pl-0123456789abcdef0/, port: PORT.http }),
  edge("aws-sg", "managed prefix list in the stack whose entry is 0.0.0.0/0", (s) => {
    const pl = new Ec2ManagedPrefixList(s, "atk-pl", { name: "atk-pl", addressFamily: "IPv4", maxEntries: 1, entry: [{ cidr: "0.0.0.0/0", description: "all" }] });
    ingress(s, "atk-rule", { ipProtocol: "tcp", fromPort: 9095, toPort: 9095, prefixListId: pl.id });
  }, { source: /0\.0\.0\.0\/0|anywhere|internet/i, port: PORT.grpc, also: [CRITICAL] }),
  edge("aws-sg", "referenced group that is not a Mimir member reaches grpc", (s) => ingress(s, "atk-rule", { ipProtocol: "tcp", fromPort: 9095, toPort: 9095, referencedSecurityGroupId: "sg-0badc0ffee0000001" }), { source: /sg-0badc0ffee0000001/, port: PORT.grpc }),
  edge("aws-sg", "inline block with self AND a world CIDR", (s) => inlineOnMembers(s, { from_port: 9095, to_port: 9095, protocol: "tcp", self: true, cidr_blocks: ["0.0.0.0/0"] }), { source: SRC.internet, port: PORT.grpc, at: MEMBERS }),
  edge("aws-sg", "port range 1024-65535 from a private CIDR covers every Mimir port", (s) => ingress(s, "atk-rule", { ipProtocol: "tcp", fromPort: 1024, toPort: 65535, cidrIpv4: "10.0.0.0/8" }), { source: /10\.0\.0\.0\/8/, port: PORT.any }),
  edge("aws-sg", "protocol -1 from 0.0.0.0/0", (s) => ingress(s, "atk-rule", { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }), { source: SRC.internet, port: PORT.any, also: [CRITICAL] }),
  edge("aws-sg", "protocol \"all\" on a legacy rule", (s) => legacy(s, "atk-rule", { protocol: "all", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }), { source: SRC.internet, port: PORT.any }),
  edge("aws-sg", "protocol number 6 (tcp) on http", (s) => legacy(s, "atk-rule", { protocol: "6", fromPort: 8080, toPort: 8080, cidrBlocks: ["0.0.0.0/0"] }), { source: SRC.internet, port: PORT.http }),
  edge("aws-sg", "0.0.0.0/1 + 128.0.0.0/1 in two rules are the internet", (s) => {
    ingress(s, "atk-low", { ipProtocol: "tcp", fromPort: 8080, toPort: 8080, cidrIpv4: "0.0.0.0/1" });
    ingress(s, "atk-high", { ipProtocol: "tcp", fromPort: 8080, toPort: 8080, cidrIpv4: "128.0.0.0/1" });
  }, { source: SRC.internetSet, port: PORT.http, also: [CRITICAL] }),
  edge("aws-sg", "::/1 + 8000::/1 in one rule are the IPv6 internet", (s) => legacy(s, "atk-rule", { protocol: "tcp", fromPort: 9095, toPort: 9095, ipv6CidrBlocks: ["::/1", "8000::/1"] }), { source: SRC.internetSet, port: PORT.grpc, also: [CRITICAL] }),
  edge("aws-sg", "four /2 blocks inline are the internet", (s) => inlineOnMembers(s, { from_port: 7946, to_port: 7946, protocol: "tcp", cidr_blocks: ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"] }), { source: SRC.internetSet, port: PORT.gossip, at: MEMBERS, also: [CRITICAL] }),
  edge("aws-sg", "all TCP ports 0-65535 from the world", (s) => legacy(s, "atk-rule", { protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }), { source: SRC.internet, port: PORT.any, also: [CRITICAL] }),
  edge("aws-sg", "another group open to the world, attached to a Mimir node", (s) => {
    const open = new SecurityGroup(s, "atk-sg", { name: "atk-sg", vpcId: parts(s).vpcId, ingress: [{ fromPort: 8080, toPort: 8080, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], description: "debug" }] });
    new Instance(s, "atk-node", { ami: "ami-0123456789abcdef0", instanceType: "m7g.large", vpcSecurityGroupIds: [parts(s).members.id, open.id] });
  }, { source: SRC.internet, port: PORT.http }),
];

export const AWS_EXPOSURES: SynthCase[] = [...LISTENERS, ...LISTENER_RULES, ...TARGET_GROUPS, ...TARGET_REGISTRATION, ...SECURITY_GROUPS];
