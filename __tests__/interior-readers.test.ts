/**
 * Issue 20 readers, by their upstream semantics: Envoy Gateway SecurityPolicy /
 * ClientTrafficPolicy attachment (targetRefs, targetRef, targetSelectors,
 * sectionName; local to the policy's namespace), NetworkPolicies on the data
 * plane (only ipBlocks within the load balancer's subnets guard it), and
 * NetworkPolicy peers read as the pods they admit.
 */
import { cidrWithin } from "../modules/exposure/graph/cidr-within";
import { dataPlaneGuard, DataPlaneAuthIndex, routeAuthentication } from "../modules/exposure/graph/data-plane";
import { routeVerdict } from "../modules/exposure/graph/route-auth";
import { readDataPlaneAuth, securityPolicyHow } from "../modules/exposure/graph/envoy-policies";
import { Graph } from "../modules/exposure/graph/graph";
import { readK8s, type K8sObjects } from "../modules/exposure/graph/k8s-objects";
import { MimirScope } from "../modules/exposure/graph/mimir-scope";
import { podClassesOf } from "../modules/exposure/graph/pod-peers";
import type { ContractInfo, TfResource } from "../modules/exposure/terraform-json";

const LB = ["10.0.0.0/24", "10.0.1.0/24"];
const same = (ns: string | undefined) => ns ?? "default";
const m = (name: string, body: Record<string, unknown>): TfResource => ({ address: `kubernetes_manifest.${name}`, type: "kubernetes_manifest", name, values: { manifest: body } });
const sp = (name: string, spec: Record<string, unknown>, namespace = "mimir", apiVersion = "gateway.envoyproxy.io/v1alpha1") => m(name, { apiVersion, kind: "SecurityPolicy", metadata: { name, namespace }, spec });
const ctp = (name: string, spec: Record<string, unknown>, namespace = "mimir") => m(name, { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "ClientTrafficPolicy", metadata: { name, namespace }, spec });
const gw = (name: string, sectionName?: string) => ({ group: "gateway.networking.k8s.io", kind: "Gateway", name, ...(sectionName ? { sectionName } : {}) });
const route = (name: string, parents: Array<Record<string, unknown>>, labels: Record<string, string> = {}) => m(`route-${name}`, { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name, namespace: "mimir", labels }, spec: { parentRefs: parents, rules: [{ backendRefs: [{ name: "mimir", port: 8080 }] }] } });
const np = (name: string, namespace: string, podSelector: Record<string, string>, from?: Array<Record<string, unknown>>) => m(`np-${name}`, { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace }, spec: { podSelector: { matchLabels: podSelector }, policyTypes: ["Ingress"], ingress: [{ ...(from ? { from } : {}) }] } });
const BASIC = { basicAuth: { users: { name: "users" } } };

function authOf(resources: TfResource[], lb: readonly string[] | undefined = LB) {
  const k8s = readK8s(resources);
  return { k8s, auth: readDataPlaneAuth(k8s.other, lb) };
}

