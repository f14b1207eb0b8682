import { environments } from "../main";
import type { EnvironmentInput } from "../modules/config/environment";
import { MIMIR_HTTP_API, type HttpApiEndpoint } from "../modules/contract/http-api";
import { DEFAULT_PUBLIC_API_GROUPS, READ_ONLY_GROUPS, READ_ONLY_OF, type PublicApiGroup } from "../modules/contract/public-api";
import { synthJson, type TfJson } from "./helpers";
import { albOutcome, albRuleShapes, httpRouteBackend, ingressBackend, type Backend } from "./entry-matchers";
import { OIDC } from "./auth-fixtures";

/**
 * Every endpoint of Mimir's HTTP API reference against what each entry kind
 * lets through, with that kind's own matching rules (entry-matchers.ts), for
 * every environment of the reference app, the same with an override contract
 * (http 8081, grpc 9096, memberlist 7947), and each entry kind in both modes:
 * public endpoints reach the component that serves them on the contract's
 * http port; operator endpoints reach nothing.
 */
const OVERRIDE = { http: 8081, grpc: 9096, memberlist: 7947 };
const CLIENT_IP = "10.0.1.10";

const envoy = { namespace: "envoy-gateway-system", serviceName: "envoy-mimir", healthCheckPath: "/healthz", podLabels: { "app.kubernetes.io/name": "envoy" } };
// Unauthenticated on purpose (acknowledges MP018), except the OIDC variant: routing must not depend on it.
const base = { region: "eu-west-1", state: { bucket: "test-state-bucket" }, monitoring: { namespace: "monitoring" }, auth: { mode: "none", reason: "test fixture: authentication is tested in auth*.test.ts" } };
const lbCidrs = { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"] };
const controller = { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "ingress-nginx-controller" };
const ingress = { className: "nginx", hosts: ["mimir.example.com"], tlsSecretName: "mimir-tls" };

const KIND_VARIANTS: Record<string, Record<string, unknown>> = {
  "gateway-api, microservices, created Gateway": { deploymentMode: "microservices", loadBalancer: lbCidrs, entry: { gateway: { className: "eg" }, dataPlane: envoy } },
  "gateway-api, monolithic, parentRef": { deploymentMode: "monolithic", loadBalancer: lbCidrs, entry: { gateway: { parentRef: { name: "shared", namespace: "gw" } }, dataPlane: envoy } },
  "gateway-api behind a network load balancer": { deploymentMode: "microservices", loadBalancer: { ...lbCidrs, type: "network", redirectHttp: false }, entry: { gateway: { className: "eg", tlsSecretName: "mimir-tls" }, dataPlane: envoy } },
  "gateway-api, OIDC on the load balancer (authenticate-oidc, then forward)": { deploymentMode: "microservices", loadBalancer: lbCidrs, auth: OIDC, entry: { gateway: { className: "eg" }, dataPlane: envoy } },
  "gateway-api with block upload on": { deploymentMode: "microservices", loadBalancer: lbCidrs, entry: { gateway: { className: "eg" }, dataPlane: envoy, publicApi: { groups: [...DEFAULT_PUBLIC_API_GROUPS, "block-upload"] } } },
  "gateway-api, read-only administration (rules-read, alertmanager-read)": { deploymentMode: "microservices", loadBalancer: lbCidrs, entry: { gateway: { className: "eg" }, dataPlane: envoy, publicApi: { groups: ["write", "read", "rules-read", "alertmanager-read"] } } },
  "direct, read-only administration (the ALB's method conditions alone)": { deploymentMode: "monolithic", loadBalancer: lbCidrs, entry: { kind: "direct", publicApi: { groups: ["write", "read", "rules-read", "alertmanager-read"] } }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } },
  "gateway-api, write only": { deploymentMode: "microservices", loadBalancer: lbCidrs, entry: { gateway: { className: "eg" }, dataPlane: envoy, publicApi: { groups: ["write"] } } },
  "ingress (legacy), microservices": { deploymentMode: "microservices", loadBalancer: { ...lbCidrs, target: controller }, ingress },
  "ingress (legacy), monolithic": { deploymentMode: "monolithic", loadBalancer: { ...lbCidrs, target: controller }, ingress },
  "ingress (legacy) to the chart's gateway": { deploymentMode: "microservices", loadBalancer: { ...lbCidrs, target: controller }, ingress: { ...ingress, useGateway: true } },
  "ingress (legacy) behind a network load balancer": { deploymentMode: "monolithic", loadBalancer: { ...lbCidrs, type: "network", redirectHttp: false, target: controller }, ingress },
  "chart-gateway (load balancer to the chart's gateway)": { deploymentMode: "microservices", loadBalancer: lbCidrs, entry: { kind: "chart-gateway" }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } },
  "direct (monolithic, load balancer to the Mimir Service)": { deploymentMode: "monolithic", loadBalancer: lbCidrs, entry: { kind: "direct" }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } },
  "legacy settings, monolithic, mimir target (derived: direct)": { deploymentMode: "monolithic", loadBalancer: { ...lbCidrs, target: { kind: "mimir" } }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } },
};

