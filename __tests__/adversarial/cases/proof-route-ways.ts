/**
 * Issue 27: client classes split between the load balancer and the Gateway. The Gateway API entry has one
 * HTTPRoute per API group, each with one route-level SecurityPolicy: basicAuth/jwt (plus authorization admitting
 * only the load balancer's subnets) for groups a Gateway-side class holds, authorization alone for groups the load
 * balancer authenticates (mutual TLS on its listener, authenticate-oidc in its rules). MP018 judges each route by
 * its ways in: a way through a listener that authenticates nothing, into a route that authenticates nothing, is a
 * hole whatever the other listeners do.
 *
 * Every case starts from the hardened Gateway API entry (interior base "gateway": mutual TLS on 443, the data plane
 * admitting only the load balancer's subnets) and replaces the entry's own routes and SecurityPolicies with the
 * per-group shape built here, so the cases do not depend on how the stack names its routes.
 */
import type { TerraformStack } from "cdktf";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { publicRoutes, type PublicApiGroup, type PublicRoute } from "../../../modules/contract/public-api";
import { CERT, manifest, MIMIR_NS, parts, TLS_POLICY } from "../attack";
import { PORT } from "../expectations";
import type { Expect, SynthCase } from "../harness";
import { OIDC } from "../../auth-fixtures";
import { c, GATEWAY_ENV, LB_SUBNETS, securityPolicy } from "./interior";

type Group = Exclude<PublicApiGroup, "block-upload" | "rules-read" | "alertmanager-read">;
const GROUPS: readonly Group[] = ["write", "read", "rules", "alertmanager"];
/** The chart's Services behind each component (as the stack's own route names them). */
const SERVICE: Record<string, string> = { distributor: "mimir-distributor", "query-frontend": "mimir-query-frontend", ruler: "mimir-ruler", alertmanager: "mimir-alertmanager-headless" };

const isManifestOf = (x: unknown, kinds: readonly string[]) => kinds.includes(String((x as { manifestInput?: { kind?: string } }).manifestInput?.kind));

/** Removes the entry's own HTTPRoutes and SecurityPolicies (the case builds the per-group shape itself). */
function withoutEntryRoutes(s: TerraformStack): void {
  for (const x of parts(s).stack.node.findAll()) {
    if (isManifestOf(x, ["HTTPRoute", "SecurityPolicy"]) && x.node.scope) x.node.scope.node.tryRemoveChild(x.node.id);
  }
}

/** One group's HTTPRoute on the entry's Gateway: a rule per component (named after it), exact / PathPrefix matches as the contract lists them. */
function groupRoute(s: TerraformStack, group: Group, labels: Record<string, string> = {}): string {
  const name = `mimir-${group}`;
  const byService = new Map<string, PublicRoute[]>();
  for (const r of publicRoutes([group])) byService.set(SERVICE[r.component], [...(byService.get(SERVICE[r.component]) ?? []), r]);
  const rules = [...byService].map(([service, routes]) => ({
    name: routes[0].component,
    matches: routes.map((r) => ({ path: { type: r.match === "exact" ? "Exact" : "PathPrefix", value: r.path } })),
    backendRefs: [{ group: "", kind: "Service", name: service, port: 8080 }],
  }));
  manifest(s, `route-${group}`, { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name, namespace: MIMIR_NS, labels: { "app.kubernetes.io/part-of": "mimir", group, ...labels } }, spec: { parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "mimir" }], rules } });
  return name;
}

const LB_ONLY = { authorization: { defaultAction: "Deny", rules: [{ action: "Allow", principal: { clientCIDRs: LB_SUBNETS } }] } };
const BASIC = { basicAuth: { users: { name: "mimir-operators" }, forwardUsernameHeader: "X-Scope-OrgID" }, ...LB_ONLY };
const JWT = { jwt: { providers: [{ name: "idp", issuer: "https://idp.example.com", remoteJWKS: { uri: "https://idp.example.com/jwks" }, claimToHeaders: [{ claim: "tenant", header: "X-Scope-OrgID" }] }] }, ...LB_ONLY };
type Auth = "basic" | "jwt" | "lb-only" | "none";
const SPEC: Record<Exclude<Auth, "none">, Record<string, unknown>> = { basic: BASIC, jwt: JWT, "lb-only": LB_ONLY };

const routeRef = (name: string) => ({ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name });
/** A route-level SecurityPolicy (targetRefs) on the given routes. */
const routePolicy = (s: TerraformStack, id: string, auth: Exclude<Auth, "none">, routes: readonly string[]) => securityPolicy(s, id, MIMIR_NS, { targetRefs: routes.map(routeRef), ...SPEC[auth] });

