/**
 * Building blocks for attacker and neighbour resources: raw provider classes
 * by deep import, as a user of the library would write them. Every attacker
 * construct id starts with `atk` (the suite expects it in the finding), and
 * no id names a port (so a finding's port must come from the engine).
 */
import type { TerraformStack } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener, type LbListenerConfig } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { MimirTargetGroupBinding } from "../../modules/aws/target-registration";
import { mimirStackOf } from "./harness";

export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
export const CERT = "arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000000";
export const MIMIR_NS = "mimir";

/** The chart's pod labels (release "mimir"). */
export const mimirPods = (component: string): Record<string, string> => ({ "app.kubernetes.io/name": "mimir", "app.kubernetes.io/instance": "mimir", "app.kubernetes.io/component": component });
export const ringMembers = { "app.kubernetes.io/name": "mimir", "app.kubernetes.io/instance": "mimir", "app.kubernetes.io/part-of": "memberlist" };

export const parts = (s: TerraformStack) => {
  const m = mimirStackOf(s);
  return {
    stack: m,
    members: m.edge.securityGroups.membersGroup!,
    lbSg: m.edge.securityGroups.loadBalancer,
    lb: m.edge.loadBalancer.lb,
    tg: m.edge.loadBalancer.targetGroup,
    https: m.edge.loadBalancer.httpsListener,
    redirect: m.edge.loadBalancer.redirectListener,
    binding: (m.edge.node.tryFindChild("target-group-binding") as MimirTargetGroupBinding | undefined)?.manifest,
    helm: m.helm?.release,
    vpcId: m.inputs.vpcId,
    subnets: m.inputs.subnetIds,
  };
};

/**
 * A network load balancer with its own security group, open to the world on
 * `listen`. With `target`, Mimir's members group admits it on that port, so
 * every hop of the path is allowed by a rule the model can see (an engine that
 * evaluates security groups and one that does not must both find the path).
 */
export function nlb(s: TerraformStack, id: string, opts: { listen: number; target?: number; internal?: boolean; protocol?: "tcp" | "udp" }): Lb {
  return new Lb(s, id, { name: `${id}-nlb`, loadBalancerType: "network", internal: opts.internal ?? false, subnets: parts(s).subnets, securityGroups: [nlbGroup(s, id, opts)] });
}

/** The security group of such a network load balancer (and the members' rule admitting it); returns its id. */
export function nlbGroup(s: TerraformStack, id: string, opts: { listen: number; target?: number; internal?: boolean; protocol?: "tcp" | "udp" }): string {
  const p = parts(s);
  const protocol = opts.protocol ?? "tcp";
  const sg = new SecurityGroup(s, `${id}-sg`, {
    name: `${id}-sg`,
    vpcId: p.vpcId,
    ingress: [{ fromPort: opts.listen, toPort: opts.listen, protocol, cidrBlocks: [opts.internal ? "10.0.0.0/16" : "0.0.0.0/0"], description: "clients" }],
    egress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["10.0.0.0/16"], description: "to targets" }],
  });
  if (opts.target !== undefined) {
    new VpcSecurityGroupIngressRule(s, `${id}-to-members`, { securityGroupId: p.members.id, ipProtocol: protocol, fromPort: opts.target, toPort: opts.target, referencedSecurityGroupId: sg.id, description: "from the nlb" });
  }
  return sg.id;
}

/** Lets Mimir's own ALB reach the members on `port` (its group's egress and the members' ingress). */
export function albCanReach(s: TerraformStack, port: number): void {
  const p = parts(s);
  new VpcSecurityGroupEgressRule(s, "atk-lb-egress", { securityGroupId: p.lbSg.id, ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: p.members.id, description: "to targets" });
  new VpcSecurityGroupIngressRule(s, "atk-members-from-lb", { securityGroupId: p.members.id, ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: p.lbSg.id, description: "from the load balancer" });
}

export function targetGroup(s: TerraformStack, id: string, port: number, protocol: string, targetType = "ip"): LbTargetGroup {
  return new LbTargetGroup(s, id, { name: id, port, protocol, targetType, vpcId: parts(s).vpcId, healthCheck: protocol.startsWith("HTTP") ? { path: "/ready" } : undefined });
}

export function listener(s: TerraformStack, id: string, config: Omit<LbListenerConfig, "defaultAction"> & { forward?: string }): LbListener {
  const { forward, ...rest } = config;
  return new LbListener(s, id, { ...rest, defaultAction: [{ type: "forward", targetGroupArn: forward }] });
}

/** The AWS Load Balancer Controller's TargetGroupBinding, as a user writes it (kubernetes_manifest). */
export function binding(s: TerraformStack, id: string, targetGroupArn: string, service: string, port: string | number, namespace = MIMIR_NS, extra: Record<string, unknown> = {}): Manifest {
  return new Manifest(s, id, {
    manifest: {
      apiVersion: "elbv2.k8s.aws/v1beta1",
      kind: "TargetGroupBinding",
      metadata: { name: id, namespace },
      spec: { targetGroupARN: targetGroupArn, targetType: "ip", serviceRef: { name: service, port }, ...extra },
    },
  });
}

/** Opens a port on Mimir's load balancer security group to the internet (so a new listener is reachable). */
export function openLbSg(s: TerraformStack, id: string, port: number): void {
  new VpcSecurityGroupIngressRule(s, id, { securityGroupId: parts(s).lbSg.id, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0", description: "clients" });
}

export function manifest(s: TerraformStack, id: string, body: Record<string, unknown>): Manifest {
  return new Manifest(s, id, { manifest: body });
}

/** A container spec as the chart's Mimir containers declare their ports. */
export function mimirContainer(component: string, extraPort: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: component,
    image: "grafana/mimir:3.0.0",
    args: [`-target=${component}`],
    ports: [
      { name: "http-metrics", containerPort: 8080, protocol: "TCP" },
      { name: "grpc", containerPort: 9095, protocol: "TCP" },
      { name: "memberlist", containerPort: 7946, protocol: "TCP" },
    ].map((p) => (Object.keys(extraPort).length > 0 && p.name === extraPort.name ? { ...p, ...extraPort } : p)),
  };
}

/** Every public HTTPRoute of the entry (one per API group) as SecurityPolicy targetRefs. */
export function entryRouteRefs(s: TerraformStack): Array<{ group: string; kind: string; name: string }> {
  return parts(s).stack.node.findAll()
    .map((x) => (x as { manifestInput?: Record<string, any> }).manifestInput)
    .filter((m): m is Record<string, any> => m?.kind === "HTTPRoute")
    .map((m) => ({ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: String(m.metadata.name) }));
}
