import { App } from "cdktf";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp, environments } from "../main";
import { defineEnvironment, type EnvironmentInput } from "../modules/config/environment";
import { LEGACY_INGRESS_WARNING } from "../modules/config/entry";
import { entryWarningLines, MimirStack } from "../modules/stack/mimir-stack";
import { configErrorMessage, problemsOf, runTsx, synthJson } from "./helpers";
import { albOutcome, httpRouteBackend, ingressBackend } from "./entry-matchers";

const envoy = { namespace: "envoy-gateway-system", serviceName: "envoy-mimir", healthCheckPath: "/healthz", podLabels: { "app.kubernetes.io/name": "envoy" } };
const controller = { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "ingress-nginx-controller" };
const ingress = { className: "nginx", hosts: ["mimir.example.com"], tlsSecretName: "mimir-tls" };
const gw = (extra: Record<string, unknown> = {}) => ({ gateway: { className: "eg" }, dataPlane: envoy, ...extra });
// Unauthenticated on purpose (acknowledges MP018): these suites test the entry, auth*.test.ts test authentication.
const input = (extra: Record<string, unknown>): EnvironmentInput =>
  ({ name: "test", region: "eu-west-1", state: { bucket: "test-state-bucket" }, deploymentMode: "microservices", loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"] }, auth: { mode: "none", reason: "test fixture: authentication is tested in auth*.test.ts" }, ...extra }) as EnvironmentInput;
const operator = (extra: Record<string, unknown> = {}) => ({ cidrs: ["10.0.5.0/24"], routes: [{ path: "/distributor/ha_tracker" }], acknowledged: "on-call debugging over the VPN, OPS-42", ...extra });

type Row = [label: string, env: EnvironmentInput, field: string, rule: RegExp];
const ROWS: Row[] = [
  ["unknown entry kind", input({ entry: { kind: "nginx" } }), "entry.kind", /gateway-api/],
  ["gateway-api without a data plane", input({ entry: { gateway: { className: "eg" } } }), "entry.dataPlane", /data-plane Service/],
  ["gateway-api without a Gateway", input({ entry: { dataPlane: envoy } }), "entry.gateway", /exactly one of parentRef .* or className/],
  ["gateway-api with both parentRef and className", input({ entry: gw({ gateway: { className: "eg", parentRef: { name: "shared" } } }) }), "entry.gateway", /exactly one/],
  ["TLS Secret on someone else's Gateway", input({ entry: gw({ gateway: { parentRef: { name: "shared" }, tlsSecretName: "t" } }) }), "entry.gateway.tlsSecretName", /only applies to a Gateway the stack creates/],
  ["data plane without pod labels", input({ entry: gw({ dataPlane: { ...envoy, podLabels: {} } }) }), "entry.dataPlane.podLabels", /is empty/],
  ["gateway-api next to the legacy Ingress", input({ entry: gw(), ingress }), "ingress", /legacy ingress entry/],
  ["gateway-api next to an ingress-controller target", input({ entry: gw(), loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: controller } }), "loadBalancer.target.kind", /entry.dataPlane/],
  ["unknown public API group", input({ entry: gw({ publicApi: { groups: ["write", "admin"] } }) }), "entry.publicApi.groups[1]", /must be one of/],
  ["no public API group", input({ entry: gw({ publicApi: { groups: [] } }) }), "entry.publicApi.groups", /is empty/],
  ["direct in microservices mode", input({ entry: { kind: "direct" }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } }), "entry.kind", /only monolithic mode has/],
  ["chart-gateway in monolithic mode", input({ deploymentMode: "monolithic", entry: { kind: "chart-gateway" }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } }), "entry.kind", /monolithic mode does not have/],
  ["direct behind a network load balancer", input({ deploymentMode: "monolithic", entry: { kind: "direct" }, loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], type: "network", redirectHttp: false }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } }), "loadBalancer.type", /cannot filter request paths/],
  ["legacy mimir target behind a network load balancer", input({ loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], type: "network", redirectHttp: false, target: { kind: "mimir" } }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } }), "loadBalancer.type", /\/ingester\/shutdown/],
  ["entry kind ingress without an Ingress", input({ entry: { kind: "ingress" }, loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: controller } }), "ingress", /entry.kind is ingress/],
  ["data plane on another entry kind", input({ entry: { kind: "ingress", dataPlane: envoy }, loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: controller }, ingress }), "entry.dataPlane", /only applies to entry kind gateway-api/],
  ["operator access without acknowledgement", input({ entry: gw({ operatorAccess: operator({ acknowledged: undefined }) }) }), "entry.operatorAccess.acknowledged", /must be acknowledged/],
  ["operator access from anywhere", input({ loadBalancer: { allowedCidrs: ["0.0.0.0/0"], scheme: "internet-facing" }, entry: gw({ operatorAccess: operator({ cidrs: ["0.0.0.0/0"] }) }) }), "entry.operatorAccess.cidrs[0]", /every address/],
  ["operator CIDR outside the allowed clients", input({ entry: gw({ operatorAccess: operator({ cidrs: ["192.168.0.0/24"] }) }) }), "entry.operatorAccess.cidrs[0]", /not inside loadBalancer.allowedCidrs/],
  ["three operator CIDRs", input({ entry: gw({ operatorAccess: operator({ cidrs: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"] }) }) }), "entry.operatorAccess.cidrs", /at most 2/],
  ["operator path in the public API", input({ entry: gw({ operatorAccess: operator({ routes: [{ path: "/prometheus/api/v1" }] }) }) }), "entry.operatorAccess.routes[0].path", /overlaps the public API/],
  ["operator path every component serves, no component", input({ entry: gw({ operatorAccess: operator({ routes: [{ path: "/config" }] }) }) }), "entry.operatorAccess.routes[0].component", /served by every component/],
  ["operator path with a wildcard", input({ entry: gw({ operatorAccess: operator({ routes: [{ path: "/distributor/*" }] }) }) }), "entry.operatorAccess.routes[0].path", /no wildcards/],
  ["operator access behind a network load balancer", input({ loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], type: "network", redirectHttp: false }, entry: gw({ operatorAccess: operator() }) }), "entry.operatorAccess", /application load balancer/],
  ["operator access without cidrs", input({ entry: gw({ operatorAccess: operator({ cidrs: [] }) }) }), "entry.operatorAccess.cidrs", /is empty/],
];

describe("bad entry settings: one clear problem naming the field, before anything is written", () => {
  test.each(ROWS)("%s", (_label, env, field, rule) => {
    const problems = problemsOf(() => defineEnvironment(env));
    const hit = problems.find((p) => p.field === field);
    expect(hit).toBeDefined();
    expect(`${hit!.rule}. Fix: ${hit!.fix}`).toMatch(rule);
    expect(hit!.env).toBe("test");
    expect(hit!.fix.length).toBeGreaterThan(10);
  });

  test("through `npm run synth`: exit 1, one line per problem, no stack trace, nothing written", () => {
    const work = mkdtempSync(join(tmpdir(), "entry-bad-"));
    const file = join(work, "envs.json");
    writeFileSync(file, JSON.stringify([input({ entry: { gateway: { className: "eg" } } })]));
    const r = runTsx(["bin/synth.ts", "--outdir", join(work, "out"), "--environments", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\[test\] entry\.dataPlane = \(missing\): is required for entry kind gateway-api/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("entry kinds", () => {
  test("the reference app uses Gateway API in every environment, created or attached Gateway; no legacy warning", () => {
    const kinds = environments.map((e) => defineEnvironment(e).entry.kind);
    expect(kinds).toEqual(["gateway-api", "gateway-api", "gateway-api"]);
    const app = buildApp(mkdtempSync(join(tmpdir(), "entry-ref-")));
    expect(entryWarningLines(app)).toEqual([]);
  });

  test("without an entry block the legacy settings decide: ingress-controller target → ingress, mimir target → direct / chart-gateway", () => {
    expect(defineEnvironment(input({ loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: controller }, ingress })).entry).toMatchObject({ kind: "ingress", derived: true });
    expect(defineEnvironment(input({ deploymentMode: "monolithic", loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: { kind: "mimir" } }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } })).entry.kind).toBe("direct");
    expect(defineEnvironment(input({ loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: { kind: "mimir" } }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } })).entry.kind).toBe("chart-gateway");
    expect(defineEnvironment(input({ entry: gw() })).entry).toMatchObject({ kind: "gateway-api", derived: false });
  });

  test("the legacy ingress entry prints a deprecation warning in the synth summary", () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "entry-legacy-")) });
    new MimirStack(app, { environment: input({ loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: controller }, ingress }) });
    // First the entry's own warning; the staging-like data guards (account, access logs, deletion protection) follow.
    expect(entryWarningLines(app)[0]).toBe(`test: warning: ${LEGACY_INGRESS_WARNING}`);
    const work = mkdtempSync(join(tmpdir(), "entry-legacy-cli-"));
    const file = join(work, "envs.json");
    writeFileSync(file, JSON.stringify([input({ loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: controller }, ingress })]));
    const r = runTsx(["bin/synth.ts", "--outdir", join(work, "out"), "--environments", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/test: warning: entry kind ingress is a legacy entry: ingress-nginx was retired in March 2026/);
  });

  test("gateway-api: the load balancer targets the data-plane Service; the NetworkPolicy admits the data plane's pods, not ingress-nginx", () => {
    const json = synthJson(input({ entry: gw({ dataPlane: { ...envoy, port: 10443, protocol: "HTTPS" } }) }));
    const tgb = Object.values(json.resource!.kubernetes_manifest).map((m) => m.manifest as Record<string, any>).find((m) => m.kind === "TargetGroupBinding")!;
    expect(tgb.metadata.namespace).toBe("envoy-gateway-system");
    expect(tgb.spec.serviceRef).toEqual({ name: "envoy-mimir", port: 10443 });
    const tg = Object.values(json.resource!.aws_lb_target_group)[0] as Record<string, any>;
    expect(tg).toMatchObject({ port: 10443, protocol: "HTTPS", health_check: { path: "/healthz" } });
    const allowHttp = Object.values(json.resource!.kubernetes_network_policy_v1).find((p: any) => p.metadata.name.endsWith("allow-http")) as any;
    const from = JSON.stringify(allowHttp.spec.ingress[0].from);
    expect(from).toContain("envoy-gateway-system");
    expect(from).not.toContain("ingress-nginx");
    expect(json.resource!.kubernetes_ingress_v1).toBeUndefined();
  });

  test("a created Gateway: HTTP listener behind the load balancer's TLS, HTTPS with a TLS Secret; routes attach to it", () => {
    const http = synthJson(input({ entry: gw() }));
    const gateways = (j: typeof http) => Object.values(j.resource!.kubernetes_manifest).map((m) => m.manifest as Record<string, any>).filter((m) => m.kind === "Gateway");
    expect(gateways(http)[0].spec.listeners).toEqual([expect.objectContaining({ name: "http", port: 80, protocol: "HTTP" })]);
    const https = synthJson(input({ entry: gw({ gateway: { className: "eg", tlsSecretName: "mimir-tls" }, hosts: ["mimir.example.com"] }) }));
    expect(gateways(https)[0].spec.listeners[0]).toMatchObject({ port: 443, protocol: "HTTPS", hostname: "mimir.example.com", tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "mimir-tls" }] } });
    const route = Object.values(https.resource!.kubernetes_manifest).map((m) => m.manifest as Record<string, any>).find((m) => m.kind === "HTTPRoute")!;
    expect(route.spec.parentRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "mimir" }]);
    expect(route.spec.hostnames).toEqual(["mimir.example.com"]);
  });
});