describe("Envoy Gateway SecurityPolicy / ClientTrafficPolicy: what authenticates, and what it targets", () => {
  test("basicAuth on a Gateway by targetRefs; jwt by the singular targetRef; a listener by sectionName", () => {
    const { auth } = authOf([sp("a", { targetRefs: [gw("mimir")], ...BASIC }), sp("b", { targetRef: { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "mimir" }, jwt: { providers: [{ name: "idp", remoteJWKS: { uri: "https://login.example.com/jwks" } }] } }), sp("c", { targetRefs: [gw("mimir", "https")], oidc: { provider: {} } })]);
    expect(auth.map((p) => [p.name, p.how, p.targets])).toEqual([
      ["a", "authentication (basicAuth)", [{ kind: "Gateway", name: "mimir" }]],
      ["b", "authentication (jwt)", [{ kind: "HTTPRoute", name: "mimir" }]],
      ["c", "authentication (oidc)", [{ kind: "Gateway", name: "mimir", sectionName: "https" }]],
    ]);
  });

  test("a SecurityPolicy of another API group is not Envoy Gateway's and is not read", () => {
    expect(authOf([sp("x", { targetRefs: [gw("mimir")], ...BASIC }, "mimir", "security.example.com/v1")]).auth).toEqual([]);
  });

  test.each([
    ["Deny + Allow only the load balancer's subnets", { defaultAction: "Deny", rules: [{ action: "Allow", principal: { clientCIDRs: ["10.0.0.0/25", "10.0.1.0/24"] } }] }, LB, /only the load balancer's subnets \(10\.0\.0\.0\/25, 10\.0\.1\.0\/24\)/],
    ["Deny + Allow a wider CIDR", { defaultAction: "Deny", rules: [{ action: "Allow", principal: { clientCIDRs: ["10.0.0.0/16"] } }] }, LB, undefined],
    ["Deny + Allow by a JWT claim (no CIDRs)", { defaultAction: "Deny", rules: [{ action: "Allow", principal: { jwt: { provider: "idp" } } }] }, LB, undefined],
    ["Allow by default", { defaultAction: "Allow", rules: [{ action: "Deny", principal: { clientCIDRs: ["192.0.2.0/24"] } }] }, LB, undefined],
    ["Deny + Allow CIDRs while the load balancer's subnets are unknown", { defaultAction: "Deny", rules: [{ action: "Allow", principal: { clientCIDRs: ["10.0.0.0/24"] } }] }, undefined, undefined],
    ["Deny everyone", { defaultAction: "Deny", rules: [] }, LB, /denying every client/],
  ])("authorization: %s", (_name, authorization, lb, want) => {
    const how = securityPolicyHow({ authorization }, lb);
    if (want) expect(how).toMatch(want);
    else expect(how).toBeUndefined();
  });

  test("ClientTrafficPolicy: required client validation counts, optional does not, and only Gateways are its targets", () => {
    const { auth } = authOf([
      ctp("required", { targetRefs: [gw("mimir"), { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "mimir" }], tls: { clientValidation: { caCertificateRefs: [{ name: "ca" }] } } }),
      ctp("optional", { targetRefs: [gw("mimir")], tls: { clientValidation: { optional: true, caCertificateRefs: [{ name: "ca" }] } } }),
    ]);
    expect(auth.map((p) => [p.name, p.how, p.targets.map((t) => t.kind)])).toEqual([
      ["required", expect.stringMatching(/client certificate validation/), ["Gateway"]],
      ["optional", undefined, ["Gateway"]],
    ]);
  });
});

describe("a route is authenticated at the data plane only when every Gateway (listener) it is attached to is covered", () => {
  const check = (resources: TfResource[], routeIndex = 0) => {
    const { k8s, auth } = authOf(resources);
    return routeAuthentication(k8s.routes[routeIndex], new DataPlaneAuthIndex(auth, same), k8s, same);
  };
  test("a policy on the route itself", () => expect(check([route("mimir", [{ name: "mimir" }]), sp("p", { targetRefs: [{ kind: "HTTPRoute", name: "mimir" }], ...BASIC })])).toMatch(/SecurityPolicy p: authentication \(basicAuth\)/));
  test("a policy on the Gateway covers a route attached to it", () => expect(check([route("mimir", [{ name: "mimir" }]), sp("p", { targetRefs: [gw("mimir")], ...BASIC })])).toBeDefined());
  test("a policy on one listener does not cover a route attached to every listener", () => expect(check([route("mimir", [{ name: "mimir" }]), sp("p", { targetRefs: [gw("mimir", "https")], ...BASIC })])).toBeUndefined());
  test("a policy on one listener covers a route attached to that listener", () => expect(check([route("mimir", [{ name: "mimir", sectionName: "https" }]), sp("p", { targetRefs: [gw("mimir", "https")], ...BASIC })])).toBeDefined());
  test("a policy on another Gateway does not count", () => expect(check([route("mimir", [{ name: "mimir" }]), sp("p", { targetRefs: [gw("shop")], ...BASIC })])).toBeUndefined());
  test("targetRefs are local: a policy in another namespace does not cover the Gateway", () => expect(check([route("mimir", [{ name: "mimir" }]), sp("p", { targetRefs: [gw("mimir")], ...BASIC }, "shop")])).toBeUndefined());
  test("two parents: a policy on one of them leaves the other way open", () => expect(check([route("mimir", [{ name: "mimir" }, { name: "platform", namespace: "gateway-system" }]), sp("p", { targetRefs: [gw("mimir")], ...BASIC })])).toBeUndefined());
  test("targetSelectors match the route's labels", () => {
    expect(check([route("mimir", [{ name: "mimir" }], { team: "obs" }), sp("p", { targetSelectors: [{ kind: "HTTPRoute", matchLabels: { team: "obs" } }], ...BASIC })])).toBeDefined();
    expect(check([route("mimir", [{ name: "mimir" }], { team: "obs" }), sp("p", { targetSelectors: [{ kind: "HTTPRoute", matchLabels: { team: "shop" } }], ...BASIC })])).toBeUndefined();
  });
  test("extAuth that fails open and jwt that lets requests without a token through do not count", () => {
    expect(check([route("mimir", [{ name: "mimir" }]), sp("p", { targetRefs: [gw("mimir")], extAuth: { failOpen: true, http: {} } })])).toBeUndefined();
    expect(check([route("mimir", [{ name: "mimir" }]), sp("p", { targetRefs: [gw("mimir")], jwt: { optional: true, providers: [] } })])).toBeUndefined();
  });
  test("ClientTrafficPolicy client validation counts only where every attached listener terminates TLS", () => {
    const gateway = (listeners: Array<Record<string, unknown>>) => m("gw", { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "mimir", namespace: "mimir" }, spec: { gatewayClassName: "eg", listeners } });
    const policy = ctp("mtls", { targetRefs: [gw("mimir")], tls: { clientValidation: { caCertificateRefs: [{ name: "ca" }] } } });
    expect(check([route("mimir", [{ name: "mimir" }]), gateway([{ name: "https", port: 443, protocol: "HTTPS" }]), policy])).toMatch(/client certificate validation/);
    expect(check([route("mimir", [{ name: "mimir" }]), gateway([{ name: "https", port: 443, protocol: "HTTPS" }, { name: "http", port: 80, protocol: "HTTP" }]), policy])).toBeUndefined();
    expect(check([route("mimir", [{ name: "mimir", sectionName: "https" }]), gateway([{ name: "https", port: 443, protocol: "HTTPS" }, { name: "http", port: 80, protocol: "HTTP" }]), policy])).toBeDefined();
    expect(check([route("mimir", [{ name: "mimir" }]), policy])).toBeUndefined(); // its Gateway is not in the stack
  });
  test("a policy that does not authenticate (no method) does not count", () => expect(check([route("mimir", [{ name: "mimir" }]), sp("p", { targetRefs: [gw("mimir")], cors: { allowOrigins: ["*"] } })])).toBeUndefined());
});

