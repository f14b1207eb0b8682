/**
 * Issue 30 item 7: acceptance is a fingerprint only. Reason text means nothing; the auth-none kind is the
 * environment's own `auth.mode: none`, fingerprinted by scheme, sources and listener; CIDRs that together cover
 * every unicast IPv4 address (0.0.0.0/0 less 224.0.0.0/3) or every global unicast IPv6 address (2000::/3) are the
 * internet.
 */
import { App } from "cdktf";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { MimirStack } from "../../../modules/stack/mimir-stack";
import { CERT, TLS_POLICY } from "../attack";
import { CRITICAL, PORT } from "../expectations";
import { baseEnvironment, EDGE_MTLS, type Base } from "../harness";
import { env } from "../../helpers";
import type { AppCase } from "./policyscope";

function mimirApp(base: Base, overrides: Record<string, unknown>, add: (s: MimirStack) => void = () => undefined): (app: App) => MimirStack[] {
  return (app) => {
    const s = new MimirStack(app, { environment: baseEnvironment(base, overrides) });
    add(s);
    return [s];
  };
}

const lbOf = (overrides: Record<string, unknown>) => ({ loadBalancer: { ...(env().loadBalancer as Record<string, unknown>), ...overrides } });
const internetFacing = (allowedCidrs: readonly string[]) => lbOf({ scheme: "internet-facing", allowedCidrs });
const members = (s: MimirStack) => s.edge.securityGroups.members.id;
const lbGroup = (s: MimirStack) => s.edge.securityGroups.loadBalancer.id;
const ingress = (s: MimirStack, id: string, group: string, cidr: string, port: number) =>
  new VpcSecurityGroupIngressRule(s, id, { securityGroupId: group, ipProtocol: "tcp", fromPort: port, toPort: port, ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }), description: "clients" });
/** A second TLS listener on Mimir's load balancer forwarding to Mimir's target group (no client authentication). */
const secondListener = (s: MimirStack) => {
  ingress(s, "atk-open", lbGroup(s), "10.0.0.0/16", 8443);
  new LbListener(s, "atk-listener", { loadBalancerArn: s.edge.loadBalancer.lb.arn, port: 8443, protocol: "HTTPS", certificateArn: CERT, sslPolicy: TLS_POLICY, defaultAction: [{ type: "forward", targetGroupArn: s.edge.loadBalancer.targetGroup.arn }] });
};
const UNICAST_V4 = ["0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/3"];
const AT_HTTPS = /adv\/edge\/load-balancer\/https|atk/;

export const ACCEPTANCE_EXPOSURES: AppCase[] = [
  {
    class: "acceptance-text",
    name: "an acknowledgement whose reason starts with 'auth.mode none:' in a mutual-TLS environment accepts nothing",
    build: mimirApp("internal", { auth: EDGE_MTLS, acknowledgements: [{ rule: "MP018", resource: "adv", reason: "auth.mode none: the VPN is enough" }] }, secondListener),
    expect: { rule: /MP018/, source: /10\.0\.0\.0\/16/, port: /8443/, also: [/does not record what it accepts/] },
  },
  {
    class: "acceptance-auth-none",
    name: "auth.mode none decided on the internal load balancer does not follow an escape hatch to internet-facing",
    build: mimirApp("internal", {}, (s) => void s.edge.loadBalancer.lb.addOverride("internal", false)),
    expect: { rule: /MP018/, source: /10\.0\.0\.0\/16/, port: /443/, at: AT_HTTPS, also: [CRITICAL] },
    says: [/auth\.mode none was decided for error from 10\.0\.0\.0\/16, internal, via listener HTTPS 443, now critical from 10\.0\.0\.0\/16, internet-facing/, /internal → internet-facing/],
  },
  {
    class: "acceptance-auth-none",
    name: "auth.mode none does not cover a wider source added to the load balancer's group (10.0.0.0/8)",
    build: mimirApp("internal", {}, (s) => void ingress(s, "atk-wider", lbGroup(s), "10.0.0.0/8", 443)),
    expect: { rule: /MP018/, source: /10\.0\.0\.0\/8/, port: /443/, at: AT_HTTPS },
    says: [/auth\.mode none was decided for .*new source 10\.0\.0\.0\/8/],
  },
  {
    class: "acceptance-auth-none",
    name: "auth.mode none does not cover another listener on the load balancer",
    build: mimirApp("internal", {}, secondListener),
    expect: { rule: /MP018/, source: /10\.0\.0\.0\/16/, port: /8443/ },
    says: [/new listener\/route\/hop listener HTTPS 8443/],
  },
  {
    class: "acceptance-internet",
    name: "auth.mode none does not cover an internet-facing load balancer open to 0.0.0.0/1 + 128.0.0.0/2 + 192.0.0.0/3 (every unicast address)",
    build: mimirApp("internal", internetFacing(UNICAST_V4)),
    expect: { rule: /MP018/, source: /0\.0\.0\.0\/1/, port: /443/, at: AT_HTTPS, also: [CRITICAL] },
    says: [/auth\.mode none's reason covers only MP018 on internal or allowed sources, not this critical finding from the internet/],
  },
  {
    class: "acceptance-internet",
    name: "auth.mode none does not cover an internet-facing load balancer open to 2000::/3 (every global unicast IPv6 address)",
    build: mimirApp("internal", internetFacing(["2000::/3"])),
    expect: { rule: /MP018/, source: /2000::\/3/, port: /443/, at: AT_HTTPS, also: [CRITICAL] },
    says: [/not this critical finding from the internet/],
  },
  {
    class: "acceptance-internet",
    name: "grpc on the members group to 0.0.0.0/1 + 128.0.0.0/2 + 192.0.0.0/3 is the internet (critical)",
    build: mimirApp("internal", {}, (s) => UNICAST_V4.forEach((c, i) => ingress(s, `atk-unicast-${i}`, members(s), c, 9095))),
    expect: { rule: /MP001/, source: /whole internet|0\.0\.0\.0\/1/, port: PORT.grpc, also: [CRITICAL] },
  },
  {
    class: "acceptance-internet",
    name: "memberlist on the members group to 2000::/4 + 3000::/4 is the internet (critical)",
    build: mimirApp("internal", {}, (s) => ["2000::/4", "3000::/4"].forEach((c, i) => ingress(s, `atk-global-${i}`, members(s), c, 7946))),
    expect: { rule: /MP001/, source: /whole internet|2000::\/4/, port: PORT.gossip, also: [CRITICAL] },
  },
];

export const ACCEPTANCE_NEIGHBOURS: AppCase[] = [
  {
    class: "acceptance-neighbour",
    name: "auth.mode none holds on an internet-facing load balancer open to 0.0.0.0/1 + 128.0.0.0/2 (not every unicast address)",
    build: mimirApp("internal", internetFacing(["0.0.0.0/1", "128.0.0.0/2"])),
  },
  {
    class: "acceptance-neighbour",
    name: "auth.mode none holds for narrower sources added to the load balancer's group (10.0.5.0/24 within 10.0.0.0/16)",
    build: mimirApp("internal", {}, (s) => void ingress(s, "vpn", lbGroup(s), "10.0.5.0/24", 443)),
  },
];
