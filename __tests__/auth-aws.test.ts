import { Testing, TerraformStack } from "cdktf";
import { MimirLoadBalancer } from "../modules/aws/load-balancer";
import { PortContract } from "../modules/contract/port-contract";
import { ConfigError } from "../modules/contract/problems";
import { buildApp } from "../main";
import { env, gatewayEnv, resources, synthJson, type TfJson } from "./helpers";
import { CA, SECRET_ARN, OIDC } from "./auth-fixtures";


const httpsListener = (json: TfJson) => Object.values(resources(json, "aws_lb_listener")).find((l) => l.protocol === "HTTPS" && l.port === 443) as Record<string, any>;
/** The listener rules that forward to Mimir (the public API, operator access): the only way past the listener's 404. */
const forwardingRules = (json: TfJson) =>
  Object.values(resources(json, "aws_lb_listener_rule")).filter((r) => (r.action as Array<Record<string, any>>).some((a) => a.type === "forward")) as Array<Record<string, any>>;
const NOT_FOUND = [{ type: "fixed-response", fixed_response: { content_type: "text/plain", message_body: "404 page not found", status_code: "404" } }];
const envoy = { namespace: "envoy-gateway-system", serviceName: "envoy-mimir", healthCheckPath: "/healthz", podLabels: { "app.kubernetes.io/name": "envoy" } };
/** The Gateway API entry (no legacy Ingress), which basic auth needs. */
const GATEWAY_ENTRY = { entry: { gateway: { className: "eg" }, dataPlane: envoy }, loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"] }, ingress: undefined };

describe("ALB mutual TLS", () => {
  test("a CA bundle in S3 becomes a trust store; the HTTPS listener verifies client certificates against it", () => {
    const json = synthJson(gatewayEnv({ auth: { mode: "mtls", caBundle: { ...CA, objectVersion: "v3" }, tenant: "prod" } }));
    const stores = Object.entries(resources(json, "aws_lb_trust_store"));
    expect(stores).toHaveLength(1);
    const [storeName, store] = stores[0];
    expect(store).toMatchObject({ ca_certificates_bundle_s3_bucket: "acme-mimir-pki", ca_certificates_bundle_s3_key: "agents-ca.pem", ca_certificates_bundle_s3_object_version: "v3" });
    expect(String(store.name).length).toBeLessThanOrEqual(32);
    const listener = httpsListener(json);
    expect(listener.mutual_authentication).toEqual({
      mode: "verify",
      trust_store_arn: `\${aws_lb_trust_store.${storeName}.arn}`,
      ignore_client_certificate_expiry: false,
      advertise_trust_store_ca_names: "off",
    });
    // Only the handshake changes: the listener answers 404 outside the public API, its rules forward with no extra action.
    expect(listener.default_action).toEqual(NOT_FOUND);
    const rules = forwardingRules(json);
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) {
      expect(r.listener_arn).toMatch(/^\$\{aws_lb_listener\..+\.arn\}$/);
      expect(r.action).toEqual([{ type: "forward", target_group_arn: expect.stringMatching(/^\$\{aws_lb_target_group\./) }]);
    }
  });

  test("revocation lists attach to the trust store", () => {
    const json = synthJson(gatewayEnv({ auth: { mode: "mtls", caBundle: CA, revocations: [{ bucket: "acme-mimir-pki", key: "a.crl" }, { bucket: "acme-mimir-pki", key: "b.crl" }], tenant: "prod" } }));
    const crls = Object.values(resources(json, "aws_lb_trust_store_revocation"));
    expect(crls.map((c) => c.revocations_s3_key)).toEqual(["a.crl", "b.crl"]);
    expect(crls[0].trust_store_arn).toMatch(/^\$\{aws_lb_trust_store\..+\.arn\}$/);
  });

  test("an existing trust store ARN is used as is (no trust store created)", () => {
    const arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:truststore/agents/0123456789abcdef";
    const json = synthJson(gatewayEnv({ auth: { mode: "mtls", trustStoreArn: arn, tenant: "prod", advertiseCaNames: true } }));
    expect(resources(json, "aws_lb_trust_store")).toEqual({});
    expect(httpsListener(json).mutual_authentication).toMatchObject({ mode: "verify", trust_store_arn: arn, advertise_trust_store_ca_names: "on" });
  });

  test("a network load balancer refuses listener authentication with a clear error", () => {
    const make = () =>
      new MimirLoadBalancer(new TerraformStack(Testing.app(), "s"), "lb", {
        env: "prod",
        contract: PortContract.create(),
        name: "mimir-prod",
        type: "network",
        internal: true,
        vpcId: "vpc-1",
        subnetIds: ["subnet-1", "subnet-2"],
        securityGroupIds: [],
        certificateArn: "arn:aws:acm:eu-west-1:111122223333:certificate/x",
        deletionProtection: false,
        target: { kind: "ingress-controller", port: 443, protocol: "HTTPS", healthCheckPath: "/healthz" },
        listenerAuth: { mutualAuthentication: { mode: "verify", trustStoreArn: "arn:x" } },
      });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(/\[prod\] listenerAuth = "mutual TLS": needs an application load balancer/);
  });
});

describe("ALB authenticate-oidc", () => {
  const json = synthJson(gatewayEnv({ auth: OIDC }));

  test("authenticate-oidc runs first, then forward; the client secret is read from Secrets Manager by ARN", () => {
    const secrets = Object.entries(json.data?.aws_secretsmanager_secret_version ?? {});
    expect(secrets).toHaveLength(1);
    const [secretName, secret] = secrets[0];
    expect(secret).toMatchObject({ secret_id: SECRET_ARN });
    // The listener's default answers 404; every rule that forwards (rules do not inherit the default action) authenticates first.
    expect(httpsListener(json).default_action).toEqual(NOT_FOUND);
    const rules = forwardingRules(json);
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) {
      expect((r.action as Array<Record<string, any>>).map((a) => [a.order, a.type])).toEqual([
        [1, "authenticate-oidc"],
        [2, "forward"],
      ]);
    }
    const actions = rules[0].action as Array<Record<string, any>>;
    expect(actions[0].authenticate_oidc).toMatchObject({
      issuer: OIDC.issuer,
      authorization_endpoint: OIDC.authorizationEndpoint,
      token_endpoint: OIDC.tokenEndpoint,
      user_info_endpoint: OIDC.userInfoEndpoint,
      client_id: "mimir-ui",
      client_secret: `\${data.aws_secretsmanager_secret_version.${secretName}.secret_string}`,
      on_unauthenticated_request: "authenticate",
      scope: "openid",
    });
    expect(httpsListener(json).mutual_authentication).toBeUndefined();
  });

  test("operator access rules authenticate too", () => {
    const j = synthJson(
      env({ auth: OIDC, ...GATEWAY_ENTRY, entry: { ...GATEWAY_ENTRY.entry, operatorAccess: { cidrs: ["10.0.5.0/24"], routes: [{ path: "/distributor/ha_tracker" }], acknowledged: "on-call debugging, OPS-42" } } }),
    );
    const operator = forwardingRules(j).filter((r) => r.condition.some((c: Record<string, unknown>) => c.source_ip));
    expect(operator).toHaveLength(1);
    expect(operator[0].action.map((a: Record<string, unknown>) => a.type)).toEqual(["authenticate-oidc", "forward"]);
  });

  test("a JSON secret is looked up by key", () => {
    const j = synthJson(gatewayEnv({ auth: { ...OIDC, clientSecretJsonKey: "client_secret" } }));
    const action = forwardingRules(j)[0].action[0];
    expect(action.authenticate_oidc.client_secret).toMatch(/^\$\{jsondecode\(data\.aws_secretsmanager_secret_version\..+\.secret_string\)\.client_secret\}$/);
  });
});