/** The per-group entry: a route per group and, per group, its route-level SecurityPolicy (one per auth kind). */
function perGroupEntry(s: TerraformStack, auth: Record<Group, Auth>): void {
  withoutEntryRoutes(s);
  const byAuth = new Map<Auth, string[]>();
  for (const g of GROUPS) byAuth.set(auth[g], [...(byAuth.get(auth[g]) ?? []), groupRoute(s, g)]);
  for (const [a, routes] of byAuth) if (a !== "none") routePolicy(s, `mimir-${a}-auth`, a, routes);
}

/** ALB path patterns of groups (exact: the path; prefix: the path and path/*), as the stack writes its rules. */
const patterns = (groups: readonly Group[]) => publicRoutes([...groups]).flatMap((r) => (r.match === "exact" ? [r.path] : [r.path, `${r.path}/*`]));
const chunks = <T,>(xs: readonly T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

const OIDC_ACTION = { type: "authenticate-oidc", order: 1, authenticateOidc: { authorizationEndpoint: "https://idp.example.com/auth", clientId: "mimir", clientSecret: "not-a-secret", issuer: "https://idp.example.com", tokenEndpoint: "https://idp.example.com/token", userInfoEndpoint: "https://idp.example.com/userinfo" } };

/**
 * Another HTTPS listener on the entry's load balancer (reachable from the load balancer's clients): no ALB
 * authentication unless a rule runs `authenticate-oidc` first; its default action answers 404 unless `forwardAll`;
 * one rule per ≤5 patterns (the ALB limit), numbered from `priority`.
 */
function listener(s: TerraformStack, id: string, port: number, rules: ReadonlyArray<{ patterns: readonly string[]; oidc?: boolean }>, opts: { forwardAll?: boolean; priority?: number } = {}): void {
  const p = parts(s);
  new VpcSecurityGroupIngressRule(s, `${id}-clients`, { securityGroupId: p.lbSg.id, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "10.0.0.0/16", description: "clients" });
  const l = new LbListener(s, id, {
    loadBalancerArn: p.lb.arn,
    port,
    protocol: "HTTPS",
    certificateArn: CERT,
    sslPolicy: TLS_POLICY,
    defaultAction: [opts.forwardAll ? { type: "forward", targetGroupArn: p.tg.arn } : { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "404 page not found", statusCode: "404" } }],
  });
  let priority = opts.priority ?? 10;
  for (const [i, r] of rules.entries()) {
    for (const [j, values] of chunks(r.patterns, 5).entries()) {
      const forward = { type: "forward", targetGroupArn: p.tg.arn, ...(r.oidc ? { order: 2 } : {}) };
      new LbListenerRule(s, `${id}-rule-${i}-${j}`, { listenerArn: l.arn, priority: priority++, condition: [{ pathPattern: { values: [...values] } }], action: r.oidc ? [OIDC_ACTION, forward] : [forward] });
    }
  }
}

/** The Gateway-side classes' listener: no ALB authentication, forwarding only those classes' paths (the designed shape). */
const operatorsListener = (s: TerraformStack, groups: readonly Group[], id = "operators") => listener(s, id, 8443, [{ patterns: patterns(groups) }]);

const MP018 = /MP018/;
const FROM_CLIENTS = /10\.0\.0\.0\/16/;
const exposure = (name: string, build: (s: TerraformStack) => void, expect: Partial<Expect>): SynthCase => c("proof-route-ways", name, "gateway", build, { rule: MP018, source: FROM_CLIENTS, port: PORT.http, ...expect });
const neighbour = (name: string, build: (s: TerraformStack) => void): SynthCase => c("neighbour", name, "gateway", build);

/** The same hardened entry with operators authenticated by authenticate-oidc in every rule of 443 (no listener verifies certificates). */
const onOidcEntry = (x: SynthCase): SynthCase => ({ ...x, env: { ...GATEWAY_ENV, auth: OIDC } });

/** Agents by mutual TLS on 443 (write), operators by basic auth at the Gateway through 8443 (read, rules, alertmanager). */
const MIXED: Record<Group, Auth> = { write: "lb-only", read: "basic", rules: "basic", alertmanager: "basic" };

