import { environments } from "../main";
import type { EnvironmentInput } from "../modules/config/environment";
import { synthJson, type TfJson } from "./helpers";
import { manifests } from "./entry-matchers";
import { crdValidator } from "./helpers/crd";
import { OIDC } from "./auth-fixtures";
import { MAX_MATCHES_PER_RULE } from "../modules/kubernetes/gateway-api/http-route";

/**
 * Generated Gateway API objects and the TargetGroupBinding against the real
 * CRD schemas (openAPIV3Schema of the served storage version), vendored under
 * __tests__/fixtures/ with their LICENSE and a NOTICE naming tag and commit:
 * Gateway API v1.6.1 standard channel, AWS Load Balancer Controller v3.5.0.
 *
 * Like `kubectl apply --validate=strict`, a field the schema does not declare
 * is an error (every object schema with `properties` gets
 * `additionalProperties: false`; Kubernetes would silently prune it).
 * Kubernetes structural-schema extensions are ignored by ajv: `x-kubernetes-*`
 * list/map markers and the CEL rules in `x-kubernetes-validations`. The CEL
 * rules on HTTPRoute paths that matter here (absolute, no `//`, `/./`, `/../`,
 * `%2f`, `#`) are checked by hand below.
 */
const httpRoute = crdValidator("gateway-api/gateway.networking.k8s.io_httproutes.yaml", "v1");
const gateway = crdValidator("gateway-api/gateway.networking.k8s.io_gateways.yaml", "v1");
const tgb = crdValidator("aws-load-balancer-controller/elbv2.k8s.aws_targetgroupbindings.yaml", "v1beta1");

