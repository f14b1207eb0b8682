/**
 * Issue 20 items 6-8: the policy runs in plain stacks that reference a Mimir
 * stack's resources (cdktf cross-stack references); acknowledgements are bound
 * to the fingerprint of what was accepted (a material change voids them);
 * "CIDRs that together cover the internet" is judged per port.
 *
 * Each case builds a whole App (one or more stacks) and may first synthesize an
 * "accepted" variant to copy the acknowledgement synth prints, as a user would.
 */
import { App, TerraformStack, Testing } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { MimirStack } from "../../../modules/stack/mimir-stack";
import { listener, mimirPods } from "../attack";
import { CRITICAL, PORT, SRC } from "../expectations";
import { baseEnvironment, EDGE_AUTH_ACKNOWLEDGEMENT, type Base, type Expect } from "../harness";
import { env } from "../../helpers";

export interface AppCase {
  readonly class: string;
  readonly name: string;
  /** Builds the app's stacks (the first is the Mimir stack). */
  readonly build: (app: App) => TerraformStack[];
  /** Refused at synth and by check, naming this; omitted when the app must pass both. */
  readonly expect?: Expect;
  /** Said by both synth's refusal and check. */
  readonly says?: readonly RegExp[];
  /** Never said by the finding (e.g. that a port's CIDRs are the internet). */
  readonly never?: readonly RegExp[];
}

export const newApp = (): App => Testing.app({ enableFutureFlags: false });

/** A Mimir stack on `base` plus a plain consumer stack built by `consume`. */
function withConsumer(base: Base, consume: (consumer: TerraformStack, mimir: MimirStack) => void): (app: App) => TerraformStack[] {
  return (app) => {
    const mimir = new MimirStack(app, { environment: baseEnvironment(base) });
    const consumer = new TerraformStack(app as Construct, "consumer");
    new AwsProvider(consumer, "aws", { region: "eu-west-1" });
    consume(consumer, mimir);
    return [mimir, consumer];
  };
}

/** Synthesize, expecting a refusal; returns the acknowledgements synth printed for the findings whose line matches `pick`. */
export function printedAcknowledgements(build: (app: App) => unknown, pick: RegExp): Array<Record<string, unknown>> {
  const app = newApp();
  build(app);
  try {
    app.synth();
  } catch (err) {
    const lines = (err as Error).message.split("\n").filter((l) => pick.test(l));
    return lines.flatMap((l) => {
      const m = /To accept exactly this: acknowledgements: (\[.*\])\s*$/.exec(l);
      return m ? (JSON.parse(m[1]) as Array<Record<string, unknown>>).map((a) => ({ ...a, reason: "accepted in review, ticket OPS-20" })) : [];
    });
  }
  throw new Error("synth passed; expected a refusal to copy the acknowledgement from");
}

/** A Mimir stack on `base` with environment overrides, then `add` on it. */
function mimirApp(base: Base, env: () => Record<string, unknown>, add: (s: MimirStack) => void): (app: App) => TerraformStack[] {
  return (app) => {
    const s = new MimirStack(app, { environment: baseEnvironment(base, env()) });
    add(s);
    return [s];
  };
}

const members = (s: MimirStack) => s.edge.securityGroups.members.id;
const ingress = (s: TerraformStack, id: string, group: string, cidr: string, from: number, to = from) =>
  new VpcSecurityGroupIngressRule(s, id, { securityGroupId: group, ipProtocol: "tcp", fromPort: from, toPort: to, cidrIpv4: cidr, description: "debug access" });

// ---- item 6: plain stacks that reference Mimir's resources ----------------------------------------------------------

