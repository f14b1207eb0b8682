import { mkdtempSync, existsSync, writeFileSync } from "node:fs";
import { Redacted } from "../modules/contract/problems";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { authSummary, tenantSource } from "../modules/config/auth";
import { defineEnvironment } from "../modules/config/environment";
import { mimirValues } from "../modules/helm/values";
import { configErrorMessage, env, problemsOf, runTsx } from "./helpers";
import { A_TOKEN, CA, JWT, SECRET_ARN, OIDC } from "./auth-fixtures";

/** Bad auth input: a clear error naming environment, field, value and fix; secrets never echoed. */
const envoy = { namespace: "envoy-gateway-system", serviceName: "envoy-mimir", healthCheckPath: "/healthz", podLabels: { "app.kubernetes.io/name": "envoy" } };
/** The Gateway API entry (no legacy Ingress), which basic auth needs. */
const GATEWAY_ENTRY = { entry: { gateway: { className: "eg" }, dataPlane: envoy }, loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"] }, ingress: undefined };
/** Production-like environments need real object storage (not the chart's demo MinIO). */
const STORAGE = {
  buckets: { blocks: "acme-t-blocks", ruler: "acme-t-ruler", alertmanager: "acme-t-alertmanager" },
  irsa: { oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123", stsEndpoint: { securityGroupId: "sg-0123456789abcdef0" } },
};
const nlb = { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], type: "network", target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "c" } };

