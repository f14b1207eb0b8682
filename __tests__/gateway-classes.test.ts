/**
 * Client classes that authenticate at the Gateway (issue 27): one HTTPRoute per public API group, each with exactly
 * one SecurityPolicy (the class that holds the group, or the load-balancer-only one), the Gateway-side classes on one
 * load balancer listener that forwards only their groups, beside mtls/oidc classes on listeners of their own.
 */
import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { defineEnvironment } from "../modules/config/environment";
import { clientListeners } from "../modules/config/clients";
import { CA, JWT, OIDC } from "./auth-fixtures";
import { gatewayEnv, problemsOf, resources, ROOT, synthJson, type TfJson } from "./helpers";

type Json = Record<string, any>;
const crd = parse(readFileSync(join(ROOT, "__tests__/fixtures/envoy-gateway/gateway.envoyproxy.io_securitypolicies.yaml"), "utf8"));
const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true, logger: false }).compile(crd.spec.versions.find((v: Json) => v.name === "v1alpha1").schema.openAPIV3Schema);

const basic = (usersSecretName: string, tenant?: string) => ({ mode: "basic", usersSecretName, ...(tenant ? { tenant } : {}) });
const agents = { name: "agents", auth: { mode: "mtls", caBundle: CA, tenant: "team-a" }, groups: ["write"] };
const MIXED = [agents, { name: "grafana", auth: basic("grafana-users", "team-a"), groups: ["read"] }, { name: "admins", auth: basic("admin-users", "team-a"), groups: ["rules", "alertmanager"] }];

const manifests = (json: TfJson, kind: string) => Object.values(resources(json, "kubernetes_manifest")).map((m) => m.manifest as Json).filter((m) => m.kind === kind);
/** Per listener port: the paths its forwarding rules match, and the actions before each forward. */
function forwardedByPort(json: TfJson): Map<number, { paths: string[]; before: string[]; mutual?: string }> {
  const listeners = Object.entries(resources(json, "aws_lb_listener")) as Array<[string, Json]>;
  const byArn = new Map(listeners.map(([k, l]) => [`\${aws_lb_listener.${k}.arn}`, l]));
  const out = new Map<number, { paths: string[]; before: string[]; mutual?: string }>();
  for (const r of Object.values(resources(json, "aws_lb_listener_rule")) as Json[]) {
    if (!r.action.some((a: Json) => a.type === "forward")) continue;
    const l = byArn.get(r.listener_arn)!;
    const entry: { paths: string[]; before: string[]; mutual?: string } = out.get(l.port) ?? { paths: [], before: [], ...(l.mutual_authentication ? { mutual: l.mutual_authentication.mode } : {}) };
    entry.paths.push(...r.condition.flatMap((c: Json) => (c.path_pattern?.values ?? []) as string[]));
    entry.before.push(...r.action.filter((a: Json) => a.type !== "forward").map((a: Json) => a.type as string));
    out.set(l.port, entry);
  }
  return out;
}
/** Which SecurityPolicy targets each HTTPRoute (every route must have exactly one). */
function policyOfRoute(json: TfJson): Map<string, string[]> {
  const out = new Map<string, string[]>(manifests(json, "HTTPRoute").map((r) => [r.metadata.name, []]));
  for (const p of manifests(json, "SecurityPolicy")) for (const t of p.spec.targetRefs) if (t.kind === "HTTPRoute") out.get(t.name)?.push(p.metadata.name);
  return out;
}

