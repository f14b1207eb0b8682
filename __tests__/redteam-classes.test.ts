/**
 * Red-team of client classes (issue 27): what a user or an attacker adds beside the generated per-group routes, and
 * bad values of the new fields. Each test states the behaviour a user relies on.
 */
import { Testing } from "cdktf";
import { defineEnvironment } from "../modules/config/environment";
import { Manifest } from "../modules/platform/kubernetes";
import { MimirStack } from "../modules/stack/mimir-stack";
import { synthWithPolicy } from "../modules/testing";
import { CA, JWT } from "./auth-fixtures";
import { gatewayEnv, problemsOf, resources, synthJson } from "./helpers";

const basic = (usersSecretName: string) => ({ mode: "basic", usersSecretName, tenant: "team-a" });
const agents = { name: "agents", auth: { mode: "mtls", caBundle: CA, tenant: "team-a" }, groups: ["write"] };
/** Agents by mutual TLS (write), readers and admins by basic auth at the Gateway, each with its own users Secret. */
const MIXED = [agents, { name: "grafana", auth: basic("grafana-users"), groups: ["read"] }, { name: "admins", auth: basic("admin-users"), groups: ["rules", "alertmanager"] }];
const LB_ONLY = { authorization: { defaultAction: "Deny", rules: [{ action: "Allow", principal: { clientCIDRs: ["10.0.0.0/24", "10.0.1.0/24"] } }] } };
const READERS_BASIC = { basicAuth: { users: { name: "grafana-users" } }, ...LB_ONLY };

/** Synthesize MIXED with the attacker's manifests added; the refusal text, or "" when synth succeeds. */
function refusal(add: (s: MimirStack) => void, clients: unknown[] = MIXED): string {
  const s = new MimirStack(Testing.app(), "test", { environment: gatewayEnv({ auth: undefined, clients }) });
  add(s);
  try {
    synthWithPolicy(s);
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}
const manifest = (s: MimirStack, id: string, body: Record<string, unknown>) => new Manifest(s, id, { manifest: body });
const securityPolicy = (name: string, spec: Record<string, unknown>) => ({ apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "SecurityPolicy", metadata: { name, namespace: "mimir" }, spec });
const routeRef = (name: string) => ({ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name });

describe("another class's credential on a generated route", () => {
  test("the designed stack synthesizes (one SecurityPolicy per route)", () => {
    expect(refusal(() => undefined)).toBe("");
  });

  test("a second SecurityPolicy with the readers' users Secret on mimir-rules is MP018: Envoy Gateway applies only the oldest, so the readers' password may administer rules", () => {
    const text = refusal((s) => manifest(s, "atk-sp", securityPolicy("atk-readers-on-rules", { targetRefs: [routeRef("mimir-rules")], ...READERS_BASIC })));
    expect(text).toMatch(/MP018 .*HTTPRoute .*\/mimir-rules serves Mimir/);
    expect(text).toMatch(/SecurityPolicies atk-readers-on-rules, mimir-admins-auth all target HTTPRoute mimir-rules, authenticate different credentials/);
    expect(text).toMatch(/HTTPS :8443/);
  });

  test("a second SecurityPolicy identical to the admins' (the same users Secret) on mimir-rules is not refused: whichever applies admits the same clients", () => {
    expect(refusal((s) => manifest(s, "same-sp", securityPolicy("admins-again", { targetRefs: [routeRef("mimir-rules")], basicAuth: { users: { name: "admin-users" } }, ...LB_ONLY })))).toBe("");
  });

  // An own HTTPRoute that out-ranks mimir-rules for DELETE (an extra header match makes it more specific),
  // authenticated by the readers' credential: authenticated, but not by a class that holds rules.
  test("an own HTTPRoute out-ranking mimir-rules, authenticated by the readers' users Secret, is MP018 naming the class and the group", () => {
    const text = refusal((s) => {
      manifest(s, "atk-route", {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: "atk-rules", namespace: "mimir" },
        spec: {
          parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "mimir" }],
          hostnames: ["mimir.example.com"],
          rules: [{ matches: [{ path: { type: "PathPrefix", value: "/prometheus/config/v1/rules" }, method: "DELETE", headers: [{ name: "x-any", value: "1" }] }], backendRefs: [{ group: "", kind: "Service", name: "mimir-ruler", port: 8080 }] }],
        },
      });
      manifest(s, "atk-sp", securityPolicy("atk-rules-readers", { targetRefs: [routeRef("atk-rules")], ...READERS_BASIC }));
    });
    expect(text).toMatch(/MP018 .*HTTPRoute mimir\/atk-rules serves \/prometheus\/config\/v1\/rules \(group rules, rules-read\), and SecurityPolicy atk-rules-readers on it admits the credential of client class grafana \(basic: read\)/);
    expect(text).not.toMatch(/HTTPRoute [^ ]*\/mimir-rules serves/);
  });
});