describe("other modes leave the listener alone", () => {
  test.each([
    ["none", { mode: "none", reason: "sandbox without real data" }],
    ["basic (authenticates at the Gateway)", { mode: "basic", usersSecretName: "mimir-users" }],
  ])("%s", (_label, auth) => {
    const json = synthJson(gatewayEnv({ auth, ...GATEWAY_ENTRY }));
    const listener = httpsListener(json);
    expect(listener.mutual_authentication).toBeUndefined();
    expect(listener.default_action).toEqual(NOT_FOUND);
    for (const r of forwardingRules(json)) expect(r.action).toEqual([{ type: "forward", target_group_arn: expect.any(String) }]);
    expect(resources(json, "aws_lb_trust_store")).toEqual({});
  });
});

describe("the reference app", () => {
  const app = buildApp();
  const stacks = Object.fromEntries(["dev", "staging", "prod"].map((n) => [n, JSON.parse(Testing.synth(app.node.findChild(n) as TerraformStack)) as TfJson]));

  test("staging and prod verify client certificates; dev is unauthenticated with a recorded reason", () => {
    expect(httpsListener(stacks.prod).mutual_authentication).toMatchObject({ mode: "verify" });
    expect(httpsListener(stacks.staging).mutual_authentication).toMatchObject({ mode: "verify" });
    expect(httpsListener(stacks.dev).mutual_authentication).toBeUndefined();
    expect(Object.keys(resources(stacks.prod, "aws_lb_trust_store_revocation"))).toHaveLength(1);
  });

  test("the mimir_port_contract output records the auth mode per environment", () => {
    const auth = (n: string) => (stacks[n].output?.mimir_port_contract.value as { auth: Record<string, unknown> }).auth;
    expect(auth("prod")).toMatchObject({ mode: "mtls", trustStore: "s3://acme-mimir-pki/prod/agents-ca.pem", revocations: 1, tenant: expect.stringContaining('single tenant "prod"') });
    expect(auth("staging")).toMatchObject({ mode: "mtls", tenant: expect.stringContaining('"staging"') });
    expect(auth("dev")).toMatchObject({ mode: "none", acknowledged: expect.stringMatching(/^dev accepts unauthenticated remote write and queries of the public API from 10\.10\.0\.0\/16 through the internal load balancer/) });
    const acks = (stacks.dev.output?.mimir_port_contract.value as { acknowledgements: unknown[] }).acknowledgements;
    // Fingerprinted like every acknowledgement: what dev decided to run unauthenticated (scheme, sources, listener).
    expect(acks).toContainEqual({ rule: "MP018", resource: "dev", reason: expect.stringContaining("auth.mode none"), kind: "auth-none", accepts: { severity: "error", sources: ["10.10.0.0/16"], scheme: "internal", via: ["listener HTTPS 443"] } });
  });
});