describe("mtls agents on 443, two basic classes sharing the second listener", () => {
  const json = synthJson(gatewayEnv({ auth: undefined, clients: MIXED }));
  const byPort = forwardedByPort(json);

  test("443 verifies certificates and forwards only write; 8443 forwards only the Gateway-side classes' groups, authenticating nothing itself", () => {
    expect([...byPort.keys()].sort()).toEqual([443, 8443]);
    expect(byPort.get(443)).toMatchObject({ mutual: "verify" });
    expect([...new Set(byPort.get(443)!.paths)].sort()).toEqual(["/api/v1/push", "/otlp/v1/metrics"]);
    const gateway = byPort.get(8443)!;
    expect(gateway.mutual).toBeUndefined();
    expect(gateway.before).toEqual([]);
    expect(gateway.paths).toEqual(expect.arrayContaining(["/prometheus/api/v1/query", "/prometheus/config/v1/rules", "/alertmanager", "/api/v1/alerts"]));
    expect(gateway.paths).not.toContain("/api/v1/push");
    expect(gateway.paths).not.toContain("/otlp/v1/metrics");
  });

  test("one HTTPRoute per group, each targeted by exactly one SecurityPolicy: the class that holds it, or the load-balancer-only one", () => {
    expect(Object.fromEntries(policyOfRoute(json))).toEqual({
      "mimir-write": ["mimir-load-balancer-only"],
      "mimir-read": ["mimir-grafana-auth"],
      "mimir-rules": ["mimir-admins-auth"],
      "mimir-alertmanager": ["mimir-admins-auth"],
    });
  });

  test("each class's policy checks its own users Secret, admits only the load balancer's subnets and is valid against Envoy Gateway's CRD", () => {
    const byName = new Map(manifests(json, "SecurityPolicy").map((p) => [p.metadata.name, p]));
    expect(byName.get("mimir-grafana-auth")!.spec.basicAuth).toEqual({ users: { name: "grafana-users" } });
    expect(byName.get("mimir-admins-auth")!.spec.basicAuth).toEqual({ users: { name: "admin-users" } });
    expect(byName.get("mimir-load-balancer-only")!.spec.basicAuth).toBeUndefined();
    for (const p of byName.values()) {
      expect(p.spec.authorization).toEqual({ defaultAction: "Deny", rules: [{ name: "load-balancer-subnets", action: "Allow", principal: { clientCIDRs: ["10.0.0.0/24", "10.0.1.0/24"] } }] });
      expect(validate(p)).toBe(true);
    }
  });

  test("Mimir runs single-tenant: every class names the same tenant, so no user name becomes X-Scope-OrgID", () => {
    const release = Object.values(resources(json, "helm_release"))[0] as Json;
    const values = JSON.stringify(release.values);
    expect(values).toContain('multitenancy_enabled: false');
    expect(values).toContain('no_auth_tenant: team-a');
    for (const p of manifests(json, "SecurityPolicy")) expect(JSON.stringify(p)).not.toContain("forwardUsernameHeader");
  });

  test("the contract output names each class's listener and, for Gateway-side classes, its SecurityPolicy and routes", () => {
    const auth = (json.output!.mimir_port_contract.value as Json).auth;
    expect(auth.classes.map((c: Json) => [c.name, c.mode, c.listener, c.securityPolicy ?? null, c.routes ?? null])).toEqual([
      ["agents", "mtls", 443, null, null],
      ["grafana", "basic", 8443, "mimir-grafana-auth", ["mimir-read"]],
      ["admins", "basic", 8443, "mimir-admins-auth", ["mimir-rules", "mimir-alertmanager"]],
    ]);
    expect((json.output!.mimir_port_contract.value as Json).entry.routes.map((r: Json) => r.group)).toEqual(expect.arrayContaining(["write", "read", "rules", "alertmanager"]));
  });
});

test("only basic classes: one listener for all, more than two classes, and each user name is the tenant", () => {
  const classes = [
    { name: "agents", auth: basic("agent-users"), groups: ["write"] },
    { name: "grafana", auth: basic("grafana-users"), groups: ["read"] },
    { name: "admins", auth: basic("admin-users"), groups: ["rules", "alertmanager"] },
  ];
  const json = synthJson(gatewayEnv({ auth: undefined, clients: classes }));
  expect([...forwardedByPort(json).keys()]).toEqual([443]);
  expect(Object.fromEntries(policyOfRoute(json))).toEqual({ "mimir-write": ["mimir-agents-auth"], "mimir-read": ["mimir-grafana-auth"], "mimir-rules": ["mimir-admins-auth"], "mimir-alertmanager": ["mimir-admins-auth"] });
  for (const p of manifests(json, "SecurityPolicy").filter((x) => x.spec.basicAuth)) expect(p.spec.basicAuth.forwardUsernameHeader).toBe("X-Scope-OrgID");
  expect(JSON.stringify(Object.values(resources(json, "helm_release"))[0])).not.toContain("multitenancy_enabled");
});