describe("Envoy Gateway precedence: the most specific level decides, and a conflict there is proven only when every policy counts", () => {
  const ROUTE = { kind: "HTTPRoute", name: "mimir" };
  const CORS = { cors: { allowOrigins: ["*"] } };
  const verdict = (resources: TfResource[]) => {
    const { k8s, auth } = authOf(resources);
    return routeVerdict(k8s.routes[0], new DataPlaneAuthIndex(auth, same, (p) => p.how !== undefined && !p.byClientCidrs), k8s, same);
  };
  const attached = route("mimir", [{ name: "mimir" }]);
  test("two route-level policies, one without authentication: the oldest applies, which the JSON cannot show", () => {
    const v = verdict([attached, sp("basic", { targetRefs: [ROUTE], ...BASIC }), sp("cors", { targetRefs: [ROUTE], ...CORS })]);
    expect(v.how).toBeUndefined();
    expect(v.why).toMatch(/SecurityPolicies basic, cors|SecurityPolicies cors, basic/);
    expect(v.why).toMatch(/applies only the oldest .*SecurityPolicy cors does not authenticate/);
  });
  test("two route-level policies that authenticate different credentials are not proven (the oldest applies: the route may admit the other's clients)", () => {
    const v = verdict([attached, sp("basic", { targetRefs: [ROUTE], ...BASIC }), sp("jwt", { targetRefs: [ROUTE], jwt: { providers: [{ name: "idp", remoteJWKS: { uri: "https://idp.example.com/jwks" } }] } })]);
    expect(v.how).toBeUndefined();
    expect(v.why).toMatch(/SecurityPolicies basic, jwt all target HTTPRoute mimir, authenticate different credentials, and Envoy Gateway applies only the oldest/);
    const readers = verdict([attached, sp("admins", { targetRefs: [ROUTE], basicAuth: { users: { name: "admin-users" } } }), sp("readers", { targetRefs: [ROUTE], basicAuth: { users: { name: "reader-users" } } })]);
    expect(readers.why).toMatch(/authenticate different credentials/);
  });
  test("two route-level policies with the same credential are proven (whichever applies admits the same clients)", () => {
    expect(verdict([attached, sp("basic", { targetRefs: [ROUTE], ...BASIC }), sp("basic-again", { targetRefs: [ROUTE], ...BASIC })]).how).toMatch(/basic.*basic-again|basic-again.*basic/);
  });
  test("a route-level policy selected by labels conflicts like one by name", () => {
    const labelled = route("mimir", [{ name: "mimir" }], { group: "read" });
    expect(verdict([labelled, sp("basic", { targetRefs: [ROUTE], ...BASIC }), sp("by-label", { targetSelectors: [{ kind: "HTTPRoute", matchLabels: { group: "read" } }], ...CORS })]).how).toBeUndefined();
  });
  test("the route's own policy replaces the Gateway's: authorization on the route hides basic auth on the Gateway", () => {
    const v = verdict([attached, sp("gateway-basic", { targetRefs: [gw("mimir")], ...BASIC }), sp("route-lb-only", { targetRefs: [ROUTE], authorization: { defaultAction: "Deny", rules: [{ action: "Allow", principal: { clientCIDRs: LB } }] } })]);
    expect(v.how).toBeUndefined();
    expect(v.why).toMatch(/route-lb-only on HTTPRoute mimir does not authenticate, and the route's own policy replaces the Gateway's/);
  });
  test("a policy on one of the route's rules (sectionName) that does not authenticate opens that rule", () => {
    expect(verdict([attached, sp("basic", { targetRefs: [ROUTE], ...BASIC }), sp("rule", { targetRefs: [{ ...ROUTE, sectionName: "query" }], ...CORS })]).why).toMatch(/rule on one of its rules \(sectionName\)/);
    expect(verdict([attached, sp("basic", { targetRefs: [ROUTE], ...BASIC }), sp("rule", { targetRefs: [{ ...ROUTE, sectionName: "query" }], ...BASIC })]).how).toMatch(/basic/);
  });
  test("two Gateway-level policies conflict too; a listener's own policy must count for a route on every listener", () => {
    expect(verdict([attached, sp("a", { targetRefs: [gw("mimir")], ...BASIC }), sp("b", { targetRefs: [gw("mimir")], ...CORS })]).how).toBeUndefined();
    expect(verdict([attached, sp("a", { targetRefs: [gw("mimir")], ...BASIC }), sp("l", { targetRefs: [gw("mimir", "admin")], ...CORS })]).how).toBeUndefined();
    // Attached to one listener: that listener's policy decides, the Gateway's does not apply there.
    expect(verdict([route("mimir", [{ name: "mimir", sectionName: "https" }]), sp("a", { targetRefs: [gw("mimir")], ...CORS }), sp("l", { targetRefs: [gw("mimir", "https")], ...BASIC })]).how).toMatch(/SecurityPolicy l/);
  });
});

