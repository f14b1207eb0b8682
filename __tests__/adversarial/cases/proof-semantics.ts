/**
 * Issue 30 items 5 and 6: Envoy and ALB policy semantics (a client address from a header proves nothing, a
 * SecurityPolicy authenticates only what it targets, an authenticate action that lets unauthenticated requests
 * through authenticates nobody) and target groups the stack cannot see (MP015).
 */
import type { TerraformStack } from "cdktf";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { DataAwsLbTargetGroup } from "@cdktf/provider-aws/lib/data-aws-lb-target-group";
import { binding, CERT, entryRouteRefs, manifest, MIMIR_NS, openLbSg, parts, TLS_POLICY } from "../attack";
import { PORT, SRC } from "../expectations";
import type { SynthCase } from "../harness";
import { c, DP_NS, gatewayRef, GATEWAY_ENV, LB_SUBNETS, securityPolicy } from "./interior";

const MP018 = /MP018/;
const MP015 = /MP015/;
const POD_ANY_NS = /pod in another namespace|any namespace/i;

/** The data plane guarded only by a SecurityPolicy that admits the load balancer's subnets by clientCIDRs. */
const lbOnly = (s: TerraformStack, ...targets: Array<Record<string, unknown>>) =>
  securityPolicy(s, "mimir-lb-only", MIMIR_NS, { targetRefs: targets.length > 0 ? targets : [gatewayRef()], authorization: { defaultAction: "Deny", rules: [{ action: "Allow", principal: { clientCIDRs: LB_SUBNETS } }] } });
const ctp = (s: TerraformStack, id: string, spec: Record<string, unknown>, namespace = MIMIR_NS) =>
  manifest(s, id, { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "ClientTrafficPolicy", metadata: { name: id, namespace }, spec });

/** A second HTTPS listener on Mimir's load balancer (no mutual TLS) whose default action authenticates and forwards. */
function authListener(s: TerraformStack, type: "authenticate-oidc" | "authenticate-cognito", onUnauthenticated: string): void {
  const p = parts(s);
  openLbSg(s, "atk-open", 8443);
  const auth =
    type === "authenticate-oidc"
      ? { authenticateOidc: { authorizationEndpoint: "https://idp.example.com/auth", clientId: "mimir", clientSecret: "not-a-secret", issuer: "https://idp.example.com", tokenEndpoint: "https://idp.example.com/token", userInfoEndpoint: "https://idp.example.com/userinfo", onUnauthenticatedRequest: onUnauthenticated } }
      : { authenticateCognito: { userPoolArn: "arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_abc", userPoolClientId: "client", userPoolDomain: "auth", onUnauthenticatedRequest: onUnauthenticated } };
  new LbListener(s, "atk-listener", { loadBalancerArn: p.lb.arn, port: 8443, protocol: "HTTPS", certificateArn: CERT, sslPolicy: TLS_POLICY, defaultAction: [{ type, order: 1, ...auth }, { type: "forward", order: 2, targetGroupArn: p.tg.arn }] });
}

/** The stack's own HTTPRoute manifest (the entry's route to Mimir). */
export function entryRoute(s: TerraformStack): Record<string, any> {
  const route = parts(s).stack.node.findAll().find((x) => (x as { manifestInput?: { kind?: string } }).manifestInput?.kind === "HTTPRoute") as unknown as { manifestInput: Record<string, any> } | undefined;
  if (!route) throw new Error("the base has no HTTPRoute");
  return route.manifestInput;
}
/** A copy of the entry's route under another name (same Gateway, same backends). */
const routeCopy = (s: TerraformStack, id: string, namespace?: string) => {
  const r = entryRoute(s);
  return manifest(s, id, { ...r, metadata: { ...r.metadata, name: id, ...(namespace ? { namespace } : {}) } });
};
const BASIC_ENV = { ...GATEWAY_ENV, auth: { mode: "basic", usersSecretName: "mimir-users" } };
const basicCase = (name: string, build: (s: TerraformStack) => void, expect?: SynthCase["expect"]): SynthCase => ({ class: expect ? "proof-policy-targets" : "neighbour", name, base: "edge-np", env: BASIC_ENV, build, ...(expect ? { expect } : {}) });

const OTHER_TG_ARN = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/other-team/0123456789abcdef";

/** The chart's gateway Service into a target group of another account / stack (edge base: the chart entry). */
const edgeCase = (name: string, build: (s: TerraformStack) => void, expect: SynthCase["expect"]): SynthCase => ({ class: "proof-unseen-target", name, base: "edge-np", build, expect });