test("oidc operators on 443 beside basic agents on 8443 synthesize clean: each route is authenticated where its listener forwards it", () => {
  const classes = [{ name: "operators", auth: OIDC, groups: ["read", "rules", "alertmanager"] }, { name: "agents", auth: basic("agent-users", OIDC.tenant), groups: ["write"] }];
  const json = synthJson(gatewayEnv({ auth: undefined, clients: classes }));
  const byPort = forwardedByPort(json);
  expect(new Set(byPort.get(443)!.before)).toEqual(new Set(["authenticate-oidc"]));
  expect([...new Set(byPort.get(8443)!.paths)].sort()).toEqual(["/api/v1/push", "/otlp/v1/metrics"]);
  expect(byPort.get(8443)!.before).toEqual([]);
  expect(policyOfRoute(json).get("mimir-write")).toEqual(["mimir-agents-auth"]);
  expect(policyOfRoute(json).get("mimir-rules")).toEqual(["mimir-load-balancer-only"]);
});

test("a group no class holds gets no HTTPRoute (and no listener forwards it)", () => {
  const json = synthJson(gatewayEnv({ auth: undefined, clients: [{ name: "agents", auth: basic("agent-users"), groups: ["write"] }] }));
  expect(Object.fromEntries(policyOfRoute(json))).toEqual({ "mimir-write": ["mimir-agents-auth"] });
  expect(forwardedByPort(json).get(443)!.paths.sort()).toEqual(["/api/v1/push", "/otlp/v1/metrics"]);
});

describe("refused (config errors naming the class)", () => {
  const problems = (clients: unknown[], over: Record<string, unknown> = {}) => problemsOf(() => defineEnvironment(gatewayEnv({ auth: undefined, clients, ...over })));
  const at = (ps: ReturnType<typeof problems>, field: string) => ps.find((p) => p.field === field);

  test("two Gateway-side classes holding one group (a route has one SecurityPolicy)", () => {
    const p = at(problems([{ name: "a", auth: basic("a-users"), groups: ["read"] }, { name: "b", auth: basic("b-users"), groups: ["read", "rules"] }]), "clients[1].groups");
    expect(p?.value).toBe("read");
    expect(p?.rule).toMatch(/is also a group of clients\[0\] \(a\); b authenticates at the Gateway/);
  });

  test("a Gateway-side class holding a group of an mtls class (the agents would be asked for its password)", () => {
    const p = at(problems([agents, { name: "legacy", auth: basic("legacy-users", "team-a"), groups: ["write"] }]), "clients[1].groups");
    expect(p?.rule).toMatch(/is also a group of clients\[0\] \(agents\); legacy authenticates at the Gateway/);
  });

  test("a basic class without a tenant beside a class that imposes one", () => {
    const p = at(problems([agents, { name: "grafana", auth: basic("grafana-users"), groups: ["read"] }]), "clients[1].auth.tenant");
    expect(p?.rule).toMatch(/agents \(mtls\) runs Mimir single-tenant \("team-a"\)/);
    expect(p?.fix).toBe('set clients[1].auth.tenant to "team-a"');
  });

  test("more listeners than the contract's two client ports", () => {
    const p = at(problems([agents, { name: "operators", auth: OIDC, groups: ["rules"] }, { name: "grafana", auth: basic("g", "team-a"), groups: ["read"] }]), "clients");
    expect(p?.rule).toMatch(/needs 3 load balancer listeners/);
  });

  test("two classes on one users Secret, and a Gateway-side class on a data plane that is not Envoy Gateway", () => {
    expect(at(problems([{ name: "a", auth: basic("users"), groups: ["write"] }, { name: "b", auth: basic("users"), groups: ["read"] }]), "clients[1].auth.usersSecretName")?.rule).toBe("is the users Secret of clients[0] (a), so one password would ride on both classes");
    const other = gatewayEnv().entry as Json;
    const ps = problems([{ name: "a", auth: basic("users"), groups: ["write"] }], { entry: { ...other, dataPlane: { ...other.dataPlane, implementation: "other" } } });
    expect(at(ps, "clients[0].auth.mode")?.rule).toMatch(/cannot enforce auth.mode basic/);
  });
});

