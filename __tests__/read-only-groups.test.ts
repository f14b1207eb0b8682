/**
 * The read-only groups `rules-read` and `alertmanager-read` (the GET forms of `rules` and `alertmanager`): a class
 * that holds one reads rule groups, the Alertmanager configuration, silences and alerts, and changes none of them,
 * whichever entry kind carries it; the combinations an entry cannot enforce are config errors.
 */
import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { defineEnvironment } from "../modules/config/environment";
import { resolveClients } from "../modules/config/clients";
import { CA, OIDC } from "./auth-fixtures";
import { albOutcome, httpRouteMatch, manifests } from "./entry-matchers";
import { ruleConditions } from "../modules/exposure/graph/rule-conditions";
import { env, gatewayEnv, problemsOf, ROOT, synthJson } from "./helpers";

type Json = Record<string, any>;
const IP = "10.0.1.10";
const agents = { name: "agents", auth: { mode: "mtls", caBundle: CA, tenant: "team-a" }, groups: ["write"] };
const basic = (usersSecretName: string) => ({ mode: "basic", usersSecretName, tenant: "team-a" });
const httpRouteCrd = parse(readFileSync(join(ROOT, "__tests__/fixtures/gateway-api/gateway.networking.k8s.io_httproutes.yaml"), "utf8"));
const validateRoute = new Ajv({ strict: false, validateFormats: false, allErrors: true, logger: false }).compile(httpRouteCrd.spec.versions.find((v: Json) => v.name === "v1").schema.openAPIV3Schema);

/** What a class may do through its listener (the ALB) and then the Gateway (the HTTPRoute that takes the request). */
const READS: Array<[string, string]> = [
  ["GET", "/prometheus/config/v1/rules"],
  ["GET", "/prometheus/config/v1/rules/team-a"],
  ["GET", "/prometheus/config/v1/rules/team-a/group-1"],
  ["GET", "/api/v1/alerts"],
  ["GET", "/alertmanager/api/v2/silences"],
  ["GET", "/alertmanager/api/v2/alerts"],
];
const CHANGES: Array<[string, string]> = [
  ["POST", "/prometheus/config/v1/rules/team-a"],
  ["DELETE", "/prometheus/config/v1/rules/team-a"],
  ["DELETE", "/prometheus/config/v1/rules/team-a/group-1"],
  ["POST", "/api/v1/alerts"],
  ["DELETE", "/api/v1/alerts"],
  ["POST", "/alertmanager/api/v2/silences"],
  ["DELETE", "/alertmanager/api/v2/silence/0b1c"],
  ["POST", "/alertmanager/api/v2/alerts"],
];