export const SEMANTICS_EXPOSURES: SynthCase[] = [
  // A client address taken from a header: clientCIDRs prove nothing.
  c("proof-client-address", "ClientTrafficPolicy takes the client address from a custom header; the SecurityPolicy's clientCIDRs compare it", "gateway-unguarded", (s) => {
    lbOnly(s);
    ctp(s, "atk-ctp-header", { targetRefs: [gatewayRef()], clientIPDetection: { customHeader: { name: "X-Real-IP" } } });
  }, { rule: MP018, source: POD_ANY_NS, port: PORT.http, at: /TargetGroupBinding|atk-ctp-header/, also: [/X-Real-IP/] }),
  c("proof-client-address", "X-Forwarded-For with one trusted hop: a pod that bypasses the load balancer writes the entry Envoy reads", "gateway-unguarded", (s) => {
    lbOnly(s);
    ctp(s, "atk-ctp-xff", { targetRefs: [gatewayRef()], clientIPDetection: { xForwardedFor: { numTrustedHops: 1 } } });
  }, { rule: MP018, source: POD_ANY_NS, port: PORT.http, also: [/numTrustedHops 1/] }),
  c("proof-client-address", "X-Forwarded-For trusted from the whole VPC (beyond the load balancer's subnets)", "gateway-unguarded", (s) => {
    lbOnly(s);
    ctp(s, "atk-ctp-trusted", { targetRefs: [gatewayRef()], clientIPDetection: { xForwardedFor: { trustedCIDRs: ["10.0.0.0/16"] } } });
  }, { rule: MP018, source: POD_ANY_NS, port: PORT.http, also: [/trustedCIDRs/] }),
  c("proof-client-address", "a header-address ClientTrafficPolicy on one listener spoofs a route attached to the whole Gateway", "gateway-unguarded", (s) => {
    lbOnly(s);
    ctp(s, "atk-ctp-section", { targetRefs: [gatewayRef("mimir", "http")], clientIPDetection: { customHeader: { name: "X-Client" } } });
  }, { rule: MP018, source: POD_ANY_NS, port: PORT.http, also: [/X-Client/] }),
  c("proof-client-address", "a route-level clientCIDRs SecurityPolicy on a Gateway whose addresses come from a header", "gateway-unguarded", (s) => {
    lbOnly(s, ...entryRouteRefs(s));
    ctp(s, "atk-ctp-route", { targetRefs: [gatewayRef()], clientIPDetection: { customHeader: { name: "True-Client-IP" } } });
  }, { rule: MP018, source: POD_ANY_NS, port: PORT.http, also: [/True-Client-IP/] }),
  c("proof-client-address", "a ClientTrafficPolicy selected by the Gateway's labels (targetSelectors) takes the address from a header", "gateway-unguarded", (s) => {
    lbOnly(s);
    ctp(s, "atk-ctp-selector", { targetSelectors: [{ kind: "Gateway", matchLabels: {} }], clientIPDetection: { customHeader: { name: "X-Forwarded-Client" } } });
  }, { rule: MP018, source: POD_ANY_NS, port: PORT.http, also: [/X-Forwarded-Client/] }),

  // A SecurityPolicy authenticates only the routes and listeners it targets.
  basicCase("basic auth targets the entry's route; a second route to Mimir on the same Gateway is not targeted", (s) => void routeCopy(s, "atk-route-copy"), { rule: MP018, source: /HTTPRoute|Gateway/, port: PORT.http, also: [/no authenticating policy targets it/] }),
  basicCase("a second route with a path of its own, untargeted, beside the basic-auth route", (s) => {
    const r = entryRoute(s);
    manifest(s, "atk-route-rules", { ...r, metadata: { ...r.metadata, name: "atk-route-rules" }, spec: { ...r.spec, rules: [{ ...r.spec.rules[0], matches: [{ path: { type: "PathPrefix", value: "/prometheus" } }] }] } });
  }, { rule: MP018, source: /HTTPRoute|Gateway/, port: PORT.http, also: [/no authenticating policy targets it/] }),
  basicCase("a basic-auth SecurityPolicy on another listener of the Gateway does not cover a route attached to the entry's listener", (s) => {
    const r = entryRoute(s);
    manifest(s, "atk-route-section", { ...r, metadata: { ...r.metadata, name: "atk-route-section" }, spec: { ...r.spec, parentRefs: r.spec.parentRefs.map((p: Record<string, unknown>) => ({ ...p, sectionName: "http" })) } });
    securityPolicy(s, "atk-sp-other-listener", MIMIR_NS, { targetRefs: [gatewayRef("mimir", "atk-admin")], basicAuth: { users: { name: "mimir-users" } } });
  }, { rule: MP018, source: /HTTPRoute|Gateway/, port: PORT.http, also: [/no authenticating policy targets it/] }),

  // ALB authenticate actions that let unauthenticated requests through.
  { class: "proof-alb-auth", name: "authenticate-oidc with on_unauthenticated_request = allow authenticates nobody", base: "edge-np", build: (s) => authListener(s, "authenticate-oidc", "allow"), expect: { rule: MP018, source: SRC.internet, port: /8443/, at: /atk-listener/ } },
  { class: "proof-alb-auth", name: "authenticate-cognito with on_unauthenticated_request = allow authenticates nobody", base: "edge-np", build: (s) => authListener(s, "authenticate-cognito", "allow"), expect: { rule: MP018, source: SRC.internet, port: /8443/, at: /atk-listener/ } },

  // Target groups the stack cannot see.
  edgeCase("a TargetGroupBinding puts Mimir's gateway Service into a target group given as a literal ARN", (s) => void binding(s, "atk-tgb-arn", OTHER_TG_ARN, "mimir-gateway", "http-metrics"), { rule: MP015, source: /not in this stack|not visible|unknown/i, port: PORT.http, also: [/other-team/] }),
  edgeCase("a TargetGroupBinding puts Mimir's gateway Service into a target group read from a data source", (s) => {
    const tg = new DataAwsLbTargetGroup(s, "atk-other-tg", { name: "other-team" });
    binding(s, "atk-tgb-data", tg.arn, "mimir-gateway", "http-metrics");
  }, { rule: MP015, source: /data source/, port: PORT.http }),
  edgeCase("a TargetGroupBinding names a target group the stack does not have (targetGroupName)", (s) => {
    const m = binding(s, "atk-tgb-name", "", "mimir-gateway", "http-metrics");
    const v = m.manifestInput as Record<string, any>;
    const { targetGroupARN: _arn, ...spec } = v.spec;
    m.manifest = { ...v, spec: { ...spec, targetGroupName: "other-team-tg" } };
  }, { rule: MP015, source: /not in this stack|unknown/i, port: PORT.http, also: [/other-team-tg/] }),
  edgeCase("a TargetGroupBinding puts the ingesters' grpc into a target group given as a literal ARN", (s) => void binding(s, "atk-tgb-grpc", OTHER_TG_ARN, "mimir-ingester", "grpc"), { rule: MP015, source: /not in this stack|unknown/i, port: PORT.grpc }),
  c("proof-unseen-target", "a TargetGroupBinding puts the entry's data plane into a target group given as a literal ARN", "gateway", (s) => void binding(s, "atk-tgb-dp", OTHER_TG_ARN, "envoy-mimir", 80, DP_NS), { rule: MP015, source: /not in this stack|unknown/i, port: PORT.http }),
];