export const ROUTE_WAY_EXPOSURES: SynthCase[] = [
  onOidcEntry(exposure("no listener verifies certificates: 443's rules run authenticate-oidc, but 8443 also forwards the rules route's paths", (s) => {
    perGroupEntry(s, { write: "lb-only", read: "basic", rules: "lb-only", alertmanager: "lb-only" });
    listener(s, "atk-readers", 8443, [{ patterns: patterns(["read", "rules"]) }]);
  }, { at: /atk-readers/, also: [/mimir-rules/, /\/prometheus\/config\/v1\/rules/] })),
  exposure("the operators' unauthenticated listener also forwards /api/v1/push into the write route (authorization only)", (s) => {
    perGroupEntry(s, MIXED);
    listener(s, "atk-operators", 8443, [{ patterns: patterns(["read", "rules", "alertmanager"]) }, { patterns: ["/api/v1/push"] }]);
  }, { at: /HTTPRoute mimir\/mimir-write/, also: [/atk-operators \(HTTPS :8443\) without authentication there/, /=?\/api\/v1\/push/, /no authenticating policy targets it/] }),
  exposure("the operators' listener forwards by its default action (every path reaches the write route)", (s) => {
    perGroupEntry(s, MIXED);
    listener(s, "atk-operators-default", 8443, [{ patterns: patterns(["read", "rules", "alertmanager"]) }], { forwardAll: true });
  }, { at: /atk-operators-default/, also: [/mimir-write/, /its default action/, /paths =\/api\/v1\/push, =\/otlp\/v1\/metrics/] }),
  exposure("a /* rule on the operators' listener overlaps the write route's paths", (s) => {
    perGroupEntry(s, MIXED);
    listener(s, "atk-operators-star", 8443, [{ patterns: patterns(["read"]) }, { patterns: ["/*"] }]);
  }, { at: /atk-operators-star/, also: [/mimir-write/, /paths \/\*/] }),
  exposure("a prefix pattern /api/* on the operators' listener overlaps /api/v1/push", (s) => {
    perGroupEntry(s, MIXED);
    listener(s, "atk-operators-api", 8443, [{ patterns: [...patterns(["read", "rules", "alertmanager"]), "/api/*"] }]);
  }, { at: /atk-operators-api/, also: [/mimir-write/, /\/api\/\*/] }),
  exposure("OIDC operators: a rule forwarding the Alertmanager paths lacks authenticate-oidc, beside a basic-auth read route", (s) => {
    perGroupEntry(s, { write: "lb-only", read: "basic", rules: "lb-only", alertmanager: "lb-only" });
    listener(s, "atk-oidc", 9443, [{ patterns: patterns(["rules"]), oidc: true }, { patterns: patterns(["alertmanager"]) }]);
    operatorsListener(s, ["read"]);
  }, { at: /atk-oidc/, also: [/mimir-alertmanager/, /\/alertmanager/] }),
  exposure("the rules route carries only the load balancer's clientCIDRs and the unauthenticated listener forwards its paths", (s) => {
    perGroupEntry(s, { ...MIXED, rules: "lb-only" });
    listener(s, "atk-rules", 8443, [{ patterns: patterns(["read", "rules", "alertmanager"]) }]);
  }, { at: /atk-rules/, also: [/HTTPRoute mimir\/mimir-rules/, /\/prometheus\/config\/v1\/rules/] }),
  exposure("the read route's basic-auth SecurityPolicy selects routes by a label the read route does not carry", (s) => {
    perGroupEntry(s, { ...MIXED, read: "none" });
    securityPolicy(s, "atk-read-selector", MIMIR_NS, { targetSelectors: [{ kind: "HTTPRoute", matchLabels: { group: "reads" } }], ...BASIC });
    operatorsListener(s, ["read", "rules", "alertmanager"]);
  }, { at: /mimir-read/, also: [/no authenticating policy targets it/, /operators \(HTTPS :8443\)/] }),
  exposure("a second SecurityPolicy (CORS only) on the basic-auth read route: Envoy Gateway applies only the oldest", (s) => {
    perGroupEntry(s, MIXED);
    securityPolicy(s, "atk-read-cors", MIMIR_NS, { targetRefs: [routeRef("mimir-read")], cors: { allowOrigins: ["https://grafana.example.com"] } });
    operatorsListener(s, ["read", "rules", "alertmanager"]);
  }, { at: /atk-read-cors/, also: [/mimir-read/, /applies only the oldest/, /creation time/] }),
  exposure("a second SecurityPolicy with authorization only on the basic-auth rules route", (s) => {
    perGroupEntry(s, MIXED);
    securityPolicy(s, "atk-rules-lb-only", MIMIR_NS, { targetRefs: [routeRef("mimir-rules")], ...LB_ONLY });
    operatorsListener(s, ["read", "rules", "alertmanager"]);
  }, { at: /atk-rules-lb-only/, also: [/mimir-rules/, /applies only the oldest/] }),
  exposure("a second basic-auth SecurityPolicy with another class's users Secret on the rules route: the readers' password may administer rules", (s) => {
    perGroupEntry(s, MIXED);
    securityPolicy(s, "atk-rules-readers", MIMIR_NS, { targetRefs: [routeRef("mimir-rules")], ...BASIC, basicAuth: { users: { name: "mimir-readers" } } });
    operatorsListener(s, ["read", "rules", "alertmanager"]);
  }, { at: /mimir-rules/, also: [/atk-rules-readers/, /authenticate different credentials/, /applies only the oldest/] }),
  // Both authenticate, but only the oldest applies: one credential is locked out, and which one cannot be known.
  exposure("two SecurityPolicies on the read route that authenticate different credentials (basic and jwt)", (s) => {
    perGroupEntry(s, MIXED);
    routePolicy(s, "mimir-read-jwt", "jwt", ["mimir-read"]);
    operatorsListener(s, ["read", "rules", "alertmanager"]);
  }, { at: /mimir-read/, also: [/mimir-read-jwt/, /authenticate different credentials/] }),
  exposure("a SecurityPolicy on one rule of the basic-auth alertmanager route (sectionName) that does not authenticate", (s) => {
    perGroupEntry(s, MIXED);
    securityPolicy(s, "atk-am-rule", MIMIR_NS, { targetRefs: [{ ...routeRef("mimir-alertmanager"), sectionName: "alertmanager" }], cors: { allowOrigins: ["*"] } });
    operatorsListener(s, ["read", "rules", "alertmanager"]);
  }, { at: /atk-am-rule/, also: [/mimir-alertmanager/, /sectionName/] }),
  exposure("a write route without any SecurityPolicy on the entry's Gateway, which gains a listener the load balancer does not front", (s) => {
    perGroupEntry(s, { ...MIXED, write: "none" });
    const gw = parts(s).stack.node.findAll().find((x) => isManifestOf(x, ["Gateway"])) as unknown as { manifestInput: Record<string, any>; manifest: unknown };
    const v = gw.manifestInput;
    gw.manifest = { ...v, spec: { ...v.spec, listeners: [...v.spec.listeners, { name: "atk-admin", port: 8081, protocol: "HTTP", allowedRoutes: { namespaces: { from: "Same" } } }] } };
    operatorsListener(s, ["read", "rules", "alertmanager"]);
  }, { source: /Gateway .*atk-admin|listener atk-admin/, at: /mimir-write|atk-admin/ }),
];