describe("viewers (oidc) with read, rules-read and alertmanager-read on a listener of their own", () => {
  const viewers = { name: "viewers", auth: OIDC, groups: ["read", "rules-read", "alertmanager-read"] };
  const json = synthJson(gatewayEnv({ auth: undefined, clients: [agents, viewers] }));

  test("the viewers' listener forwards every read and answers 404 to every change (http-request-method conditions)", () => {
    for (const [method, path] of READS) expect([method, path, albOutcome(json, path, IP, 8443, method).kind]).toEqual([method, path, "forward"]);
    for (const [method, path] of CHANGES) expect([method, path, albOutcome(json, path, IP, 8443, method)]).toEqual([method, path, { kind: "fixed-response", status: "404" }]);
    expect(albOutcome(json, "/prometheus/api/v1/query", IP, 8443, "POST").kind).toBe("forward");
  });

  test("the Gateway has rules-read and alertmanager-read HTTPRoutes with GET matches only: a change matches no route (404 at the Gateway)", () => {
    const names = manifests(json, "HTTPRoute").map((r) => r.metadata.name);
    expect(names).toEqual(expect.arrayContaining(["mimir-rules-read", "mimir-alertmanager-read"]));
    expect(names).not.toContain("mimir-rules");
    expect(names).not.toContain("mimir-alertmanager");
    expect(httpRouteMatch(json, "/prometheus/config/v1/rules/team-a", undefined, "GET")).toEqual({ route: "mimir-rules-read", backend: { service: "mimir-ruler", port: 8080 } });
    expect(httpRouteMatch(json, "/alertmanager/api/v2/silences", undefined, "GET")?.route).toBe("mimir-alertmanager-read");
    for (const [method, path] of CHANGES) expect([method, path, httpRouteMatch(json, path, undefined, method)]).toEqual([method, path, undefined]);
    for (const r of manifests(json, "HTTPRoute").filter((x) => ["mimir-rules-read", "mimir-alertmanager-read"].includes(x.metadata.name))) {
      expect(new Set(r.spec.rules.flatMap((rule: Json) => rule.matches.map((m: Json) => m.method)))).toEqual(new Set(["GET"]));
      expect([r.metadata.name, validateRoute(r), validateRoute.errors]).toEqual([r.metadata.name, true, null]);
    }
  });

  test("the agents' listener forwards push and OTLP as POST only, and no read-only path", () => {
    expect(albOutcome(json, "/api/v1/push", IP, 443, "POST").kind).toBe("forward");
    expect(albOutcome(json, "/api/v1/push", IP, 443, "GET").kind).toBe("fixed-response");
    for (const [method, path] of READS) expect(albOutcome(json, path, IP, 443, method).kind).toBe("fixed-response");
  });

  test("the entry serves the held read-only groups without listing them, and the contract output says so", () => {
    const e = defineEnvironment(gatewayEnv({ auth: undefined, clients: [agents, viewers] }));
    expect(e.entry.groups).toEqual(["write", "read", "rules", "rules-read", "alertmanager", "alertmanager-read"]);
    expect(e.entry.routes.filter((r) => r.group === "rules-read")).toEqual([{ path: "/prometheus/config/v1/rules", match: "prefix", component: "ruler", group: "rules-read", methods: ["GET"] }]);
  });
});

describe("a Gateway-side class with rules-read", () => {
  const viewers = { name: "viewers", auth: basic("viewer-users"), groups: ["read", "rules-read"] };
  const json = synthJson(gatewayEnv({ auth: undefined, clients: [agents, viewers] }));

  test("its SecurityPolicy is the one on the rules-read HTTPRoute, and a DELETE there matches nothing", () => {
    const policies = manifests(json, "SecurityPolicy").filter((p) => p.spec.targetRefs.some((t: Json) => t.name === "mimir-rules-read"));
    expect(policies.map((p) => p.metadata.name)).toEqual(["mimir-viewers-auth"]);
    expect(httpRouteMatch(json, "/prometheus/config/v1/rules/team-a/group-1", undefined, "DELETE")).toBeUndefined();
    expect(albOutcome(json, "/prometheus/config/v1/rules/team-a/group-1", IP, 8443, "DELETE").kind).toBe("fixed-response");
    expect(albOutcome(json, "/prometheus/config/v1/rules/team-a/group-1", IP, 8443, "GET").kind).toBe("forward");
  });
});