describe("jwksEgress CIDRs are parsed strictly (they become the proxies' egress rule)", () => {
  const jwtClass = (cidrs: unknown) => [agents, { name: "grafana", auth: { ...JWT, jwksEgress: { cidrs } }, groups: ["read"] }];
  const problem = (cidrs: unknown) => problemsOf(() => defineEnvironment(gatewayEnv({ auth: undefined, clients: jwtClass(cidrs) }))).find((p) => p.field === "clients[1].auth.jwksEgress.cidrs[0]");

  test.each([
    ["999.1.1.1/24", /octet|0 to 255|not an IPv4/],
    ["203.0.113.0/40", /prefix length above 32/],
    ["203.0.113.7/24", /host bits set: the network of this prefix is 203\.0\.113\.0\/24/],
    ["2001:db8::/32", /is not an IPv4 CIDR/],
  ])("%s is refused naming the field, the value and a fix", (cidr, rule) => {
    const p = problem([cidr]);
    expect(p).toMatchObject({ env: "test", value: cidr });
    expect(p!.rule).toMatch(rule);
    expect(p!.fix).toMatch(/203\.0\.113\.|\/32/);
  });

  test("a valid IPv4 network is accepted", () => {
    expect(defineEnvironment(gatewayEnv({ auth: undefined, clients: jwtClass(["203.0.113.0/24"]) })).clients[1].auth).toMatchObject({ jwksEgress: { cidrs: ["203.0.113.0/24"] } });
  });
});

describe("entry.operatorAccess with a Gateway-side first class", () => {
  const operatorAccess = { cidrs: ["10.0.5.0/24"], routes: [{ path: "/distributor/ha_tracker" }], acknowledged: "on-call HA tracker checks over the VPN" };
  const withOperators = (over: Record<string, unknown>) => {
    const base = gatewayEnv() as unknown as { entry: Record<string, unknown> };
    return gatewayEnv({ auth: undefined, entry: { ...base.entry, operatorAccess }, ...over });
  };
  const problem = (over: Record<string, unknown>) => problemsOf(() => defineEnvironment(withOperators(over))).find((p) => p.field === "entry.operatorAccess");

  test("a single basic auth is a config error (its listener authenticates nothing and the operator route has no Gateway authentication), not an MP018 refusal at synth", () => {
    const p = problem({ auth: basic("ops-users") });
    expect(p?.rule).toMatch(/first client listener, which belongs to default \(basic\): it authenticates at the Gateway, not at the load balancer/);
    expect(p?.fix).toMatch(/auth\.mode mtls or oidc/);
  });

  test("clients with a basic class first are refused, naming the class; the same classes with the mtls class first are accepted", () => {
    const ops = { name: "ops", auth: basic("ops-users"), groups: ["read", "rules"] };
    expect(problem({ clients: [ops, agents] })).toMatchObject({ env: "test", value: "(set)", fix: expect.stringMatching(/list an mtls or oidc class first in clients/) });
    expect(problem({ clients: [ops, agents] })?.rule).toMatch(/belongs to ops \(basic\)/);
    expect(defineEnvironment(withOperators({ clients: [agents, ops] })).entry.operatorAccess?.cidrs).toEqual(["10.0.5.0/24"]);
  });
});