export const PLAIN_STACK_EXPOSURES: AppCase[] = [
  {
    class: "plain-stack",
    name: "a plain stack opens grpc on the Mimir stack's members group to the internet",
    build: withConsumer("internal", (c, m) => void ingress(c, "atk-rule", members(m), "0.0.0.0/0", 9095)),
    expect: { source: SRC.internet, port: PORT.grpc, also: [CRITICAL, /consumer/] },
  },
  {
    class: "plain-stack",
    name: "a plain stack opens memberlist on the members group to a VPC CIDR (legacy aws_security_group_rule)",
    build: withConsumer("internal", (c, m) => void new SecurityGroupRule(c, "atk-legacy", { type: "ingress", securityGroupId: members(m), protocol: "tcp", fromPort: 7946, toPort: 7946, cidrBlocks: ["10.20.0.0/16"] })),
    expect: { source: /10\.20\.0\.0\/16/, port: PORT.gossip },
  },
  {
    class: "plain-stack",
    name: "a plain stack adds a TCP listener on the Mimir load balancer forwarding to Mimir's target group",
    build: withConsumer("edge", (c, m) => {
      listener(c, "atk-listener", { loadBalancerArn: m.edge.loadBalancer.lb.arn, port: 443, protocol: "TCP", forward: m.edge.loadBalancer.targetGroup.arn });
    }),
    expect: { source: SRC.internet, port: PORT.http },
  },
  {
    class: "plain-stack",
    name: "a plain stack puts a LoadBalancer Service in Mimir's namespace onto the ingesters' grpc",
    build: withConsumer("internal", (c, m) => {
      new KubernetesProvider(c, "kubernetes", {});
      new ServiceV1(c, "atk-svc", { metadata: { name: "atk-svc", namespace: m.kubernetes.namespace }, spec: { type: "LoadBalancer", selector: mimirPods("ingester"), port: [{ name: "api", port: 443, targetPort: "grpc" }] } });
    }),
    expect: { source: SRC.loadBalancerService, port: PORT.grpc },
  },
];

export const PLAIN_STACK_NEIGHBOURS: AppCase[] = [
  {
    class: "plain-stack-neighbour",
    name: "a DNS stack that references only the Mimir load balancer's DNS name",
    build: withConsumer("edge-np", (c, m) => void new Route53Record(c, "dns", { zoneId: "Z0123456789ABCDEFGHIJ", name: "metrics.example.com", type: "CNAME", ttl: 300, records: [m.edge.loadBalancer.lb.dnsName] })),
  },
  {
    class: "plain-stack-neighbour",
    name: "a plain stack that references nothing of Mimir's, with its own group open on 8080",
    build: withConsumer("edge-np", (c) => {
      const { SecurityGroup } = require("@cdktf/provider-aws/lib/security-group") as typeof import("@cdktf/provider-aws/lib/security-group");
      const g = new SecurityGroup(c, "shop", { name: "shop", vpcId: "vpc-0123456789abcdef0" });
      ingress(c, "shop-http", g.id, "0.0.0.0/0", 8080);
    }),
  },
];

// ---- item 7: acknowledgements bound to what was accepted -------------------------------------------------------------

/** Accept the finding of `accepted` (copied from synth), then build `now` with that acknowledgement. */
function voided(name: string, base: Base, accepted: (s: MimirStack) => void, now: (s: MimirStack) => void, pick: RegExp, expect: Expect, extraEnv: Record<string, unknown> = {}, nowEnv: Record<string, unknown> = {}, says: readonly RegExp[] = []): AppCase {
  let acks: Array<Record<string, unknown>> | undefined;
  const baseAcks = base === "internal" ? [] : [EDGE_AUTH_ACKNOWLEDGEMENT];
  const copy = () => (acks ??= printedAcknowledgements(mimirApp(base, () => ({ acknowledgements: baseAcks, ...extraEnv }), accepted), pick));
  return {
    class: "voided-acknowledgement",
    name,
    build: mimirApp(base, () => ({ acknowledgements: [...baseAcks, ...copy()], ...extraEnv, ...nowEnv }), now),
    expect,
    says: [/acknowledgement no longer matches: accepted .*, now /, ...says],
  };
}

/** The accepted variant alone passes with the copied acknowledgement (the copy is what a user pastes). */
function stillAccepted(name: string, base: Base, accepted: (s: MimirStack) => void, now: (s: MimirStack) => void, pick: RegExp, extraEnv: Record<string, unknown> = {}, nowEnv: Record<string, unknown> = {}): AppCase {
  let acks: Array<Record<string, unknown>> | undefined;
  const baseAcks = base === "internal" ? [] : [EDGE_AUTH_ACKNOWLEDGEMENT];
  const copy = () => (acks ??= printedAcknowledgements(mimirApp(base, () => ({ acknowledgements: baseAcks, ...extraEnv }), accepted), pick));
  return { class: "acknowledgement-holds", name, build: mimirApp(base, () => ({ acknowledgements: [...baseAcks, ...copy()], ...extraEnv, ...nowEnv }), now) };
}