test("clientListeners: mtls/oidc classes get a listener each, Gateway-side classes share the first one's place", () => {
  const e = defineEnvironment(gatewayEnv({ auth: undefined, clients: [MIXED[1], agents, MIXED[2]] }));
  expect(clientListeners(e.clients).map((l) => [l.at, l.classes.map((c) => c.name), l.groups])).toEqual([
    ["gateway", ["grafana", "admins"], ["read", "rules", "alertmanager"]],
    ["load-balancer", ["agents"], ["write"]],
  ]);
});

describe("a jwt class beside mtls agents (bearer tokens checked by Envoy Gateway)", () => {
  const grafana = { name: "grafana", auth: { ...JWT, scopes: ["metrics:read"], jwksEgress: { cidrs: ["203.0.113.0/24"] } }, groups: ["read"] };
  const json = synthJson(gatewayEnv({ auth: undefined, clients: [agents, grafana] }));

  test("its policy on the read route checks the issuer's tokens and ANDs the scope with the load balancer's subnets", () => {
    expect(Object.fromEntries(policyOfRoute(json))).toEqual({ "mimir-write": ["mimir-load-balancer-only"], "mimir-read": ["mimir-grafana-auth"] });
    const p = manifests(json, "SecurityPolicy").find((x) => x.metadata.name === "mimir-grafana-auth")!;
    expect(p.spec.jwt).toEqual({ providers: [{ name: "grafana", issuer: JWT.issuer, audiences: ["mimir"], remoteJWKS: { uri: JWT.jwksUri } }] });
    expect(p.spec.authorization.rules).toEqual([{ name: "load-balancer-subnets", action: "Allow", principal: { clientCIDRs: ["10.0.0.0/24", "10.0.1.0/24"], jwt: { provider: "grafana", scopes: ["metrics:read"] } } }]);
    expect(validate(p)).toBe(true);
  });

  test("the proxies' own security group may reach the identity provider on HTTPS, and only there beyond the cluster", () => {
    const egress = (Object.values(resources(json, "aws_vpc_security_group_egress_rule")) as Json[]).filter((r) => r.cidr_ipv4 !== undefined);
    expect(egress.map((r) => [r.cidr_ipv4, r.from_port, r.to_port])).toEqual([["203.0.113.0/24", 443, 443]]);
    expect(String(egress[0].description)).toMatch(/identity provider/);
  });

  test("without jwksEgress the class is refused (the proxies could not fetch the keys); the whole internet is refused when production-like", () => {
    const { jwksEgress: _e, ...bare } = grafana.auth;
    const missing = problemsOf(() => defineEnvironment(gatewayEnv({ auth: undefined, clients: [agents, { ...grafana, auth: bare }] }))).find((p) => p.field === "clients[1].auth.jwksEgress");
    expect(missing?.rule).toMatch(/every token gets 401/);
    const anywhere = problemsOf(() => defineEnvironment(gatewayEnv({ productionLike: true, auth: undefined, clients: [agents, { ...grafana, auth: { ...grafana.auth, jwksEgress: { cidrs: ["0.0.0.0/0"] } } }] })));
    expect(anywhere.find((p) => p.field === "clients[1].auth.jwksEgress.cidrs[0]")?.rule).toMatch(/every address in a production-like environment/);
  });
});