interface Variant {
  readonly name: string;
  readonly input: EnvironmentInput;
  readonly clientIp: string;
}

const reference: Variant[] = environments.map((e) => ({ name: `reference ${e.name}`, input: e, clientIp: clientIpOf(e) }));
const kinds: Variant[] = Object.entries(KIND_VARIANTS).map(([name, v]) => ({ name, input: { name: "test", ...base, ...v } as EnvironmentInput, clientIp: CLIENT_IP }));
const withOverride = (v: Variant): Variant => ({ name: `${v.name} (override contract)`, input: { ...v.input, ports: OVERRIDE } as EnvironmentInput, clientIp: v.clientIp });
const VARIANTS = [...reference, ...reference.map(withOverride), ...kinds, ...kinds.map(withOverride)];

function clientIpOf(e: EnvironmentInput): string {
  const cidr = (e.loadBalancer as { allowedCidrs: string[] }).allowedCidrs[0];
  return cidr.split("/")[0].replace(/\.0$/, ".10");
}

interface Expectations {
  readonly kind: string;
  readonly monolithic: boolean;
  readonly groups: readonly PublicApiGroup[];
  readonly http: number;
  readonly viaChartGateway: boolean;
  readonly alb: boolean;
}

function expectationsOf(input: EnvironmentInput): Expectations {
  const i = input as Record<string, any>;
  const entry = i.entry as Record<string, any> | undefined;
  const kind = entry?.kind ?? (entry ? "gateway-api" : i.loadBalancer.target?.kind === "ingress-controller" ? "ingress" : i.deploymentMode === "monolithic" ? "direct" : "chart-gateway");
  return {
    kind,
    monolithic: i.deploymentMode === "monolithic",
    groups: entry?.publicApi?.groups ?? DEFAULT_PUBLIC_API_GROUPS,
    http: i.ports?.http ?? 8080,
    viaChartGateway: kind === "chart-gateway" || i.ingress?.useGateway === true,
    alb: (i.loadBalancer.type ?? "application") === "application",
  };
}

/** Where a `method` request for `path` from `ip` ends up: a Service and port, or undefined (refused). */
function reach(json: TfJson, x: Expectations, method: string, path: string, ip: string): Backend | undefined {
  if (x.alb) {
    // Each client class has its own HTTPS listener (issue 27): a path is served when some class's listener forwards it.
    const ports = Object.values(json.resource?.aws_lb_listener ?? {}).filter((l) => l.protocol === "HTTPS").map((l) => l.port as number);
    if (!ports.some((port) => albOutcome(json, path, ip, port, method).kind === "forward")) return undefined;
  }
  switch (x.kind) {
    case "gateway-api":
      return httpRouteBackend(json, path, undefined, method);
    case "ingress":
      return ingressBackend(json, path);
    case "chart-gateway":
      return { service: "mimir-gateway", port: x.http };
    case "direct":
      return { service: "mimir", port: x.http };
  }
  throw new Error(`unknown kind ${x.kind}`);
}