const nothing = () => undefined;
/** The internal base's load balancer (helpers' env()) with this scheme and these client CIDRs. */
const scheme = (s: "internal" | "internet-facing", allowedCidrs: readonly string[]) => ({ loadBalancer: { ...(env().loadBalancer as Record<string, unknown>), scheme: s, allowedCidrs } });
/** No auth mode chosen: MP018 needs an explicit acknowledgement (auth.mode none's would cover the internal finding). */
const UNAUTHENTICATED = { auth: undefined };
const AUTH_NONE = { auth: { mode: "none", reason: "test fixture: authentication is tested in auth*.test.ts" } };
/** The HTTPS listener's MP018 on the internal load balancer, as accepted (the fingerprint synth printed). */
const ACCEPTED_INTERNAL = /accepted error from 10\.0\.0\.0\/16, internal, via 9 forwarding rules [0-9a-f]{12}, listener HTTPS 443, now /;

const VPN = "10.1.0.0/16";

export const ACKNOWLEDGEMENT_CASES: AppCase[] = [
  voided("a wider CIDR (10.1.0.0/16 accepted, 10.0.0.0/8 now) voids it", "internal", (s) => void ingress(s, "atk-vpn", members(s), VPN, 8080), (s) => void ingress(s, "atk-vpn", members(s), "10.0.0.0/8", 8080), /atk-vpn/, { rule: /MP001/, source: /10\.0\.0\.0\/8/, port: PORT.http, also: [/new source/] }),
  voided("a higher severity (a VPN CIDR accepted, the internet now) voids it", "internal", (s) => void ingress(s, "atk-vpn", members(s), VPN, 8080), (s) => void ingress(s, "atk-vpn", members(s), "0.0.0.0/0", 8080), /atk-vpn/, { rule: /MP001/, source: SRC.internet, port: PORT.http, also: [CRITICAL, /severity error → critical/] }),
  voided("a wider port range (8080 accepted, 8080-9095 now) is a new hop and voids it", "internal", (s) => void ingress(s, "atk-vpn", members(s), VPN, 8080), (s) => void ingress(s, "atk-vpn", members(s), VPN, 8080, 9095), /atk-vpn/, { rule: /MP001/, source: /10\.1\.0\.0\/16/, port: PORT.any, also: [/new listener\/route\/hop/] }),
  {
    class: "voided-acknowledgement",
    name: "a new route on the accepted unauthenticated listener voids the base's acknowledgement",
    // The edge base accepts its HTTPS listener with its forwarding rules (EDGE_AUTH_ACKNOWLEDGEMENT, copied from synth).
    build: mimirApp("edge", () => ({}), (s) => {
      new LbListenerRule(s, "atk-route", { listenerArn: s.edge.loadBalancer.httpsListener.arn, priority: 5, action: [{ type: "forward", targetGroupArn: s.edge.loadBalancer.targetGroup.arn }], condition: [{ pathPattern: { values: ["/api/v1/push"] } }] });
    }),
    expect: { rule: /MP018/, source: /0\.0\.0\.0\/0/, port: /443/, at: /https/, also: [/new listener\/route\/hop 10 forwarding rules/] },
    says: [/acknowledgement no longer matches: accepted critical from 0\.0\.0\.0\/0, internet-facing, via 9 forwarding rules/],
  },
  {
    class: "voided-acknowledgement",
    name: "auth.mode none's reason does not cover a critical MP018 from the internet",
    build: mimirApp("edge", () => ({ acknowledgements: [] }), () => undefined),
    expect: { rule: /MP018/, source: /0\.0\.0\.0\/0/, port: /443/, at: /https/, also: [CRITICAL] },
    says: [/auth\.mode none's reason covers only MP018 on internal or allowed sources/],
  },
  {
    class: "voided-acknowledgement",
    name: "an acknowledgement that does not say what it accepts accepts nothing",
    build: mimirApp("internal", () => ({ acknowledgements: [{ rule: "MP001", resource: "adv", reason: "VPN debugging, ticket OPS-123" }] }), (s) => void ingress(s, "atk-vpn", members(s), VPN, 8080)),
    expect: { rule: /MP001/, source: /10\.1\.0\.0\/16/, port: PORT.http },
    says: [/does not record what it accepts/, /To accept exactly this: acknowledgements: \[\{"rule":"MP001"/],
  },
  stillAccepted("the copied acknowledgement accepts its finding", "internal", (s) => void ingress(s, "atk-vpn", members(s), VPN, 8080), (s) => void ingress(s, "atk-vpn", members(s), VPN, 8080), /atk-vpn/),
  stillAccepted("a narrower CIDR than accepted stays accepted", "internal", (s) => void ingress(s, "atk-vpn", members(s), VPN, 8080), (s) => void ingress(s, "atk-vpn", members(s), "10.1.2.0/24", 8080), /atk-vpn/),
  // internal → internet-facing: an acknowledgement recorded while the load balancer was internal (MP018 error from the
  // allowed CIDRs) does not follow the environment to the internet.
  voided("internal → internet-facing (same CIDRs) voids an acknowledgement recorded on the internal load balancer", "internal", nothing, nothing, /MP018/,
    { rule: /MP018/, source: /10\.0\.0\.0\/16/, port: /443/, at: /https/, also: [CRITICAL, /\(adv\/edge\/load-balancer\/https\)/] },
    { ...UNAUTHENTICATED, ...scheme("internal", ["10.0.0.0/16"]) }, scheme("internet-facing", ["10.0.0.0/16"]),
    [ACCEPTED_INTERNAL, /now critical from 10\.0\.0\.0\/16, internet-facing, via 9 forwarding rules [0-9a-f]{12}, listener HTTPS 443 \(severity error → critical; internal → internet-facing\)/]),
  voided("internal → internet-facing to 0.0.0.0/0 voids it: severity, scheme and the new source", "internal", nothing, nothing, /MP018/,
    { rule: /MP018/, source: /0\.0\.0\.0\/0/, port: /443/, at: /https/, also: [CRITICAL, /\(adv\/edge\/load-balancer\/https\)/] },
    { ...UNAUTHENTICATED, ...scheme("internal", ["10.0.0.0/16"]) }, scheme("internet-facing", ["0.0.0.0/0"]),
    [ACCEPTED_INTERNAL, /now critical from 0\.0\.0\.0\/0, internet-facing, via .* \(severity error → critical; internal → internet-facing; new source 0\.0\.0\.0\/0\)/]),
  voided("internal → internet-facing to 0.0.0.0/0 with auth.mode none: neither the copied acknowledgement nor the mode's reason covers it", "internal", nothing, nothing, /MP018/,
    { rule: /MP018/, source: /0\.0\.0\.0\/0/, port: /443/, at: /https/, also: [CRITICAL] },
    { ...UNAUTHENTICATED, ...scheme("internal", ["10.0.0.0/16"]) }, { ...AUTH_NONE, ...scheme("internet-facing", ["0.0.0.0/0"]) },
    [ACCEPTED_INTERNAL, /\(severity error → critical; internal → internet-facing; new source 0\.0\.0\.0\/0\); auth\.mode none's reason covers only MP018 on internal or allowed sources, not this critical finding from the internet \(critical from 0\.0\.0\.0\/0, internet-facing, via /]),
  stillAccepted("the acknowledgement copied on the internal load balancer holds while nothing material changed", "internal", nothing, nothing, /MP018/, { ...UNAUTHENTICATED, ...scheme("internal", ["10.0.0.0/16"]) }),
  stillAccepted("the acknowledgement copied on the internal load balancer holds for narrower allowed CIDRs (still internal)", "internal", nothing, nothing, /MP018/, { ...UNAUTHENTICATED, ...scheme("internal", ["10.0.0.0/16"]) }, scheme("internal", ["10.0.1.0/24"])),
  {
    class: "acknowledgement-holds",
    name: "auth.mode none covers MP018 on the internal load balancer",
    build: mimirApp("internal", () => ({ ...AUTH_NONE, ...scheme("internal", ["10.0.0.0/16"]) }), nothing),
  },
  {
    class: "voided-acknowledgement",
    name: "auth.mode none recorded on the internal load balancer does not cover it once internet-facing to 0.0.0.0/0",
    build: mimirApp("internal", () => ({ ...AUTH_NONE, ...scheme("internet-facing", ["0.0.0.0/0"]) }), nothing),
    expect: { rule: /MP018/, source: /0\.0\.0\.0\/0/, port: /443/, at: /https/, also: [CRITICAL, /\(adv\/edge\/load-balancer\/https\)/] },
    says: [/auth\.mode none's reason covers only MP018 on internal or allowed sources, not this critical finding from the internet \(critical from 0\.0\.0\.0\/0, internet-facing, via 9 forwarding rules [0-9a-f]{12}, listener HTTPS 443\); acknowledge it explicitly with accepts, or authenticate/],
    never: [/acknowledgement no longer matches/],
  },
  {
    class: "acknowledgement-holds",
    name: "auth.mode none still covers MP018 on an internet-facing load balancer open only to allowed CIDRs",
    // The hardened edge (NetworkPolicies on) without authentication: only the mode's own acknowledgement.
    build: mimirApp("edge-np", () => ({ acknowledgements: [], auth: { mode: "none", reason: "test fixture: authentication is tested in auth*.test.ts" }, loadBalancer: { scheme: "internet-facing", allowedCidrs: ["203.0.113.0/24"], target: { kind: "mimir" } } }), () => undefined),
  },
];

// ---- item 8: CIDR coverage of the internet per port ----------------------------------------------------------------

export const PER_PORT_CASES: AppCase[] = [
  {
    class: "per-port",
    name: "0.0.0.0/1 and 128.0.0.0/1 both on grpc are the internet on grpc",
    build: mimirApp("internal", () => ({}), (s) => {
      ingress(s, "atk-half1", members(s), "0.0.0.0/1", 9095);
      ingress(s, "atk-half2", members(s), "128.0.0.0/1", 9095);
    }),
    expect: { rule: /MP001/, source: /the whole internet/, port: PORT.grpc, also: [CRITICAL] },
  },
  {
    class: "per-port",
    name: "a range and a single port add up on the port they share (0.0.0.0/1 on 9000-9100, 128.0.0.0/1 on 9095)",
    build: mimirApp("internal", () => ({}), (s) => {
      ingress(s, "atk-range", members(s), "0.0.0.0/1", 9000, 9100);
      ingress(s, "atk-one", members(s), "128.0.0.0/1", 9095);
    }),
    expect: { rule: /MP001/, source: /the whole internet on|whole internet/, port: PORT.grpc, also: [CRITICAL, /on port 9095/] },
  },
  {
    class: "per-port",
    name: "halves on different ports are not the internet on either (0.0.0.0/1 on grpc, 128.0.0.0/1 on memberlist)",
    build: mimirApp("internal", () => ({}), (s) => {
      ingress(s, "atk-half1", members(s), "0.0.0.0/1", 9095);
      ingress(s, "atk-half2", members(s), "128.0.0.0/1", 7946);
    }),
    expect: { rule: /MP001/, source: /128\.0\.0\.0\/1/, port: PORT.gossip, also: [/\berror\b/] },
    never: [/whole internet/, /MP001 critical/],
  },
  {
    class: "per-port",
    name: "0.0.0.0/0 on another port plus 192.168.0.0/16 on http is not the internet on http",
    build: mimirApp("internal", () => ({}), (s) => {
      ingress(s, "atk-wide", members(s), "0.0.0.0/0", 443);
      ingress(s, "atk-lan", members(s), "192.168.0.0/16", 8080);
    }),
    expect: { rule: /MP001/, source: /192\.168\.0\.0\/16/, port: PORT.http, also: [/\berror\b/], at: /atk-lan/ },
    never: [/atk-lan[^\n]*critical/, /192\.168\.0\.0\/16 \(with/],
  },
];