export const SEMANTICS_NEIGHBOURS: SynthCase[] = [
  basicCase("the basic-auth Gateway API entry itself (its SecurityPolicy targets the entry's route)", () => undefined),
  c("neighbour", "a route-level clientCIDRs SecurityPolicy on the entry's route guards the data plane", "gateway-unguarded", (s) => void lbOnly(s, ...entryRouteRefs(s))),
  c("neighbour", "a ClientTrafficPolicy reading X-Forwarded-For only from the load balancer's subnets keeps clientCIDRs meaningful", "gateway-unguarded", (s) => {
    lbOnly(s);
    ctp(s, "mimir-xff-from-lb", { targetRefs: [gatewayRef()], clientIPDetection: { xForwardedFor: { trustedCIDRs: LB_SUBNETS } } });
  }),
  c("neighbour", "another team's Gateway takes client addresses from a header (Mimir's Gateway does not)", "gateway-unguarded", (s) => {
    lbOnly(s);
    ctp(s, "shop-real-ip", { targetRefs: [gatewayRef("shop")], clientIPDetection: { customHeader: { name: "X-Real-IP" } } }, "shop");
  }),
  { class: "neighbour", name: "another team's Service registered into a target group given as a literal ARN", base: "edge-np", build: (s) => void binding(s, "shop-tgb", OTHER_TG_ARN, "shop-web", 8080, "shop") },
];