type Row = [label: string, overrides: Record<string, unknown>, field: string, value: unknown, rule: RegExp];
const ROWS: Row[] = [
  ["production-like without auth", { productionLike: true, auth: undefined }, "auth", undefined, /production-like environment must authenticate/],
  ["mTLS without a CA bundle", { auth: { mode: "mtls", tenant: "t1" } }, "auth.caBundle", undefined, /mutual TLS needs the CAs/],
  ["mTLS with both CA bundle and trust store", { auth: { mode: "mtls", tenant: "t1", caBundle: CA, trustStoreArn: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:truststore/m/0123abcd" } }, "auth.trustStoreArn", "arn:aws:elasticloadbalancing:eu-west-1:111122223333:truststore/m/0123abcd", /together with auth.caBundle/],
  ["mTLS trust store ARN of the wrong kind", { auth: { mode: "mtls", tenant: "t1", trustStoreArn: "arn:aws:acm:eu-west-1:111122223333:certificate/x" } }, "auth.trustStoreArn", "arn:aws:acm:eu-west-1:111122223333:certificate/x", /not a load balancer trust store ARN/],
  ["mTLS on a network load balancer", { loadBalancer: nlb, auth: { mode: "mtls", tenant: "t1", caBundle: CA } }, "auth.mode", "mtls", /network load balancer cannot verify client certificates/],
  ["mTLS without a tenant", { auth: { mode: "mtls", caBundle: CA } }, "auth.tenant", undefined, /one tenant every authenticated client/],
  ["OIDC on a network load balancer", { loadBalancer: nlb, auth: OIDC }, "auth.mode", "oidc", /cannot run authenticate-oidc/],
  ["OIDC without issuer", { auth: { ...OIDC, issuer: undefined } }, "auth.issuer", undefined, /required for OIDC/],
  ["OIDC without client id", { auth: { ...OIDC, clientId: undefined } }, "auth.clientId", undefined, /required for OIDC/],
  ["OIDC endpoint over plain http", { auth: { ...OIDC, tokenEndpoint: "http://login.example.com/token" } }, "auth.tokenEndpoint", "http://login.example.com/token", /https:\/\/ URL/],
  ["OIDC without a client secret reference", { auth: { ...OIDC, clientSecretArn: undefined } }, "auth.clientSecretArn", undefined, /needs the client secret/],
  ["unknown mode", { auth: { mode: "kerberos" } }, "auth.mode", "kerberos", /must be one of "mtls", "oidc", "basic", "jwt", "none"/],
  ["basic without a users Secret", { auth: { mode: "basic" } }, "auth.usersSecretName", undefined, /Kubernetes Secret/],
  ["basic in front of Mimir directly", { loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: { kind: "mimir" } }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] }, auth: { mode: "basic", usersSecretName: "mimir-users" } }, "auth.mode", "basic", /would bypass it/],
  ["basic behind the legacy Ingress (no HTTPRoute for the SecurityPolicy)", { auth: { mode: "basic", usersSecretName: "mimir-users" } }, "auth.mode", "basic", /entry.kind is ingress, so traffic from the load balancer would bypass it/],
  ["none without a reason", { auth: { mode: "none" } }, "auth.reason", undefined, /required with mode none/],
  ["none with a throwaway reason", { auth: { mode: "none", reason: "dev" } }, "auth.reason", "dev", /too short/],
  ["misspelt auth setting (its value is never echoed)", { auth: { mode: "mtls", tenant: "t1", caBundel: CA } }, "auth.caBundel", new Redacted("an object with keys bucket, key"), /not a known setting/],
  ["multitenancy re-enabled behind mTLS", { auth: { mode: "mtls", tenant: "t1", caBundle: CA }, helm: { values: { mimir: { structuredConfig: { multitenancy_enabled: true } } } } }, "helm.values.mimir.structuredConfig.multitenancy_enabled", true, /choose a tenant with X-Scope-OrgID/],
  ["tenant ID Mimir refuses", { auth: { mode: "mtls", tenant: "team a/b", caBundle: CA } }, "auth.tenant", "team a/b", /not a valid Mimir tenant ID/],
  ["tenant given as a number", { auth: { mode: "mtls", tenant: 5, caBundle: CA } }, "auth.tenant", 5, /must be a string: a Mimir tenant ID/],
  // jwt: bearer tokens checked by Envoy Gateway at the Gateway API entry.
  ["jwt without issuer", { ...GATEWAY_ENTRY, auth: { ...JWT, issuer: undefined } }, "auth.issuer", undefined, /required for JWT authentication/],
  ["jwt issuer over plain http", { ...GATEWAY_ENTRY, auth: { ...JWT, issuer: "http://login.example.com" } }, "auth.issuer", "http://login.example.com", /must be an https:\/\/ URL/],
  ["jwt without a JWKS URL", { ...GATEWAY_ENTRY, auth: { ...JWT, jwksUri: undefined } }, "auth.jwksUri", undefined, /required for JWT authentication/],
  ["jwt JWKS URL that is not a URL", { ...GATEWAY_ENTRY, auth: { ...JWT, jwksUri: "login.example.com/certs" } }, "auth.jwksUri", "login.example.com/certs", /must be an https:\/\/ URL/],
  ["jwt JWKS URL longer than Envoy Gateway accepts", { ...GATEWAY_ENTRY, auth: { ...JWT, jwksUri: `https://login.example.com/${"k".repeat(240)}` } }, "auth.jwksUri", `https://login.example.com/${"k".repeat(240)}`, /longer than Envoy Gateway accepts \(253/],
  ["jwt without audiences", { ...GATEWAY_ENTRY, auth: { ...JWT, audiences: undefined } }, "auth.audiences", undefined, /every token the issuer signs \(for any application\) would be accepted/],
  ["jwt with an empty audience list", { ...GATEWAY_ENTRY, auth: { ...JWT, audiences: [] } }, "auth.audiences", [], /every token the issuer signs/],
  ["jwt with an empty audience", { ...GATEWAY_ENTRY, auth: { ...JWT, audiences: ["mimir", " "] } }, "auth.audiences[1]", " ", /is empty/],
  ["jwt with more audiences than Envoy Gateway accepts", { ...GATEWAY_ENTRY, auth: { ...JWT, audiences: Array.from({ length: 9 }, (_, i) => `a${i}`) } }, "auth.audiences", Array.from({ length: 9 }, (_, i) => `a${i}`), /more audiences than Envoy Gateway accepts \(8\)/],
  ["jwt scope with a space (Envoy splits the claim at spaces)", { ...GATEWAY_ENTRY, auth: { ...JWT, scopes: ["metrics:write metrics:read"] } }, "auth.scopes[0]", "metrics:write metrics:read", /not one scope/],
  ["jwt with more scopes than Envoy Gateway accepts", { ...GATEWAY_ENTRY, auth: { ...JWT, scopes: Array.from({ length: 17 }, (_, i) => `s${i}`) } }, "auth.scopes", Array.from({ length: 17 }, (_, i) => `s${i}`), /more scopes than Envoy Gateway accepts \(16\)/],
  ["jwt claim without values", { ...GATEWAY_ENTRY, auth: { ...JWT, claims: [{ name: "azp", values: [] }] } }, "auth.claims[0].values", [], /no token could match/],
  ["jwt claim of an unknown value type", { ...GATEWAY_ENTRY, auth: { ...JWT, claims: [{ name: "groups", values: ["sre"], valueType: "List" }] } }, "auth.claims[0].valueType", "List", /must be String or StringArray/],
  ["jwt without a tenant", { ...GATEWAY_ENTRY, auth: { ...JWT, tenant: undefined } }, "auth.tenant", undefined, /one tenant every authenticated client/],
  ["jwt behind the legacy Ingress (no HTTPRoute for the SecurityPolicy)", { auth: JWT }, "auth.mode", "jwt", /entry.kind is ingress, so traffic from the load balancer would bypass it/],
  ["jwt with the load balancer in front of Mimir directly", { loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: { kind: "mimir" } }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] }, auth: JWT }, "auth.mode", "jwt", /would bypass it/],
  ["multitenancy re-enabled behind jwt", { ...GATEWAY_ENTRY, auth: JWT, helm: { values: { mimir: { structuredConfig: { multitenancy_enabled: true } } } } }, "helm.values.mimir.structuredConfig.multitenancy_enabled", true, /any authenticated token holder choose a tenant with X-Scope-OrgID: Envoy Gateway checks the token but this stack maps no claim to a tenant/],
  ["no_auth_tenant other than the jwt tenant", { ...GATEWAY_ENTRY, auth: JWT, helm: { values: { mimir: { structuredConfig: { no_auth_tenant: "other" } } } } }, "helm.values.mimir.structuredConfig.no_auth_tenant", "other", /differs from auth.tenant "team-a"/],
];

