import { Testing } from "cdktf";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { withAuthActions } from "../modules/aws/auth/listener-auth";
import { buildModel, type ExposureModel } from "../modules/exposure/model";
import { fromSynthesized } from "../modules/exposure/terraform-json";
import { describeEntryAuth, mp018 } from "../modules/policy/auth-rule";
import { MimirStack } from "../modules/stack/mimir-stack";
import { buildApp } from "../main";
import { env } from "./helpers";
import { policyFindings, synthWithPolicy, testStack } from "../modules/testing";
import { CA, OIDC } from "./auth-fixtures";

// The lead wires MP018 into RULES at merge; here the suite runs the policy as it will be then (a no-op once wired).
jest.mock("../modules/policy/rules", () => {
  const actual = jest.requireActual("../modules/policy/rules");
  const { mp018: rule } = jest.requireActual("../modules/policy/auth-rule");
  const RULES = actual.RULES.some((r: { id: string }) => r.id === rule.id) ? actual.RULES : [...actual.RULES, rule];
  return { ...actual, RULES, ruleById: (id: string) => RULES.find((r: { id: string }) => r.id === id) };
});


const envoy = { namespace: "envoy-gateway-system", serviceName: "envoy-mimir", healthCheckPath: "/healthz", podLabels: { "app.kubernetes.io/name": "envoy" } };
/** The Gateway API entry (no legacy Ingress), which basic auth needs. */
const GATEWAY_ENTRY = { entry: { gateway: { className: "eg" }, dataPlane: envoy }, loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"] }, ingress: undefined };
const BASIC = { ...GATEWAY_ENTRY, auth: { mode: "basic", usersSecretName: "mimir-users" } };

/** Synthesize one environment (plus what `add` puts in it) and build the exposure model from its Terraform JSON. */
function modelOf(overrides: Record<string, unknown>, add?: (s: MimirStack) => void): ExposureModel {
  const stack = new MimirStack(Testing.app(), { environment: env({ auth: undefined, ...overrides }) });
  add?.(stack);
  return buildModel(fromSynthesized("test", "cdk.tf.json", JSON.parse(Testing.synth(stack))));
}

/** A path-pattern rule that forwards to the stack's target group, as the public-API routes do. */
function forwardRule(s: MimirStack, id: string, authFirst: boolean) {
  const lb = s.edge.loadBalancer;
  const forward = [{ type: "forward", targetGroupArn: lb.targetGroup.arn }];
  new LbListenerRule(s, id, {
    listenerArn: lb.httpsListener.arn,
    priority: 10,
    condition: [{ pathPattern: { values: ["/api/v1/push"] } }],
    action: authFirst ? withAuthActions(s.edge.listenerAuth.actions as never[], forward as never[]) : forward,
  });
}

const findings = (m: ExposureModel) => mp018.check(m).map((f) => ({ address: f.resource.address, severity: f.severity ?? mp018.severity, message: f.message }));

describe("MP018 entry without authentication", () => {
  test("an unauthenticated HTTPS listener is an error (internal load balancer)", () => {
    const f = findings(modelOf({}));
    expect(f).toEqual([{ address: expect.stringMatching(/^aws_lb_listener\.edge_load-balancer_https_/), severity: "error", message: expect.stringContaining("HTTPS listener on port 443 forwards to Mimir without authenticating clients") }]);
    expect(f[0].message).toContain("X-Scope-OrgID");
    // The default action answers 404; the public API's forwarding rules are the way in, named by priority.
    expect(f[0].message).toMatch(/through \d+ listener rules \(priorities 10-\d+\)/);
    expect(f[0].message).not.toContain("default action");
  });

  test("critical when the load balancer is internet-facing", () => {
    const f = findings(modelOf({ loadBalancer: { scheme: "internet-facing", allowedCidrs: ["203.0.113.0/24"], target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "c" } } }));
    expect(f.map((x) => x.severity)).toEqual(["critical"]);
  });

  test("mutual TLS verify or authenticate-oidc on the listener: no finding", () => {
    expect(findings(modelOf({ ...GATEWAY_ENTRY, auth: { mode: "mtls", caBundle: CA, tenant: "t1" } }))).toEqual([]);
    expect(findings(modelOf({ ...GATEWAY_ENTRY, auth: OIDC }))).toEqual([]);
  });

  test("the legacy Ingress entry: pods reaching the controller skip the load balancer's authentication (MP018 at the data plane)", () => {
    const f = findings(modelOf({ auth: { mode: "mtls", caBundle: CA, tenant: "t1" } }));
    expect(f).toEqual([expect.objectContaining({ address: expect.stringMatching(/^kubernetes_manifest\.edge_target-group-binding_/), severity: "error" })]);
    expect(f[0].message).toMatch(/^a pod in any namespace reaches Mimir's http port through the entry's data plane without passing the load balancer, so the authentication there is skipped; path: a pod in any namespace → no NetworkPolicy in namespace ingress-nginx selects the data-plane pods → Service ingress-nginx\/ingress-nginx-controller/);
  });

  test("a forwarding listener rule needs its own authenticate action (rules do not inherit the default action)", () => {
    const bare = findings(modelOf({ ...GATEWAY_ENTRY, auth: OIDC }, (s) => forwardRule(s, "push", false)));
    expect(bare).toEqual([{ address: "aws_lb_listener_rule.push", severity: "error", message: "listener rule (priority 10) forwards without the authenticate-oidc action that the listener's other rules run first (a rule does not inherit it)" }]);
    expect(findings(modelOf({ ...GATEWAY_ENTRY, auth: OIDC }, (s) => forwardRule(s, "push", true)))).toEqual([]);
  });

  test("under mutual TLS every rule is covered by the handshake", () => {
    expect(findings(modelOf({ ...GATEWAY_ENTRY, auth: { mode: "mtls", caBundle: CA, tenant: "t1" } }, (s) => forwardRule(s, "push", false)))).toEqual([]);
  });

  test("mutual TLS passthrough authenticates nobody at the load balancer", () => {
    const f = findings(modelOf({}, (s) => s.edge.loadBalancer.httpsListener.addOverride("mutual_authentication", { mode: "passthrough" })));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain("passthrough verifies nothing");
  });

  test("basic auth at the Gateway covers the listener, but an Ingress beside it bypasses the SecurityPolicy", () => {
    expect(findings(modelOf(BASIC))).toEqual([]);
    // An Ingress written by hand next to the Gateway API entry (the stack itself writes none with basic auth).
    const handWritten = (s: MimirStack) =>
      new IngressV1(s, "legacy", { metadata: { name: "mimir-legacy", namespace: "mimir" }, spec: { ingressClassName: "nginx", rule: [{ host: "mimir.example.com", http: { path: [{ path: "/", pathType: "Prefix", backend: { service: { name: "mimir-gateway", port: { number: 80 } } } }] } }] } });
    const f = findings(modelOf(BASIC, handWritten));
    expect(f).toEqual([{ address: "kubernetes_ingress_v1.legacy", severity: "error", message: "Ingress mimir-legacy serves Mimir beside the Gateway, and the SecurityPolicy mimir-basic-auth does not apply to it" }]);
  });

  const raw = (policySpec: Record<string, unknown>) =>
    buildModel(
      fromSynthesized("raw", "raw.json", {
        resource: {
          aws_lb: { edge: { load_balancer_type: "application", internal: true } },
          aws_lb_listener: { https: { load_balancer_arn: "${aws_lb.edge.arn}", port: 443, protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.envoy.arn}" }] } },
          kubernetes_manifest: { auth: { manifest: { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "SecurityPolicy", metadata: { name: "tenants", namespace: "mimir" }, spec: policySpec } } },
        },
      }),
    );

  test("a SecurityPolicy written by hand counts when it authenticates and is attached to something", () => {
    const jwt = { jwt: { providers: [{ name: "idp", remoteJWKS: { uri: "https://login.example.com/jwks" } }] } };
    expect(mp018.check(raw({ targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "edge" }], ...jwt }))).toEqual([]);
    expect(mp018.check(raw({ ...jwt })).map((f) => f.resource.address)).toEqual(["aws_lb_listener.https"]);
    expect(mp018.check(raw({ targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "edge" }], cors: { allowOrigins: ["*"] } })).map((f) => f.resource.address)).toEqual(["aws_lb_listener.https"]);
  });

  test("a jwt that lets requests without a valid token through, or that the API server refuses, does not silence MP018", () => {
    const edge = { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "edge" }] };
    const idp = { name: "idp", remoteJWKS: { uri: "https://login.example.com/jwks" } };
    for (const jwt of [{ optional: true, providers: [idp] }, { failOpen: true, providers: [idp] }, { providers: [] }, { providers: [{ name: "idp" }] }]) {
      expect(mp018.check(raw({ ...edge, jwt })).map((f) => f.resource.address)).toEqual(["aws_lb_listener.https"]);
    }
    // Optional, but the only Allow rule needs the token's scope: a request without a verified token is denied.
    const authorization = { defaultAction: "Deny", rules: [{ action: "Allow", principal: { jwt: { provider: "idp", scopes: ["metrics:write"] } } }] };
    expect(mp018.check(raw({ ...edge, jwt: { optional: true, providers: [idp] }, authorization }))).toEqual([]);
  });

  test("the review can say how each entry authenticates", () => {
    expect(describeEntryAuth(modelOf({ auth: { mode: "mtls", caBundle: CA, tenant: "t1" } }))).toEqual([expect.stringMatching(/^mutual TLS \(verify\) on aws_lb_listener\.edge_load-balancer_https_/)]);
    expect(describeEntryAuth(modelOf({ auth: OIDC }))).toEqual([expect.stringMatching(/^authenticate-oidc on aws_lb_listener\.edge_load-balancer_https_\w+ \(all \d+ forwarding listener rules\)$/)]);
    // One forwarding rule without the action: the entry is not described as authenticated.
    expect(describeEntryAuth(modelOf({ auth: OIDC }, (s) => forwardRule(s, "push", false)))).toEqual([]);
    expect(describeEntryAuth(modelOf(BASIC))).toEqual(["Envoy Gateway SecurityPolicy mimir-basic-auth: basicAuth (tenant header X-Scope-OrgID from the user name)"]);
    expect(describeEntryAuth(modelOf({}))).toEqual([]);
  });
});