describe("config errors", () => {
  test("rules-read at the Gateway and rules on another class: a GET would meet the other class's policy", () => {
    const clients = [agents, { name: "viewers", auth: basic("viewer-users"), groups: ["rules-read"] }, { name: "admins", auth: OIDC, groups: ["rules", "alertmanager"] }];
    const p = problemsOf(() => defineEnvironment(gatewayEnv({ auth: undefined, clients })));
    const hit = p.find((x) => x.field === "clients[2].groups");
    expect(hit).toMatchObject({ env: "test", value: "rules" });
    expect(hit!.rule).toContain("shares its paths with rules-read of clients[1] (viewers)");
    expect(hit!.fix).toContain("give rules-read and rules to the same class");
  });

  test("rules and rules-read on two classes that both authenticate at the load balancer: each listener forwards only its own methods", () => {
    const clients = [{ ...agents, groups: ["write", "rules"] }, { name: "viewers", auth: OIDC, groups: ["rules-read"] }];
    const json = synthJson(gatewayEnv({ auth: undefined, clients }));
    const path = "/prometheus/config/v1/rules/team-a/group-1";
    expect(["GET", "DELETE"].map((m) => [m, albOutcome(json, path, IP, 443, m).kind, albOutcome(json, path, IP, 8443, m).kind])).toEqual([
      ["GET", "forward", "forward"],
      ["DELETE", "forward", "fixed-response"],
    ]);
    // Both HTTPRoutes carry the load-balancer-only policy: the listeners told the classes apart.
    const policyOf = (route: string) => manifests(json, "SecurityPolicy").filter((p) => p.spec.targetRefs.some((t: Json) => t.name === route)).map((p) => p.metadata.name);
    expect([policyOf("mimir-rules"), policyOf("mimir-rules-read")]).toEqual([["mimir-load-balancer-only"], ["mimir-load-balancer-only"]]);
    const r = resolveClients({ name: "prod", productionLike: true, clients: [{ name: "agents", auth: { mode: "mtls", caBundle: CA, tenant: "team-a" }, groups: ["write", "rules-read", "alertmanager-read"] }, { name: "admins", auth: OIDC, groups: ["rules", "alertmanager"] }] as never, loadBalancer: { type: "application", target: { kind: "ingress-controller" } }, serviceOwnership: "helm", helmValues: {}, entryKind: "gateway-api", entryGroups: ["write", "read", "rules", "alertmanager"] });
    // production-like: the agents may read rules and alerts (read-only groups are not administration)
    expect(r.problems.filter((x) => x.field.endsWith(".groups"))).toEqual([]);
  });

  test("a read-only group the entry cannot serve names entry.publicApi.groups and both ways to fix it", () => {
    const clients = [agents, { name: "viewers", auth: OIDC, groups: ["alertmanager-read"] }];
    const p = problemsOf(() => defineEnvironment(gatewayEnv({ auth: undefined, clients, entry: { ...(gatewayEnv().entry as object), publicApi: { groups: ["write", "read"] } } })));
    expect(p.find((x) => x.field === "clients[1].groups")).toMatchObject({ value: "alertmanager-read", fix: "add alertmanager or alertmanager-read to entry.publicApi.groups, or remove it from the class" });
  });

  test("the legacy ingress entry cannot match methods: a read-only group there is refused, listed or held", () => {
    const listed = problemsOf(() => defineEnvironment(env({ entry: { kind: "ingress", publicApi: { groups: ["write", "rules-read"] } } } as never)));
    expect(listed.find((x) => x.field === "entry.publicApi.groups")).toMatchObject({ value: "rules-read" });
    expect(listed.find((x) => x.field === "entry.publicApi.groups")!.rule).toContain("an Ingress cannot match HTTP methods");
    const held = problemsOf(() => defineEnvironment(env({ auth: undefined, clients: [agents, { name: "viewers", auth: OIDC, groups: ["rules-read"] }] } as never)));
    expect(held.find((x) => x.field === "clients[1].groups")).toMatchObject({ value: "rules-read" });
  });
});

test("the exposure model reads a method condition as a narrowing one beside the rule's paths, never an unknown (MP015)", () => {
  const json = synthJson(gatewayEnv({ auth: undefined, clients: [agents, { name: "viewers", auth: OIDC, groups: ["rules-read"] }] }));
  const rules = Object.entries(json.resource!.aws_lb_listener_rule) as Array<[string, Json]>;
  const methodLimited = rules.filter(([, r]) => r.condition.some((c: Json) => c.http_request_method));
  expect(methodLimited.length).toBeGreaterThan(0);
  for (const [name, r] of methodLimited) {
    const read = ruleConditions({ type: "aws_lb_listener_rule", name, address: `aws_lb_listener_rule.${name}`, values: r } as never);
    expect(read.unknown).toBeUndefined();
    expect(read.paths!.map((p) => p.value)).toEqual(r.condition.find((c: Json) => c.path_pattern).path_pattern.values);
    expect(read.others).toEqual([`http-request-method ${r.condition.find((c: Json) => c.http_request_method).http_request_method.values.join(", ")}`]);
  }
});
