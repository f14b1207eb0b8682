import { jwtRefused, securityPolicyHow } from "../modules/exposure/graph/envoy-policies";

/**
 * The exposure model reads an Envoy Gateway SecurityPolicy's `jwt` by its v1.9 semantics (CRD vendored in
 * __tests__/fixtures/envoy-gateway; translation in internal/gatewayapi/securitypolicy.go and
 * internal/xds/translator/jwt.go, authorization.go): a required token of an accepted provider authenticates.
 */
const LB = ["10.0.0.0/24", "10.0.1.0/24"];
const idp = { name: "idp", issuer: "https://login.example.com", audiences: ["mimir"], remoteJWKS: { uri: "https://login.example.com/jwks" } };
const lbOnly = { defaultAction: "Deny", rules: [{ name: "load-balancer-subnets", action: "Allow", principal: { clientCIDRs: LB } }] };
const needsScope = (provider: string, jwt: Record<string, unknown> = { scopes: ["metrics:write"] }) => ({ defaultAction: "Deny", rules: [{ action: "Allow", principal: { clientCIDRs: LB, jwt: { provider, ...jwt } } }] });

describe("a SecurityPolicy's jwt authenticates only when a request without a valid token is refused", () => {
  test.each([
    ["a required token, remote JWKS", { providers: [idp] }],
    ["a required token, local JWKS", { providers: [{ name: "idp", localJWKS: { type: "Inline", inline: "{\"keys\":[]}" } }] }],
    ["no audiences or issuer (any token the keys sign)", { providers: [{ name: "idp", remoteJWKS: { uri: "https://login.example.com/jwks" } }] }],
    ["claimToHeaders with recomputeRoute (headers written after verification)", { providers: [{ ...idp, claimToHeaders: [{ claim: "sub", header: "x-sub" }], recomputeRoute: true }] }],
    ["the token read from another header (extractFrom)", { providers: [{ ...idp, extractFrom: { headers: [{ name: "x-token" }] } }] }],
    ["optional: false, written out", { optional: false, providers: [idp] }],
    ["two providers, either verifies", { providers: [idp, { ...idp, name: "other", issuer: "https://other.example.com" }] }],
  ])("%s: authentication (jwt)", (_label, jwt) => {
    expect(securityPolicyHow({ jwt }, LB)).toBe("authentication (jwt)");
  });

  test.each([
    ["optional (a request without a token passes)", { optional: true, providers: [idp] }],
    ["failOpen (a missing or invalid token passes)", { failOpen: true, providers: [idp] }],
    ["no providers", { providers: [] }],
    ["providers missing", {}],
    ["a provider without a JWKS source", { providers: [{ name: "idp", issuer: "https://login.example.com" }] }],
    ["a provider with both JWKS sources", { providers: [{ ...idp, localJWKS: { type: "Inline", inline: "{}" } }] }],
    ["remote JWKS without a uri", { providers: [{ ...idp, remoteJWKS: {} }] }],
    ["a provider without a name", { providers: [{ ...idp, name: "" }] }],
    ["recomputeRoute without claimToHeaders", { providers: [{ ...idp, recomputeRoute: true }] }],
    ["optional and failOpen both set", { optional: false, failOpen: false, providers: [idp] }],
  ])("%s: not authentication (only the CIDR authorization counts)", (_label, jwt) => {
    expect(securityPolicyHow({ jwt }, LB)).toBeUndefined();
    expect(securityPolicyHow({ jwt, authorization: lbOnly }, LB)).toMatch(/^authorization admitting only the load balancer's subnets/);
  });

  test("the API server's refusals are named (what the model does not count, and why)", () => {
    expect(jwtRefused({ providers: [] })).toBe("no providers");
    expect(jwtRefused({ providers: [{ name: "idp" }] })).toBe("provider idp without exactly one of remoteJWKS and localJWKS");
    expect(jwtRefused({ providers: [{ ...idp, recomputeRoute: true }] })).toBe("provider idp with recomputeRoute but no claimToHeaders");
    expect(jwtRefused({ optional: true, failOpen: true, providers: [idp] })).toBe("both optional and failOpen");
    expect(jwtRefused({ optional: null, failOpen: true, providers: [idp] })).toBeUndefined();
    expect(jwtRefused({ providers: [idp] })).toBeUndefined();
  });

  test("optional or failOpen still authenticates when every Allow rule needs a verified token of the policy's provider", () => {
    expect(securityPolicyHow({ jwt: { optional: true, providers: [idp] }, authorization: needsScope("idp") }, LB)).toBe("authentication (jwt (optional, but every Allow rule needs principal.jwt))");
    expect(securityPolicyHow({ jwt: { failOpen: true, providers: [idp] }, authorization: needsScope("idp", { claims: [{ name: "azp", values: ["grafana"] }] }) }, LB)).toMatch(/^authentication \(jwt \(failOpen/);
  });

  test.each([
    ["the principal names another provider (its claims never exist here)", needsScope("other")],
    ["the principal has neither scopes nor claims (the API server refuses it)", needsScope("idp", {})],
    ["another Allow rule needs no token", { ...needsScope("idp"), rules: [...needsScope("idp").rules, { action: "Allow", principal: { clientCIDRs: ["10.0.0.0/24"] } }] }],
    ["the default allows", { ...needsScope("idp"), defaultAction: "Allow" }],
  ])("optional jwt with authorization that does not need the token: %s", (_label, authorization) => {
    const how = securityPolicyHow({ jwt: { optional: true, providers: [idp] }, authorization }, LB);
    expect(how === undefined || how.startsWith("authorization")).toBe(true);
  });
});