describe("bad auth input names environment, field, value and fix", () => {
  test.each(ROWS)("%s", (_label, overrides, field, value, rule) => {
    const problems = problemsOf(() => defineEnvironment(env(overrides)));
    const p = problems.find((x) => x.field === field);
    expect(p).toBeDefined();
    expect(p).toMatchObject({ env: "test", value });
    expect(p!.rule).toMatch(rule);
    expect(p!.fix.length).toBeGreaterThan(10);
  });
});

describe("inline secrets are refused without echoing them", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["OIDC client secret written inline", { ...OIDC, clientSecret: "hunter2-very-secret" }, "auth.clientSecret"],
    ["a literal where the secret ARN goes", { ...OIDC, clientSecretArn: "hunter2-very-secret" }, "auth.clientSecretArn"],
    ["htpasswd content instead of a Secret name", { mode: "basic", usersSecretName: "alice:{SHA}hunter2-very-secret" }, "auth.usersSecretName"],
    ["inline users for basic auth", { mode: "basic", usersSecretName: "mimir-users", users: "alice:hunter2-very-secret" }, "auth.users"],
    ["a password field", { mode: "mtls", tenant: "t1", caBundle: CA, password: "hunter2-very-secret" }, "auth.password"],
    ["a private key pasted into the CA key field", { mode: "mtls", tenant: "t1", caBundle: { bucket: "acme-mimir-pki", key: "-----BEGIN PRIVATE KEY-----hunter2-very-secret" } }, "auth.caBundle.key"],
    ["a password in an OIDC endpoint URL (not echoed by the https check either)", { ...OIDC, tokenEndpoint: "http://mimir:hunter2-very-secret@login.example.com/token" }, "auth.tokenEndpoint"],
    ["a token written inline for jwt", { ...JWT, token: A_TOKEN }, "auth.token"],
    ["a client secret written for jwt (it needs none)", { ...JWT, clientSecret: "hunter2-very-secret" }, "auth.clientSecret"],
    ["a JWT pasted as an audience", { ...JWT, audiences: [A_TOKEN] }, "auth.audiences.0"],
    ["a JWT among more audiences than allowed (the list is echoed redacted)", { ...JWT, audiences: [...Array.from({ length: 8 }, (_, i) => `a${i}`), A_TOKEN] }, "auth.audiences.8"],
    ["a bearer header pasted as a claim value", { ...JWT, claims: [{ name: "azp", values: [`Bearer ${A_TOKEN}`] }] }, "auth.claims.0.values.0"],
    ["a token in the JWKS URL's query", { ...JWT, jwksUri: `https://login.example.com/certs?access_token=${A_TOKEN}` }, "auth.jwksUri"],
    ["a password in the JWKS URL", { ...JWT, jwksUri: "http://jwks:hunter2-very-secret@login.example.com/certs" }, "auth.jwksUri"],
  ];
  test.each(cases)("%s", (_label, auth, field) => {
    const message = configErrorMessage(() => defineEnvironment(env({ ...(auth.mode === "jwt" ? GATEWAY_ENTRY : {}), auth })));
    expect(message).toContain(`[test] ${field} = "(redacted)"`);
    expect(message).toMatch(/secret/);
    expect(message).not.toContain("hunter2");
    expect(message).not.toContain("eyJ");
  });
});