export const ROUTE_WAY_NEIGHBOURS: SynthCase[] = [
  onOidcEntry(neighbour("no listener verifies certificates: routes with authorization only are reached through 443's authenticate-oidc rules, the read route by basic auth through 8443", (s) => {
    perGroupEntry(s, { write: "lb-only", read: "basic", rules: "lb-only", alertmanager: "lb-only" });
    operatorsListener(s, ["read"]);
  })),
  neighbour("agents by mutual TLS on 443 (write), operators by basic auth through an unauthenticated 8443 forwarding only their groups' paths", (s) => {
    perGroupEntry(s, MIXED);
    operatorsListener(s, ["read", "rules", "alertmanager"]);
  }),
  neighbour("agents by mutual TLS, operators by authenticate-oidc on 9443 (rules, alertmanager), readers by basic auth through 8443 (read)", (s) => {
    perGroupEntry(s, { write: "lb-only", read: "basic", rules: "lb-only", alertmanager: "lb-only" });
    listener(s, "operators-oidc", 9443, [{ patterns: patterns(["rules", "alertmanager"]), oidc: true }]);
    operatorsListener(s, ["read"]);
  }),
  neighbour("one basic-auth class holds every group (every route carries basicAuth; 8443 forwards every group's paths)", (s) => {
    perGroupEntry(s, { write: "basic", read: "basic", rules: "basic", alertmanager: "basic" });
    operatorsListener(s, GROUPS);
  }),
  neighbour("per-group routes, each with authorization only, behind the mutual-TLS listener alone", (s) => perGroupEntry(s, { write: "lb-only", read: "lb-only", rules: "lb-only", alertmanager: "lb-only" })),
  neighbour("jwt SecurityPolicies on the operators' routes behind an unauthenticated 8443", (s) => {
    perGroupEntry(s, { write: "lb-only", read: "jwt", rules: "jwt", alertmanager: "jwt" });
    operatorsListener(s, ["read", "rules", "alertmanager"]);
  }),
];
