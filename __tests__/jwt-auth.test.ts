import type { JwtAuthSettings } from "../modules/config/auth";
import { defineEnvironment } from "../modules/config/environment";
import { securityPolicyHow } from "../modules/exposure/graph/envoy-policies";
import { entrySecurityPolicy } from "../modules/kubernetes/data-plane/envoy-objects";
import { jwtAuthSpec, withJwtPrincipal } from "../modules/kubernetes/auth/jwt-auth";
import { JWT } from "./auth-fixtures";
import { env } from "./helpers";
import { crdValidator } from "./helpers/crd";

/** Envoy Gateway v1.9.0's SecurityPolicy CRD (vendored), strict: a field it does not declare is an error. */
const securityPolicy = crdValidator("envoy-gateway/gateway.envoyproxy.io_securitypolicies.yaml", "v1alpha1");

const envoy = { namespace: "envoy-gateway-system", serviceName: "envoy-mimir", healthCheckPath: "/healthz", podLabels: { "app.kubernetes.io/name": "envoy" } };
const LB_SUBNETS = ["10.0.0.0/24", "10.0.1.0/24"];
const GATEWAY_ENTRY = { entry: { gateway: { className: "eg" }, dataPlane: envoy }, loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: LB_SUBNETS }, ingress: undefined };
const CLAIMS = [
  { name: "azp", values: ["grafana", "vmagent"] },
  { name: "realm_access.roles", values: ["mimir-operator"], valueType: "StringArray" },
];

/** A jwt class's SecurityPolicy as the lead's wiring writes it: the entry policy, the jwt fragment, the principal merged into the load-balancer Allow rule. */
function jwtPolicy(auth: Record<string, unknown>, provider = "operators") {
  const e = defineEnvironment(env({ ...GATEWAY_ENTRY, auth }));
  if (e.auth.mode !== "jwt") throw new Error("expected a jwt environment");
  const base = entrySecurityPolicy(e, "mimir", { name: `mimir-${provider}-auth`, targetRefs: [{ kind: "HTTPRoute", name: "mimir-read" }], cidrs: e.entry.loadBalancerCidrs }) as { spec: Record<string, any> };
  const fragments = jwtAuthSpec(e.auth, provider);
  const policy: { spec: Record<string, any> } = { ...base, spec: { ...base.spec, ...fragments.spec, authorization: withJwtPrincipal(base.spec.authorization, fragments.principal) } };
  return { policy, fragments, auth: e.auth as JwtAuthSettings };
}