describe("two jwt classes of one issuer and audience", () => {
  const jwtClass = (name: string, groups: string[], extra: Record<string, unknown> = {}) => ({ name, auth: { ...JWT, ...extra }, groups });
  const problem = (clients: unknown[]) => problemsOf(() => defineEnvironment(gatewayEnv({ auth: undefined, clients }))).find((p) => /^clients\[\d\]\.auth$/.test(p.field));

  test("without scopes or claims, the readers' token would pass the admins' SecurityPolicy: refused, naming both classes", () => {
    const p = problem([agents, jwtClass("admins", ["rules"]), jwtClass("grafana", ["read"])]);
    expect(p).toMatchObject({ env: "test", field: "clients[2].auth", value: JWT.issuer });
    expect(p!.rule).toMatch(/same issuer and audience as clients\[1\] \(admins\).*a token of one class would pass the other's SecurityPolicy/);
    expect(p!.fix).toMatch(/scopes or claims of its own/);
  });

  test("one class requiring a scope and the other none is refused (the unscoped class admits the scoped class's tokens)", () => {
    expect(problem([agents, jwtClass("admins", ["rules"]), jwtClass("grafana", ["read"], { scopes: ["metrics:read"] })])?.field).toBe("clients[2].auth");
  });

  test("the same scopes on both are refused; different scopes, or another audience, are accepted", () => {
    expect(problem([agents, jwtClass("admins", ["rules"], { scopes: ["m"] }), jwtClass("grafana", ["read"], { scopes: ["m"] })])?.field).toBe("clients[2].auth");
    const ok = (clients: unknown[]) => defineEnvironment(gatewayEnv({ auth: undefined, clients })).clients.map((c) => c.name);
    expect(ok([agents, jwtClass("admins", ["rules"], { scopes: ["rules:write"] }), jwtClass("grafana", ["read"], { scopes: ["metrics:read"] })])).toEqual(["agents", "admins", "grafana"]);
    expect(ok([agents, jwtClass("admins", ["rules"], { audiences: ["mimir-admin"] }), jwtClass("grafana", ["read"])])).toEqual(["agents", "admins", "grafana"]);
  });
});

describe("class scope: an own route to a group's paths", () => {
  const ownRulesRoute = (s: MimirStack, spec: Record<string, unknown>) => {
    manifest(s, "own-route", {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "own-rules", namespace: "mimir" },
      spec: {
        parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "mimir" }],
        hostnames: ["mimir.example.com"],
        rules: [{ matches: [{ path: { type: "PathPrefix", value: "/prometheus/config/v1/rules" }, headers: [{ name: "x-team", value: "obs" }] }], backendRefs: [{ group: "", kind: "Service", name: "mimir-ruler", port: 8080 }] }],
      },
    });
    manifest(s, "own-sp", securityPolicy("own-rules-auth", { targetRefs: [routeRef("own-rules")], ...spec }));
  };

  test("authenticated by the admins' users Secret (the class that holds rules) it is accepted", () => {
    expect(refusal((s) => ownRulesRoute(s, { basicAuth: { users: { name: "admin-users" } }, ...LB_ONLY }))).toBe("");
  });

  test("jwt: the readers' issuer and scope under another provider name is still the readers' credential: refused", () => {
    const jwtClasses = [agents, { name: "admins", auth: { ...JWT, scopes: ["rules:write"] }, groups: ["rules"] }, { name: "grafana", auth: { ...JWT, scopes: ["metrics:read"] }, groups: ["read"] }];
    const provider = { name: "atk", issuer: JWT.issuer, audiences: JWT.audiences, remoteJWKS: { uri: JWT.jwksUri } };
    const authorization = { defaultAction: "Deny", rules: [{ action: "Allow", principal: { clientCIDRs: ["10.0.0.0/24", "10.0.1.0/24"], jwt: { provider: "atk", scopes: ["metrics:read"] } } }] };
    expect(refusal(() => undefined, jwtClasses)).toBe("");
    expect(refusal((s) => ownRulesRoute(s, { jwt: { providers: [provider] }, authorization }), jwtClasses)).toMatch(/own-rules serves .*admits the credential of client class grafana \(jwt: read\)/);
  });

  test("the readers' users Secret with the user name forwarded as a header is still the readers' credential: refused", () => {
    expect(refusal((s) => ownRulesRoute(s, { basicAuth: { users: { name: "grafana-users" }, forwardUsernameHeader: "X-User" }, ...LB_ONLY }))).toMatch(/own-rules serves \/prometheus\/config\/v1\/rules .*admits the credential of client class grafana/);
  });
});

test("two jwt classes of one identity provider (the same jwksEgress CIDR) synthesize with one egress rule to it, not a construct-id crash", () => {
  const clients = [agents, { name: "admins", auth: { ...JWT, scopes: ["rules:write"] }, groups: ["rules"] }, { name: "grafana", auth: { ...JWT, scopes: ["metrics:read"] }, groups: ["read"] }];
  const json = synthJson(gatewayEnv({ auth: undefined, clients }));
  const toIdp = Object.values(resources(json, "aws_vpc_security_group_egress_rule")).filter((r) => r.cidr_ipv4 === "203.0.113.0/24");
  expect(toIdp.map((r) => [r.from_port, r.to_port, r.ip_protocol])).toEqual([[443, 443, "tcp"]]);
});