function expectedBackend(x: Expectations, e: HttpApiEndpoint): Backend | undefined {
  if (e.audience !== "public") return undefined;
  const group = e.optionalGroup ?? groupOf(e);
  // A read-only group serves its full group's paths for GET only.
  const readOnly = (READ_ONLY_GROUPS as readonly PublicApiGroup[]).find((g) => READ_ONLY_OF[g] === group);
  if (!x.groups.includes(group) && !(readOnly && x.groups.includes(readOnly) && e.method === "GET")) return undefined;
  // Chart 6 runs alertmanager per zone: only its headless Service reaches every replica (fixtures/chart6-render).
  const service = x.viaChartGateway ? "mimir-gateway" : x.monolithic ? "mimir" : e.service === "alertmanager" ? "mimir-alertmanager-headless" : `mimir-${e.service}`;
  return { service, port: x.http };
}

/** The public group of a public endpoint (from its component and path). */
function groupOf(e: HttpApiEndpoint): PublicApiGroup {
  if (e.service === "distributor") return "write";
  if (e.service === "query-frontend") return "read";
  // The ruler's rule and alert listings are reading (group read); its configuration API is rules.
  if (e.service === "ruler") return e.path.includes("/config/") ? "rules" : "read";
  if (e.service === "alertmanager") return "alertmanager";
  return "block-upload";
}