describe("auth.mode jwt as an Envoy Gateway SecurityPolicy", () => {
  test("the provider checks issuer, audiences and signature (JWKS fetched by Envoy), required: no optional, failOpen or claimToHeaders", () => {
    const { fragments } = jwtPolicy(JWT);
    expect(fragments.spec).toEqual({ jwt: { providers: [{ name: "operators", issuer: JWT.issuer, audiences: ["mimir"], remoteJWKS: { uri: JWT.jwksUri } }] } });
    expect(fragments.principal).toBeUndefined();
  });

  test("scopes and claims become the principal of the load-balancer Allow rule, naming the same provider (ANDed with clientCIDRs)", () => {
    const { policy, fragments } = jwtPolicy({ ...JWT, scopes: ["metrics:read", "rules:write"], claims: CLAIMS });
    expect(fragments.principal).toEqual({ jwt: { provider: "operators", scopes: ["metrics:read", "rules:write"], claims: CLAIMS } });
    expect(policy.spec.authorization).toEqual({
      defaultAction: "Deny",
      rules: [{ name: "load-balancer-subnets", action: "Allow", principal: { clientCIDRs: LB_SUBNETS, jwt: { provider: "operators", scopes: ["metrics:read", "rules:write"], claims: CLAIMS } } }],
    });
    expect(policy.spec.authorization.rules[0].principal.jwt.provider).toBe(policy.spec.jwt.providers[0].name);
  });

  test.each([
    ["no scopes or claims", JWT],
    ["scopes only", { ...JWT, scopes: ["metrics:write"] }],
    ["claims only", { ...JWT, claims: CLAIMS }],
    ["scopes and claims, 8 audiences", { ...JWT, audiences: Array.from({ length: 8 }, (_, i) => `aud-${i}`), scopes: ["metrics:write"], claims: CLAIMS }],
  ])("the whole SecurityPolicy is valid against the CRD: %s", (_label, auth) => {
    const { policy } = jwtPolicy(auth);
    expect(policy).toMatchObject({ apiVersion: `${securityPolicy.group}/v1alpha1`, kind: securityPolicy.kind });
    expect(securityPolicy.errors(policy)).toEqual([]);
  });

  test("the CRD check rejects what Envoy Gateway would reject (the check can fail)", () => {
    const { policy } = jwtPolicy({ ...JWT, scopes: ["metrics:write"] });
    const provider = policy.spec.jwt.providers[0];
    const rule = policy.spec.authorization.rules[0];
    const withSpec = (spec: Record<string, unknown>) => ({ ...policy, spec: { ...policy.spec, ...spec } });
    const withPrincipal = (jwt: Record<string, unknown>) => withSpec({ authorization: { ...policy.spec.authorization, rules: [{ ...rule, principal: { ...rule.principal, jwt } }] } });
    expect(securityPolicy.errors(withSpec({ jwt: { providers: [] } })).join()).toMatch(/fewer than 1 items/);
    expect(securityPolicy.errors(withSpec({ jwt: { providers: [{ ...provider, audiences: Array.from({ length: 9 }, (_, i) => `a${i}`) }] } })).join()).toMatch(/more than 8 items/);
    expect(securityPolicy.errors(withSpec({ jwt: { providers: [{ ...provider, remoteJWKS: { uri: `https://x/${"k".repeat(250)}` } }] } })).join()).toMatch(/more than 253 characters/);
    expect(securityPolicy.errors(withSpec({ jwt: { providers: [{ ...provider, claimToHeader: [] }] } })).join()).toMatch(/additional properties/);
    expect(securityPolicy.errors(withPrincipal({ scopes: ["metrics:write"] })).join()).toMatch(/required property 'provider'/);
    expect(securityPolicy.errors(withPrincipal({ provider: "operators", scopes: [] })).join()).toMatch(/fewer than 1 items/);
  });

  test("the exposure model reads the policy as authentication (jwt), not as a CIDR-only allow", () => {
    const { policy } = jwtPolicy({ ...JWT, claims: CLAIMS });
    expect(securityPolicyHow(policy.spec, LB_SUBNETS)).toBe("authentication (jwt)");
  });

  test("withJwtPrincipal changes only Allow rules, and nothing without a principal", () => {
    const authorization = { defaultAction: "Deny", rules: [{ name: "bad", action: "Deny", principal: { clientCIDRs: ["192.0.2.0/24"] } }, { name: "lb", action: "Allow", principal: { clientCIDRs: LB_SUBNETS } }] };
    const principal = { jwt: { provider: "agents", scopes: ["metrics:write"] } };
    expect(withJwtPrincipal(authorization, principal)).toEqual({ defaultAction: "Deny", rules: [authorization.rules[0], { name: "lb", action: "Allow", principal: { clientCIDRs: LB_SUBNETS, ...principal } }] });
    expect(withJwtPrincipal(authorization, undefined)).toBe(authorization);
  });

  test("a provider name Envoy Gateway would refuse is a programming error", () => {
    const { auth } = jwtPolicy(JWT);
    expect(() => jwtAuthSpec(auth, "")).toThrow(/provider name "" is not 1-253 characters/);
    expect(() => jwtAuthSpec(auth, "x".repeat(254))).toThrow(/not 1-253 characters/);
  });
});