describe("defaults and resolved settings", () => {
  test("an environment that is not production-like and sets no auth is unauthenticated (policy MP018 then needs an acknowledgement)", () => {
    expect(defineEnvironment(env({ auth: undefined })).auth).toEqual({ mode: "none" });
  });

  test("mode none keeps its reason", () => {
    expect(defineEnvironment(env({ auth: { mode: "none", reason: "sandbox, no real data" } })).auth).toEqual({ mode: "none", reason: "sandbox, no real data" });
  });

  test("a production-like environment with mTLS is valid, and Mimir runs single-tenant on auth.tenant", () => {
    const pinned = { ...CA, objectVersion: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY" };
    const loadBalancer = { ...(env() as { loadBalancer: object }).loadBalancer, connectionLogsBucket: "acme-lb-logs" };
    const e = defineEnvironment(env({ productionLike: true, accountId: "111122223333", loadBalancer, monitoring: { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" } }, storage: STORAGE, auth: { mode: "mtls", caBundle: pinned, tenant: "prod" } }));
    expect(e.auth).toMatchObject({ mode: "mtls", trustStore: { caBundle: pinned }, tenant: "prod", ignoreClientCertificateExpiry: false });
    const values = mimirValues(e) as { mimir: { structuredConfig: Record<string, unknown> } };
    expect(values.mimir.structuredConfig).toMatchObject({ multitenancy_enabled: false, no_auth_tenant: "prod" });
  });

  test("jwt resolves to one provider's settings and runs Mimir single-tenant on auth.tenant (no claim becomes the tenant)", () => {
    const claims = [{ name: "groups", values: ["sre", "platform"], valueType: "StringArray" }];
    const e = defineEnvironment(env({ ...GATEWAY_ENTRY, auth: { ...JWT, scopes: ["metrics:write"], claims } }));
    expect(e.auth).toEqual({ mode: "jwt", issuer: JWT.issuer, jwksUri: JWT.jwksUri, audiences: ["mimir"], tenant: "team-a", scopes: ["metrics:write"], claims, jwksEgress: JWT.jwksEgress });
    const values = mimirValues(e) as { mimir: { structuredConfig: Record<string, unknown> } };
    expect(values.mimir.structuredConfig).toMatchObject({ multitenancy_enabled: false, no_auth_tenant: "team-a" });
    expect(tenantSource(e.auth)).toBe('single tenant "team-a" (Mimir multitenancy off; client X-Scope-OrgID ignored)');
    expect(authSummary(e.auth)).toEqual({ mode: "jwt", tenant: tenantSource(e.auth), at: "Envoy Gateway SecurityPolicy (jwt)", issuer: JWT.issuer, jwks: JWT.jwksUri, audiences: ["mimir"], scopes: ["metrics:write"], claims: ["groups"] });
  });

  test("jwt without scopes or claims resolves to empty lists (every valid token for Mimir's audience is admitted)", () => {
    const e = defineEnvironment(env({ ...GATEWAY_ENTRY, auth: JWT }));
    expect(e.auth).toMatchObject({ mode: "jwt", scopes: [], claims: [] });
    expect(authSummary(e.auth)).not.toHaveProperty("scopes");
  });

  test("basic auth leaves Mimir multi-tenant (the tenant comes from the user name)", () => {
    const e = defineEnvironment(env({ ...GATEWAY_ENTRY, auth: { mode: "basic", usersSecretName: "mimir-users" } }));
    const values = mimirValues(e) as { mimir: { structuredConfig: Record<string, unknown> } };
    expect(values.mimir.structuredConfig.multitenancy_enabled).toBeUndefined();
  });
});

describe("npm run synth with bad auth input", () => {
  test("prints each problem, exits 1 and writes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "auth-bad-"));
    const file = join(dir, "envs.json");
    writeFileSync(file, JSON.stringify([env({ name: "prod", productionLike: true, auth: undefined }), env({ name: "edge", auth: { mode: "oidc", clientSecret: "hunter2-very-secret", tenant: "t" } })]));
    const out = join(dir, "out");
    const r = runTsx(["bin/synth.ts", "--environments", file, "--outdir", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("[prod] auth = (missing): is required: a production-like environment must authenticate its clients");
    expect(r.stderr).toContain("[edge] auth.clientSecret = \"(redacted)\": is an inline secret");
    expect(r.stderr).toContain("[edge] auth.issuer = (missing): is required for OIDC");
    expect(r.stderr).not.toContain("hunter2");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});