describe.each(VARIANTS.map((v) => [v.name, v] as const))("%s", (_name, v) => {
  const json = synthJson(v.input);
  const x = expectationsOf(v.input);

  test("every public endpoint reaches its component on the contract's http port; no operator endpoint reaches anything", () => {
    const wrong: string[] = [];
    for (const e of MIMIR_HTTP_API) {
      const got = reach(json, x, e.method, e.path, v.clientIp);
      const want = expectedBackend(x, e);
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${e.method} ${e.path} (${e.audience}): reaches ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    }
    expect(wrong).toEqual([]);
  });

  test("each layer on its own: the ALB forwards no operator path; the in-cluster routes carry none", () => {
    const operator = MIMIR_HTTP_API.filter((e) => e.audience === "operator").map((e) => e.path);
    const leaks: string[] = [];
    for (const path of [...operator, "/", "/prometheus", "/prometheus/api/v1/querys", "/alertmanagerx", "/API/V1/PUSH", "/api/v1/push/", "/ingester/shutdown/", "/alertmanager/../config", "/alertmanager/./../ingester/shutdown", "/prometheus/config/v1/rules/.."]) {
      if (x.alb && albOutcome(json, path, v.clientIp).kind !== "fixed-response") leaks.push(`ALB forwards ${path}`);
      if (x.kind === "gateway-api" && httpRouteBackend(json, path)) leaks.push(`HTTPRoute routes ${path}`);
      if (x.kind === "ingress" && ingressBackend(json, path)) leaks.push(`Ingress routes ${path}`);
    }
    expect(leaks).toEqual([]);
  });

  // Methods Mimir does not register for a public path (pkg/api/api.go; gorilla/mux compares methods exactly, so HEAD is not GET).
  const UNREGISTERED: Array<[string, string]> = [
    ["GET", "/api/v1/push"],
    ["HEAD", "/prometheus/api/v1/query"],
    ["DELETE", "/prometheus/api/v1/series"],
    ["POST", "/prometheus/api/v1/metadata"],
    ["GET", "/prometheus/api/v1/read"],
    ["PUT", "/prometheus/config/v1/rules/team-a"],
    ["PATCH", "/api/v1/alerts"],
    ["PUT", "/alertmanager/api/v2/silences"],
  ];
  const served = (path: string) => x.groups.some((g) => (g === "write" && path.startsWith("/api/v1/push")) || (g === "read" && path.startsWith("/prometheus/api")) || (g.startsWith("rules") && path.includes("/config/")) || (g.startsWith("alertmanager") && (path.startsWith("/alertmanager") || path === "/api/v1/alerts")));
  if (x.alb || x.kind === "gateway-api") {
    test("a method Mimir does not register for a public path is refused: 404 at the ALB, no HTTPRoute match", () => {
      const leaks: string[] = [];
      for (const [method, path] of UNREGISTERED.filter(([, p]) => served(p))) {
        if (reach(json, x, method, path, v.clientIp)) leaks.push(`${method} ${path} reaches ${JSON.stringify(reach(json, x, method, path, v.clientIp))}`);
        if (x.alb && albOutcome(json, path, v.clientIp, 443, method).kind !== "fixed-response") leaks.push(`ALB forwards ${method} ${path}`);
        if (x.kind === "gateway-api" && httpRouteBackend(json, path, undefined, method)) leaks.push(`HTTPRoute routes ${method} ${path}`);
      }
      expect(leaks).toEqual([]);
    });
  }

  if (x.alb || x.kind === "gateway-api") {
    test("each layer on its own refuses a public endpoint the entry does not serve in that method (group off, or a read-only group's POST and DELETE)", () => {
      const leaks: string[] = [];
      for (const e of MIMIR_HTTP_API.filter((y) => y.audience === "public" && expectedBackend(x, y) === undefined)) {
        if (x.alb && albOutcome(json, e.path, v.clientIp, 443, e.method).kind !== "fixed-response") leaks.push(`ALB forwards ${e.method} ${e.path}`);
        if (x.kind === "gateway-api" && httpRouteBackend(json, e.path, undefined, e.method)) leaks.push(`HTTPRoute routes ${e.method} ${e.path}`);
      }
      expect(leaks).toEqual([]);
    });
  }

  if (x.groups.includes("read")) {
    test("queries pass as GET and as POST (long PromQL goes in a form body); remote read only as POST", () => {
      const qf = x.viaChartGateway ? "mimir-gateway" : x.monolithic ? "mimir" : "mimir-query-frontend";
      for (const [method, path] of [["GET", "/prometheus/api/v1/query"], ["POST", "/prometheus/api/v1/query"], ["POST", "/prometheus/api/v1/query_range"], ["POST", "/prometheus/api/v1/series"], ["POST", "/prometheus/api/v1/read"]]) {
        expect([method, path, reach(json, x, method, path, v.clientIp)]).toEqual([method, path, { service: qf, port: x.http }]);
      }
    });
  }

  if (x.alb) {
    test("ALB listener rules stay within AWS limits (3 values per condition, 5 per rule, 5 wildcards, 128 characters, 100 rules)", () => {
      const shapes = albRuleShapes(json);
      expect(shapes.length).toBeGreaterThan(0);
      expect(shapes.length).toBeLessThanOrEqual(100);
      for (const s of shapes) {
        expect(s.pathValues).toBeLessThanOrEqual(3);
        expect(s.totalValues).toBeLessThanOrEqual(5);
        expect(s.wildcards).toBeLessThanOrEqual(5);
        expect(s.longest).toBeLessThanOrEqual(128);
      }
      expect(new Set(shapes.map((s) => `${s.listener} ${s.priority}`)).size).toBe(shapes.length);
      const https = Object.values(json.resource!.aws_lb_listener).find((l) => l.port === 443) as Record<string, any>;
      expect(https.default_action).toEqual([{ type: "fixed-response", fixed_response: { content_type: "text/plain", message_body: "404 page not found", status_code: "404" } }]);
    });

    test("every forwarding rule runs the load balancer's authenticate action first (OIDC), or only forwards", () => {
      // The authentication of the class each listener serves: `auth`, or `clients[i]` on the i-th listener (443, then 8443).
      const i = v.input as { auth?: { mode?: string }; clients?: Array<{ auth: { mode: string } }> };
      const modes = i.clients ? i.clients.map((c) => c.auth.mode) : [i.auth?.mode];
      const listenerPort = new Map(Object.entries(json.resource!.aws_lb_listener).map(([k, l]) => [`\${aws_lb_listener.${k}.arn}`, l.port as number]));
      const forwarding = Object.values(json.resource!.aws_lb_listener_rule).filter((r) => (r.action as Array<Record<string, any>>).some((y) => y.type === "forward"));
      expect(forwarding.length).toBeGreaterThan(0);
      for (const r of forwarding) {
        const oidc = modes[listenerPort.get(r.listener_arn as string) === 443 ? 0 : 1] === "oidc";
        expect((r.action as Array<Record<string, any>>).map((a) => a.type)).toEqual(oidc ? ["authenticate-oidc", "forward"] : ["forward"]);
      }
    });
  }
});