describe("NetworkPolicies on the data-plane pods guard it only with ipBlocks within the load balancer's subnets", () => {
  const ENVOY = { "app.kubernetes.io/name": "envoy", "app.kubernetes.io/component": "proxy" };
  const guard = (resources: TfResource[], lb: readonly string[] | null = LB) => dataPlaneGuard(readK8s(resources).policies, "envoy-gateway-system", [ENVOY], lb ?? undefined, same);
  test("no policy: every pod reaches it", () => expect(guard([]).who).toMatch(/any namespace/));
  test("ipBlocks within the subnets: guarded", () => expect(guard([np("lb", "envoy-gateway-system", ENVOY, [{ ipBlock: { cidr: "10.0.0.0/24" } }, { ipBlock: { cidr: "10.0.1.128/25" } }])])).toEqual({}));
  test("an empty podSelector selects the data-plane pods too", () => expect(guard([np("lb", "envoy-gateway-system", {}, [{ ipBlock: { cidr: "10.0.0.0/24" } }])])).toEqual({}));
  test("a wider ipBlock is not the load balancer", () => expect(guard([np("lb", "envoy-gateway-system", ENVOY, [{ ipBlock: { cidr: "10.0.0.0/16" } }])]).who).toMatch(/10\.0\.0\.0\/16/));
  test("without entry.loadBalancerCidrs no ipBlock is the load balancer", () => expect(guard([np("lb", "envoy-gateway-system", ENVOY, [{ ipBlock: { cidr: "10.0.0.0/24" } }])], null).who).toMatch(/loadBalancerCidrs is not set/));
  test("a policy that selects other pods (or lives in another namespace) does not guard it", () => {
    expect(guard([np("other", "envoy-gateway-system", { app: "other" }, [{ ipBlock: { cidr: "10.0.0.0/24" } }])]).who).toMatch(/any namespace/);
    expect(guard([np("elsewhere", "shop", ENVOY, [{ ipBlock: { cidr: "10.0.0.0/24" } }])]).who).toMatch(/any namespace/);
  });
  test("a second policy that admits pods opens it (policies are a union)", () => {
    const g = guard([np("lb", "envoy-gateway-system", ENVOY, [{ ipBlock: { cidr: "10.0.0.0/24" } }]), np("tools", "envoy-gateway-system", ENVOY, [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "tools" } } }])]);
    expect(g.who).toMatch(/pods admitted by namespaceSelector kubernetes\.io\/metadata\.name=tools/);
    expect(g.policy?.name).toBe("tools");
  });
});