describe("with MP018 in the policy, synth enforces it", () => {
  const synthError = (overrides: Record<string, unknown>) => {
    const app = Testing.app();
    new MimirStack(app, { environment: env({ auth: undefined, ...overrides }) });
    try {
      app.synth();
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  };

  test("an environment that never chose an auth mode fails synth, naming the listener and the fix", () => {
    const message = synthError({});
    expect(message).toMatch(/MP018 error aws_lb_listener\.edge_load-balancer_https_\w+ \(test\/edge\/load-balancer\/https\): HTTPS listener on port 443 forwards to Mimir without authenticating clients/);
    expect(message).toContain('auth: { mode: "none", reason }');
  });

  test("auth mode none with a reason is the acknowledgement; mtls needs none", () => {
    expect(synthError({ auth: { mode: "none", reason: "sandbox without real data" } })).toBeUndefined();
    expect(synthError({ ...GATEWAY_ENTRY, auth: { mode: "mtls", caBundle: CA, tenant: "t1" } })).toBeUndefined();
  });

  test("the reference app synthesizes: dev acknowledged with its reason, staging and prod authenticated", () => {
    const app = buildApp(mkdtempSync(join(tmpdir(), "auth-ref-")));
    expect(() => app.synth()).not.toThrow();
  });
});

describe("the review shows and highlights the auth mode", () => {
  test("per environment, and a change between base and head is a bold note (a warning when it becomes none)", () => {
    const { buildReview } = jest.requireActual("../modules/review/report") as typeof import("../modules/review/report");
    const { renderMarkdown } = jest.requireActual("../modules/review/markdown") as typeof import("../modules/review/markdown");
    const base = [modelOf({ auth: { mode: "mtls", caBundle: CA, tenant: "t1" } })];
    const head = [modelOf({ auth: { mode: "none", reason: "temporarily open for a migration" } })];
    const review = buildReview(head, base, "error");
    expect(review.stacks[0].auth).toEqual([]);
    expect(review.diff?.[0].auth).toMatchObject({ removed: true, before: [expect.stringContaining("mutual TLS (verify)")], after: [] });
    const md = renderMarkdown(review);
    expect(md).toContain("**Authentication:** ❌ none: any client that reaches the entry can choose its tenant (X-Scope-OrgID)");
    expect(md).toMatch(/> \*\*⚠️ test: authentication changed to none\.\*\* Before: mutual TLS \(verify\) on aws_lb_listener\.\S+\. After: none/);
    const same = renderMarkdown(buildReview(base, base, "error"));
    expect(same).not.toContain("authentication changed");
    expect(same).toContain("**Authentication:** 🔐 mutual TLS (verify) on aws_lb_listener.");
  });
});

describe("an MP018 acknowledgement recorded while the load balancer was internal (synthWithPolicy)", () => {
  const REASON = "internal clients only, ticket OPS-42";
  const AUTH_NONE = { mode: "none", reason: "dev: internal VPC only, synthetic data" };
  /** The environment `dev` with its load balancer's scheme and client CIDRs (no auth mode unless `more` sets one). */
  const dev = (scheme: "internal" | "internet-facing", allowedCidrs: string[], more: Record<string, unknown> = {}) =>
    env({ name: "dev", auth: undefined, loadBalancer: { ...(env().loadBalancer as Record<string, unknown>), scheme, allowedCidrs }, ...more });
  const refusal = (environment: ReturnType<typeof env>): string => {
    try {
      synthWithPolicy(testStack(environment));
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error("synthWithPolicy passed; expected a refusal");
  };
  /** What the refusal prints after "To accept exactly this", with the user's reason instead of the placeholder. */
  const printed = (message: string): Array<{ rule: string; resource: string; reason: string; accepts: { severity: string; sources: string[]; scheme?: string; via: string[] } }> =>
    message.split("\n").flatMap((l) => {
      const m = /To accept exactly this: acknowledgements: (\[.*\])\s*$/.exec(l);
      return m ? JSON.parse(m[1]).map((a: Record<string, unknown>) => ({ ...a, reason: REASON })) : [];
    });
  const mp018Line = (message: string) => message.split("\n").find((l) => l.includes("MP018")) ?? "";

  let copied: ReturnType<typeof printed>;
  let accepted: (typeof copied)[number]["accepts"];
  let via: string;
  beforeAll(() => {
    copied = printed(refusal(dev("internal", ["10.0.0.0/16"])));
    accepted = copied[0]?.accepts;
    via = accepted?.via.join(", ");
  });

  test("the refusal on the internal load balancer prints the acknowledgement of exactly that finding", () => {
    expect(copied).toEqual([{ rule: "MP018", resource: "dev/edge/load-balancer/https", reason: REASON, accepts: { severity: "error", sources: ["10.0.0.0/16"], scheme: "internal", via: expect.arrayContaining(["listener HTTPS 443"]) } }]);
  });

  test("it holds while nothing material changed (same environment; narrower CIDRs, still internal)", () => {
    for (const environment of [dev("internal", ["10.0.0.0/16"], { acknowledgements: copied }), dev("internal", ["10.0.1.0/24"], { acknowledgements: copied })]) {
      const stack = testStack(environment);
      expect(() => synthWithPolicy(stack)).not.toThrow();
      expect(policyFindings(stack).filter((f) => f.ruleId === "MP018")).toEqual([expect.objectContaining({ severity: "error", constructPath: "dev/edge/load-balancer/https", acknowledged: { reason: REASON } })]);
    }
  });

  test("internet-facing voids it: the refusal names the environment, rule, resource and what changed", () => {
    const line = mp018Line(refusal(dev("internet-facing", ["10.0.0.0/16"], { acknowledgements: copied })));
    expect(line).toMatch(/^\s*\[dev\] MP018 critical aws_lb_listener\.edge_load-balancer_https_\w+ \(dev\/edge\/load-balancer\/https\): HTTPS listener on port 443 forwards to Mimir without authenticating clients/);
    expect(line).toContain(`; acknowledgement no longer matches: accepted error from 10.0.0.0/16, internal, via ${via}, now critical from 10.0.0.0/16, internet-facing, via ${via} (severity error → critical; internal → internet-facing).`);
    // The new acknowledgement to paste is the internet-facing finding's, not the old one.
    expect(printed(line)).toEqual([{ ...copied[0], accepts: { ...accepted, severity: "critical", scheme: "internet-facing" } }]);
  });

  test("internet-facing to 0.0.0.0/0 voids it with the new source too; auth.mode none's reason does not cover it either", () => {
    const changed = `acknowledgement no longer matches: accepted error from 10.0.0.0/16, internal, via ${via}, now critical from 0.0.0.0/0, internet-facing, via ${via} (severity error → critical; internal → internet-facing; new source 0.0.0.0/0)`;
    const line = mp018Line(refusal(dev("internet-facing", ["0.0.0.0/0"], { acknowledgements: copied })));
    expect(line).toMatch(/^\s*\[dev\] MP018 critical aws_lb_listener\.edge_load-balancer_https_\w+ \(dev\/edge\/load-balancer\/https\): /);
    expect(line).toContain(`; ${changed}.`);
    expect(mp018Line(refusal(dev("internet-facing", ["0.0.0.0/0"], { acknowledgements: copied, auth: AUTH_NONE })))).toContain(
      `; ${changed}; auth.mode none's reason covers only MP018 on internal or allowed sources, not this critical finding from the internet (critical from 0.0.0.0/0, internet-facing, via ${via}); acknowledge it explicitly with accepts, or authenticate.`,
    );
  });

  test("auth.mode none covers the internal MP018, and is voided when the load balancer turns internet-facing to 0.0.0.0/0", () => {
    const internal = testStack(dev("internal", ["10.0.0.0/16"], { auth: AUTH_NONE }));
    expect(() => synthWithPolicy(internal)).not.toThrow();
    expect(policyFindings(internal).filter((f) => f.ruleId === "MP018")).toEqual([expect.objectContaining({ severity: "error", acknowledged: { reason: `auth.mode none: ${AUTH_NONE.reason}` } })]);
    // Internet-facing but open only to allowed CIDRs: still the mode's decision.
    expect(() => synthWithPolicy(testStack(dev("internet-facing", ["10.0.0.0/16"], { auth: AUTH_NONE })))).not.toThrow();
    const line = mp018Line(refusal(dev("internet-facing", ["0.0.0.0/0"], { auth: AUTH_NONE })));
    expect(line).toMatch(/^\s*\[dev\] MP018 critical aws_lb_listener\.edge_load-balancer_https_\w+ \(dev\/edge\/load-balancer\/https\): /);
    expect(line).toContain(`; auth.mode none's reason covers only MP018 on internal or allowed sources, not this critical finding from the internet (critical from 0.0.0.0/0, internet-facing, via ${via}); acknowledge it explicitly with accepts, or authenticate.`);
    expect(line).not.toContain("acknowledgement no longer matches");
  });
});
