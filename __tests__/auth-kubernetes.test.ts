import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { defineEnvironment } from "../modules/config/environment";
import { routePolicies, routeSecurityPolicy } from "../modules/kubernetes/auth/security-policy";
import { env, resources, ROOT, synthJson } from "./helpers";

/** Envoy Gateway v1.9.0's SecurityPolicy CRD (vendored, Apache-2.0): the schema the API server would apply. */
const crd = parse(readFileSync(join(ROOT, "__tests__/fixtures/envoy-gateway/gateway.envoyproxy.io_securitypolicies.yaml"), "utf8"));
const version = crd.spec.versions.find((v: { name: string }) => v.name === "v1alpha1");
const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true, logger: false }).compile(version.schema.openAPIV3Schema);

const BASIC = { mode: "basic", usersSecretName: "mimir-users" };
const envoy = { namespace: "envoy-gateway-system", serviceName: "envoy-mimir", healthCheckPath: "/healthz", podLabels: { "app.kubernetes.io/name": "envoy" } };
/** Basic auth needs the Gateway API entry (its HTTPRoutes carry the policy); no legacy Ingress. */
const GATEWAY_ENTRY = { entry: { gateway: { className: "eg" }, dataPlane: envoy }, loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"] }, ingress: undefined };

describe("basic auth at the Gateway API entry (Envoy Gateway SecurityPolicy)", () => {
  const json = synthJson(env({ ...GATEWAY_ENTRY, auth: BASIC }));
  const manifests = Object.values(resources(json, "kubernetes_manifest")).map((m) => m.manifest as Record<string, any>);
  const policy = manifests.find((m) => m.kind === "SecurityPolicy" && m.metadata.name === "mimir-basic-auth")!;

  test("the stack writes the basic-auth SecurityPolicy on the routes (and the created Gateway's own) in Mimir's namespace, valid against the CRD", () => {
    expect(manifests.filter((m) => m.kind === "SecurityPolicy").map((m) => m.metadata.name).sort()).toEqual(["mimir-basic-auth", "mimir-gateway-load-balancer-only"]);
    expect(policy).toMatchObject({ apiVersion: `${crd.spec.group}/v1alpha1`, metadata: { name: "mimir-basic-auth", namespace: expect.stringMatching(/^\$\{kubernetes_namespace_v1\..+\.metadata\[0\]\.name\}$/) } });
    expect(validate(policy)).toBe(true);
  });

  test("users come from the referenced Secret; the user name overwrites X-Scope-OrgID (tenant from the credential)", () => {
    expect(policy.spec.basicAuth).toEqual({ users: { name: "mimir-users" }, forwardUsernameHeader: "X-Scope-OrgID" });
    // Nothing secret in the synthesized JSON: no htpasswd content, no Secret object created.
    expect(JSON.stringify(json)).not.toMatch(/\{SHA\}|\.htpasswd"/);
    expect(resources(json, "kubernetes_secret_v1")).toEqual({});
  });

  test("it names every HTTPRoute of this release (targetRefs, the policy's own namespace) and admits only the load balancer's subnets", () => {
    // A route-level SecurityPolicy replaces the Gateway's for that route in Envoy Gateway, so it carries the authorization too.
    const routes = manifests.filter((m) => m.kind === "HTTPRoute");
    expect(routes.length).toBeGreaterThan(0);
    // One HTTPRoute per public API group, all of them the single basic class's.
    expect(routes.map((r) => r.metadata.name).sort()).toEqual(["mimir-alertmanager", "mimir-read", "mimir-rules", "mimir-write"]);
    expect(policy.spec.targetRefs).toEqual(["mimir-write", "mimir-read", "mimir-rules", "mimir-alertmanager"].map((name) => ({ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name })));
    expect(policy.spec.authorization).toEqual({ defaultAction: "Deny", rules: [{ name: "load-balancer-subnets", action: "Allow", principal: { clientCIDRs: ["10.0.0.0/24", "10.0.1.0/24"] } }] });
    // Nothing serves Mimir beside the routes (no Ingress).
    expect(resources(json, "kubernetes_ingress_v1")).toEqual({});
  });

  test("other modes write no basic authentication (the legacy ingress entry writes no SecurityPolicy at all)", () => {
    const none = synthJson(env({ auth: { mode: "none", reason: "sandbox without real data" } }));
    expect(Object.values(resources(none, "kubernetes_manifest")).filter((m) => (m.manifest as { kind: string }).kind === "SecurityPolicy")).toEqual([]);
    const gatewayNone = synthJson(env({ ...GATEWAY_ENTRY, auth: { mode: "none", reason: "sandbox without real data" } }));
    const policies = Object.values(resources(gatewayNone, "kubernetes_manifest")).map((m) => m.manifest as Record<string, any>).filter((m) => m.kind === "SecurityPolicy");
    expect(policies.length).toBe(2);
    for (const p of policies) expect(p.spec.basicAuth).toBeUndefined();
  });

  test("the CRD schema rejects what Envoy Gateway would reject (the check can fail)", () => {
    const e = defineEnvironment(env({ ...GATEWAY_ENTRY, auth: BASIC }));
    const good = routeSecurityPolicy(e, "mimir", routePolicies(e).find((p) => p.clientClass)!) as { spec: Record<string, any> };
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, spec: { ...good.spec, basicAuth: { forwardUsernameHeader: "X-Scope-OrgID" } } })).toBe(false);
    expect(validate({ ...good, spec: { ...good.spec, basicAuth: { users: { name: "" } } } })).toBe(false);
    expect(validate({ ...good, spec: { ...good.spec, targetSelectors: [{ matchLabels: { a: "b" } }] } })).toBe(false);
  });
});