describe("operator access: explicit, acknowledged, CIDR-limited, its own listener rule and route", () => {
  const OPERATOR_IP = "10.0.5.7";
  const CLIENT_IP = "10.0.9.9";
  const cases: Array<[string, EnvironmentInput, string]> = [
    ["gateway-api", input({ entry: gw({ operatorAccess: operator({ routes: [{ path: "/distributor/ha_tracker" }, { path: "/config", component: "distributor" }] }) }) }), "httproute"],
    ["ingress (legacy)", input({ loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: controller }, ingress, entry: { kind: "ingress", operatorAccess: operator({ routes: [{ path: "/distributor/ha_tracker" }, { path: "/config", component: "distributor" }] }) } }), "ingress"],
  ];

  test.each(cases)("%s", (_k, env, layer) => {
    const json = synthJson(env);
    const inCluster = (path: string) => (layer === "httproute" ? httpRouteBackend(json, path) : ingressBackend(json, path));
    for (const path of ["/distributor/ha_tracker", "/config"]) {
      expect(albOutcome(json, path, OPERATOR_IP).kind).toBe("forward");
      expect(albOutcome(json, path, CLIENT_IP)).toEqual({ kind: "fixed-response", status: "404" });
      expect(inCluster(path)).toEqual({ service: "mimir-distributor", port: 8080 });
    }
    // Only the listed ones, even for operators.
    for (const path of ["/ingester/shutdown", "/distributor/all_user_stats", "/debug/pprof/heap"]) {
      expect(albOutcome(json, path, OPERATOR_IP).kind).toBe("fixed-response");
      expect(inCluster(path)).toBeUndefined();
    }
    const rules = Object.values(json.resource!.aws_lb_listener_rule) as Array<Record<string, any>>;
    const op = rules.filter((r) => r.condition.some((c: any) => c.source_ip));
    // 4 patterns next to 1 CIDR: 3 + 1 values in the first rule (at most 3 per condition), 1 + 1 in the second.
    expect(op.map((r) => r.condition)).toEqual([
      [{ path_pattern: { values: ["/distributor/ha_tracker", "/distributor/ha_tracker/*", "/config"] } }, { source_ip: { values: ["10.0.5.0/24"] } }],
      [{ path_pattern: { values: ["/config/*"] } }, { source_ip: { values: ["10.0.5.0/24"] } }],
    ]);
    // The review sees it (mimir_port_contract output).
    const entry = (json.output!.mimir_port_contract.value as any).entry;
    expect(entry.operatorAccess).toMatchObject({ cidrs: ["10.0.5.0/24"], acknowledged: "on-call debugging over the VPN, OPS-42" });
    expect(entry.operatorAccess.routes.map((r: any) => r.path).sort()).toEqual(["/config", "/distributor/ha_tracker"]);
  });

  test("off by default: no operator rule, route or output", () => {
    const json = synthJson(environments[2]);
    const rules = Object.values(json.resource!.aws_lb_listener_rule) as Array<Record<string, any>>;
    expect(rules.filter((r) => r.condition.some((c: any) => c.source_ip))).toEqual([]);
    expect((json.output!.mimir_port_contract.value as any).entry.operatorAccess).toBeNull();
  });
});

describe("the review data: per environment, the public route table and operator access", () => {
  test.each(environments.map((e) => [e.name, e] as const))("%s", (_n, e) => {
    const entry = (synthJson(e).output!.mimir_port_contract.value as any).entry;
    expect(entry).toMatchObject({ kind: "gateway-api", legacy: false, groups: ["write", "read", "rules", "alertmanager"], operatorAccess: null });
    const push = entry.routes.find((r: any) => r.path === "/api/v1/push");
    expect(push).toEqual({ path: "/api/v1/push", match: "exact", component: e.deploymentMode === "monolithic" ? "all" : "distributor", service: e.deploymentMode === "monolithic" ? "mimir" : "mimir-distributor", group: "write", methods: ["POST"] });
    expect(entry.routes.some((r: any) => r.path.startsWith("/distributor") || r.path.startsWith("/api/v1/upload"))).toBe(false);
  });

  test("a config error message names the environment, the field and the fix", () => {
    expect(configErrorMessage(() => defineEnvironment(input({ entry: { gateway: { className: "eg" } } })))).toMatch(/^\[test\] entry\.dataPlane = \(missing\): .*\. Fix: set entry\.dataPlane/);
  });
});