const envoy = { namespace: "envoy-gateway-system", serviceName: "envoy-mimir", healthCheckPath: "/healthz", podLabels: { "app.kubernetes.io/name": "envoy" } };
// Unauthenticated on purpose (acknowledges MP018): these suites test the entry, auth*.test.ts test authentication.
const input = (extra: Record<string, unknown>): EnvironmentInput =>
  ({ name: "test", region: "eu-west-1", state: { bucket: "test-state-bucket" }, deploymentMode: "microservices", loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"] }, auth: { mode: "none", reason: "test fixture: authentication is tested in auth*.test.ts" }, ...extra }) as EnvironmentInput;

const CASES: Array<[string, EnvironmentInput]> = [
  ...environments.map((e) => [`reference ${e.name}`, e] as [string, EnvironmentInput]),
  ["created Gateway, HTTPS, two hosts", input({ entry: { gateway: { className: "eg", tlsSecretName: "mimir-tls" }, dataPlane: envoy, hosts: ["a.example.com", "b.example.com"] } })],
  ["monolithic with operator access", input({ deploymentMode: "monolithic", entry: { gateway: { parentRef: { name: "shared", namespace: "gw", sectionName: "https" } }, dataPlane: envoy, operatorAccess: { cidrs: ["10.0.5.0/24"], routes: [{ path: "/distributor/ha_tracker" }, { path: "/config" }], acknowledged: "on-call debugging over the VPN, OPS-42" } } })],
  // Monolithic puts every public path in one rule: the most matches one rule gets (one per path and method).
  ["monolithic, every group (read-only ones too), OIDC viewers", input({ deploymentMode: "monolithic", auth: undefined, clients: [{ name: "viewers", auth: OIDC, groups: ["read", "rules-read", "alertmanager-read"] }, { name: "admins", auth: { ...OIDC, clientId: "mimir-admin" }, groups: ["write", "rules", "alertmanager", "block-upload"] }], entry: { gateway: { className: "eg" }, dataPlane: envoy, publicApi: { groups: ["write", "read", "rules", "alertmanager", "block-upload"] } } })],
  ["block upload on, override contract", input({ ports: { http: 8081, grpc: 9096, memberlist: 7947 }, entry: { gateway: { className: "eg" }, dataPlane: envoy, publicApi: { groups: ["write", "read", "block-upload"] } } })],
];

const FORBIDDEN_IN_PATH = ["//", "/./", "/../", "%2f", "%2F", "#"];

describe.each(CASES)("%s", (_name, env) => {
  const json: TfJson = synthJson(env);

  test("every HTTPRoute is valid against the v1 CRD (standard channel), paths pass the CRD's CEL path rules", () => {
    const routes = manifests(json, "HTTPRoute");
    expect(routes.length).toBeGreaterThan(0);
    for (const r of routes) {
      expect(r.apiVersion).toBe(`${httpRoute.group}/v1`);
      expect(httpRoute.errors(r)).toEqual([]);
      for (const rule of r.spec.rules) {
        expect(rule.matches.length).toBeLessThanOrEqual(MAX_MATCHES_PER_RULE);
        for (const m of rule.matches) {
          // Every public route is method-limited (one match per path and method); operator routes match every method.
          if (r.metadata.name.endsWith("-operator")) expect(m.method).toBeUndefined();
          else expect(["GET", "POST", "DELETE"]).toContain(m.method);
          expect(["Exact", "PathPrefix"]).toContain(m.path.type);
          expect(m.path.value.startsWith("/")).toBe(true);
          for (const bad of FORBIDDEN_IN_PATH) expect(m.path.value.includes(bad)).toBe(false);
          expect(/\/\.\.?$/.test(m.path.value)).toBe(false);
        }
      }
    }
  });

  test("a created Gateway is valid against the v1 CRD; the TargetGroupBinding against v1beta1", () => {
    const creates = Boolean((env as { entry?: { gateway?: { className?: string } } }).entry?.gateway?.className);
    expect(manifests(json, "Gateway")).toHaveLength(creates ? 1 : 0);
    for (const g of manifests(json, "Gateway")) {
      expect(g.apiVersion).toBe(`${gateway.group}/v1`);
      expect(gateway.errors(g)).toEqual([]);
    }
    const bindings = manifests(json, "TargetGroupBinding");
    expect(bindings).toHaveLength(1);
    expect(tgb.errors(bindings[0])).toEqual([]);
  });
});

describe("the validators reject what Kubernetes would reject or prune", () => {
  const json = synthJson(environments[1]);
  const route = manifests(json, "HTTPRoute")[0];

  test("an Ingress-style path type, a misspelt field, too many rules", () => {
    const prefix = structuredClone(route);
    prefix.spec.rules[0].matches[0].path.type = "Prefix";
    expect(httpRoute.errors(prefix).join("\n")).toMatch(/allowedValues/);
    const misspelt = structuredClone(route);
    misspelt.spec.rules[0].backendRef = misspelt.spec.rules[0].backendRefs;
    expect(httpRoute.errors(misspelt).join("\n")).toMatch(/additionalProperty.*backendRef/);
    const many = structuredClone(route);
    many.spec.rules = Array.from({ length: 17 }, () => route.spec.rules[0]);
    expect(httpRoute.errors(many).join("\n")).toMatch(/must NOT have more than 16 items/);
  });

  test("a method outside the CRD enum (lowercase), more than 64 matches in a rule", () => {
    const lower = structuredClone(route);
    lower.spec.rules[0].matches[0].method = "get";
    expect(httpRoute.errors(lower).join("\n")).toMatch(/allowedValues/);
    const matches = structuredClone(route);
    matches.spec.rules[0].matches = Array.from({ length: MAX_MATCHES_PER_RULE + 1 }, () => route.spec.rules[0].matches[0]);
    expect(httpRoute.errors(matches).join("\n")).toMatch(/must NOT have more than 64 items/);
  });

  test("a TargetGroupBinding without serviceRef", () => {
    const binding = structuredClone(manifests(json, "TargetGroupBinding")[0]);
    delete binding.spec.serviceRef;
    expect(tgb.errors(binding).join("\n")).toMatch(/serviceRef/);
  });
});