describe("NetworkPolicy peers read as the pods they admit", () => {
  const contract = { ports: { http: 8080, grpc: 9095, memberlist: 7946 }, neighbours: {}, namespace: "mimir", release: "mimir", acknowledgements: [], declared: true } as ContractInfo;
  const scope = new MimirScope(new Graph(), contract, { services: [], workloads: [], routes: [], gateways: [], policies: [], bindings: [], sgPolicies: [], other: [] } as K8sObjects, same);
  const kinds = (peer: Record<string, any>) => podClassesOf(peer, "mimir", scope).map((c) => (c.kind === "named" || c.kind === "namespace" ? `${c.kind}: ${c.label}` : c.kind));
  test.each([
    ["namespaceSelector {} with a podSelector: any namespace", { namespaceSelector: {}, podSelector: { app: "grafana" } }, ["other-namespace", "own-namespace"]],
    ["podSelector {}: every pod of Mimir's namespace", { podSelector: {} }, ["own-namespace"]],
    ["Mimir's own labels: Mimir's pods", { podSelector: { "app.kubernetes.io/name": "mimir" } }, []],
    ["a named namespace without pods", { namespaceSelector: { "kubernetes.io/metadata.name": "monitoring" } }, ["namespace: every pod in namespace monitoring"]],
    ["named pods in a named namespace", { namespaceSelector: { "kubernetes.io/metadata.name": "monitoring" }, podSelector: { app: "prometheus" } }, ["named: pods app=prometheus in namespace monitoring"]],
    ["namespaces by another label", { namespaceSelector: { team: "obs" } }, ["namespace: every pod in namespaces labelled team=obs"]],
    ["an ipBlock admits addresses, not pods", { ipBlock: "10.0.0.0/24" }, []],
  ])("%s", (_name, peer, want) => expect(kinds(peer)).toEqual(want));
});

test("cidrWithin: same family, prefix at least as long, same network", () => {
  expect(cidrWithin("10.0.0.128/25", ["10.0.0.0/24"])).toBe(true);
  expect(cidrWithin("10.0.0.0/16", ["10.0.0.0/24"])).toBe(false);
  expect(cidrWithin("10.0.2.0/24", LB)).toBe(false);
  expect(cidrWithin("2001:db8::/64", ["2001:db8::/32"])).toBe(true);
  expect(cidrWithin("2001:db8::/64", ["10.0.0.0/8"])).toBe(false);
});
