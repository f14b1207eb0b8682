/**
 * Issue 20 items 3 and 5 (branch `paths`): path semantics on every hop
 * (forwards without a path condition, rewrites) and what the model cannot
 * see (selectorless Services, EndpointSlices / Endpoints, for-expression
 * dynamic blocks, unregistered target groups, sidecar hostPorts, the chart's
 * own Ingress / route).
 */
import { TerraformVariable, type TerraformStack } from "cdktf";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule, type LbListenerRuleConfig } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { EndpointSliceV1 } from "@cdktf/provider-kubernetes/lib/endpoint-slice-v1";
import { EndpointsV1 } from "@cdktf/provider-kubernetes/lib/endpoints-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { binding, CERT, listener, manifest, mimirContainer, mimirPods, MIMIR_NS, nlb, openLbSg, parts, targetGroup, TLS_POLICY } from "../attack";
import { PORT, SRC } from "../expectations";
import type { SynthCase } from "../harness";
import { extraValues } from "./helm";

const MP016 = /\bMP016\b/;
const MP015 = /\bMP015\b/;
/** Every path (or an operator path) reaches the chart gateway / a component. */
const LEAK = /every path|non-public path/;

const rule = (s: TerraformStack, id: string, props: Partial<LbListenerRuleConfig>) =>
  new LbListenerRule(s, id, { listenerArn: parts(s).https.arn, priority: 5, action: [{ type: "forward", targetGroupArn: parts(s).tg.arn }], ...props } as LbListenerRuleConfig);

const forward = (name: string, build: (s: TerraformStack) => void, also: RegExp[] = [], at?: RegExp): SynthCase => ({ class: "path-forward", name, base: "edge", build, expect: { rule: MP016, source: SRC.internet, port: PORT.http, also: [LEAK, ...also], ...(at ? { at } : {}) } });
const rewrite = (name: string, build: (s: TerraformStack) => void, also: RegExp[]): SynthCase => ({ class: "path-rewrite", name, base: "edge", build, expect: { rule: MP016, source: /0\.0\.0\.0\/0|Gateway|internet/, port: PORT.http, also } });
/**
 * An unknown: MP015 naming the resource; the exposures test also proves an acknowledgement makes synth pass, so the
 * base is the hardened edge (NetworkPolicies on, mutual TLS): the unknown is the only finding.
 */
const unseen = (klass: string, name: string, build: (s: TerraformStack) => void, port: RegExp = /members|mimir|\b(8080|9095|7946)\b|http-metrics|grpc|memberlist|port/i, at: RegExp = /atk/): SynthCase => ({ class: klass, name, base: "edge-np", build, expect: { rule: MP015, source: SRC.unknown, port, at } });
const exposed = (klass: string, name: string, build: (s: TerraformStack) => void, expect: NonNullable<SynthCase["expect"]>): SynthCase => ({ class: klass, name, base: "edge", build, expect });

/** An HTTPRoute on the entry's Gateway (not in this stack) to a Mimir Service's http port. */
function route(s: TerraformStack, id: string, rules: Array<Record<string, unknown>>, namespace = MIMIR_NS) {
  return manifest(s, id, { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: id, namespace }, spec: { parentRefs: [{ name: "edge", namespace: "gw" }], rules } });
}
const to = (service: string) => [{ name: service, port: 8080 }];

export const PATH_FORWARDS: SynthCase[] = [
  forward("host-header rule forwards every path to the chart gateway", (s) => rule(s, "atk-rule", { condition: [{ hostHeader: { values: ["mimir.example.com"] } }] }), [/host-header/]),
  forward("http-header rule forwards every path", (s) => rule(s, "atk-rule", { condition: [{ httpHeader: { httpHeaderName: "X-Debug", values: ["1"] } }] }), [/http-header/]),
  forward("query-string rule forwards every path", (s) => rule(s, "atk-rule", { condition: [{ queryString: [{ key: "debug", value: "1" }] }] })),
  forward("source-ip rule forwards every path", (s) => rule(s, "atk-rule", { condition: [{ sourceIp: { values: ["0.0.0.0/0"] } }] }), [/source-ip/]),
  forward("http-request-method rule forwards every path", (s) => rule(s, "atk-rule", { condition: [{ httpRequestMethod: { values: ["GET", "POST"] } }] }), [/http-request-method/]),
  forward("escape hatch swaps a rule's path condition for a host header", (s) => {
    const r = rule(s, "atk-rule", { condition: [{ pathPattern: { values: ["/api/v1/push"] } }] });
    r.addOverride("condition.0.path_pattern", null);
    r.addOverride("condition.0.host_header", { values: ["push.example.com"] });
  }),
  forward("escape hatch empties a rule's path_pattern values", (s) => {
    const r = rule(s, "atk-rule", { condition: [{ pathPattern: { values: ["/api/v1/push"] } }, { hostHeader: { values: ["push.example.com"] } }] });
    r.addOverride("condition.0.path_pattern.values", null);
  }),
  forward("weighted forward with only a host-header condition", (s) => rule(s, "atk-rule", { condition: [{ hostHeader: { values: ["canary.example.com"] } }], action: [{ type: "forward", forward: { targetGroup: [{ arn: parts(s).tg.arn, weight: 100 }] } }] })),
  forward("escape hatch changes the TLS listener's default action to forward", (s) => parts(s).https.addOverride("default_action", [{ type: "forward", target_group_arn: parts(s).tg.arn }]), [], /load-balancer_https|load-balancer\/https/),
  forward("escape hatch changes the TLS listener's default action to a weighted forward", (s) => parts(s).https.addOverride("default_action", [{ type: "forward", forward: { target_group: [{ arn: parts(s).tg.arn, weight: 1 }] } }]), [], /load-balancer_https|load-balancer\/https/),
  forward("a second TLS listener whose default action forwards to the entry", (s) => {
    openLbSg(s, "atk-open", 8443);
    listener(s, "atk-listener", { loadBalancerArn: parts(s).lb.arn, port: 8443, protocol: "HTTPS", sslPolicy: TLS_POLICY, certificateArn: CERT, forward: parts(s).tg.arn });
  }, [/\b8443\b/]),
  forward("NLB TLS 443 to the chart gateway (an NLB cannot look at paths)", (s) => {
    const tg = targetGroup(s, "atk-tg", 8080, "TCP");
    binding(s, "atk-tgb", tg.arn, "mimir-gateway", "http-metrics");
    listener(s, "atk-listener", { loadBalancerArn: nlb(s, "atk-nlb", { listen: 443, target: 8080 }).arn, port: 443, protocol: "TLS", sslPolicy: TLS_POLICY, certificateArn: CERT, forward: tg.arn });
  }),
];

export const PATH_REWRITES: SynthCase[] = [
  rewrite("ALB url-rewrite turns the push path into an operator path", (s) => rule(s, "atk-rule", { condition: [{ pathPattern: { values: ["/api/v1/push"] } }], transform: [{ type: "url-rewrite", urlRewriteConfig: { rewrite: { regex: "^/api/v1/push$", replace: "/distributor/ha_tracker" } } }] }), [/\/distributor\/ha_tracker/]),
  rewrite("ALB url-rewrite strips the /alertmanager prefix (every path underneath)", (s) => rule(s, "atk-rule", { condition: [{ pathPattern: { values: ["/alertmanager/*"] } }], transform: [{ type: "url-rewrite", urlRewriteConfig: { rewrite: { regex: "^/alertmanager/(.*)$", replace: "/$1" } } }] }), [/\/config|\/ingester|\/debug/]),
  rewrite("ALB url-rewrite plus host-header-rewrite maps /ops/* onto /ingester/*", (s) => rule(s, "atk-rule", {
    condition: [{ pathPattern: { values: ["/ops/*"] } }],
    transform: [{ type: "host-header-rewrite", hostHeaderRewriteConfig: { rewrite: { regex: "^ops\\.", replace: "mimir." } } }, { type: "url-rewrite", urlRewriteConfig: { rewrite: { regex: "^/ops/(.*)$", replace: "/ingester/$1" } } }],
  }), [/\/ingester\//]),
  rewrite("escape hatch adds a url-rewrite to a public rule", (s) => {
    const r = rule(s, "atk-rule", { condition: [{ pathPattern: { values: ["/otlp/v1/metrics"] } }] });
    r.addOverride("transform", [{ type: "url-rewrite", url_rewrite_config: { rewrite: { regex: "^/otlp/v1/metrics$", replace: "/runtime_config" } } }]);
  }, [/\/runtime_config/]),
  rewrite("HTTPRoute URLRewrite ReplaceFullPath turns push into /config", (s) => route(s, "atk-route", [{ matches: [{ path: { type: "Exact", value: "/api/v1/push" } }], filters: [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplaceFullPath", replaceFullPath: "/config" } } }], backendRefs: to("mimir-distributor") }]), [/\/config/]),
  rewrite("HTTPRoute URLRewrite ReplacePrefixMatch /alertmanager → / (every path)", (s) => route(s, "atk-route", [{ matches: [{ path: { type: "PathPrefix", value: "/alertmanager" } }], filters: [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" } } }], backendRefs: to("mimir-alertmanager") }]), [/\/multitenant_alertmanager|\/config/]),
  rewrite("HTTPRoute per-backendRef URLRewrite moves a read prefix onto /debug", (s) => route(s, "atk-route", [{ matches: [{ path: { type: "PathPrefix", value: "/prometheus/api/v1/label" } }], backendRefs: [{ name: "mimir-query-frontend", port: 8080, filters: [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/debug" } } }] }] }]), [/\/debug/]),
];

export const PATH_UNKNOWNS: SynthCase[] = [
  unseen("path-rewrite-unknown", "ALB url-rewrite with an alternation on a wildcard path", (s) => rule(s, "atk-rule", { condition: [{ pathPattern: { values: ["/api/v1/*"] } }], transform: [{ type: "url-rewrite", urlRewriteConfig: { rewrite: { regex: "^/api/v1/(push|write)$", replace: "/$1" } } }] }), /rewrite|path/),
  unseen("path-rewrite-unknown", "ALB url-rewrite replace from a variable", (s) => {
    const v = new TerraformVariable(s, "atk-replace", { type: "string" });
    rule(s, "atk-rule", { condition: [{ pathPattern: { values: ["/api/v1/push"] } }], transform: [{ type: "url-rewrite", urlRewriteConfig: { rewrite: { regex: "^/api/v1/push$", replace: v.stringValue } } }] });
  }, /rewrite|path/),
  unseen("path-rewrite-unknown", "HTTPRoute ExtensionRef filter", (s) => route(s, "atk-route", [{ matches: [{ path: { type: "Exact", value: "/api/v1/push" } }], filters: [{ type: "ExtensionRef", extensionRef: { group: "gateway.envoyproxy.io", kind: "HTTPRouteFilter", name: "rewrite" } }], backendRefs: to("mimir-distributor") }]), /path|rewrite/),
  unseen("path-rewrite-unknown", "HTTPRoute ReplacePrefixMatch on an Exact match", (s) => route(s, "atk-route", [{ matches: [{ path: { type: "Exact", value: "/api/v1/push" } }], filters: [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/distributor" } } }], backendRefs: to("mimir-distributor") }]), /path|Prefix/),
  unseen("endpoints-unknown", "selectorless ClusterIP Service in Mimir's namespace on another port", (s) => {
    new ServiceV1(s, "atk-svc", { metadata: { name: "relay", namespace: MIMIR_NS }, spec: { type: "ClusterIP", port: [{ name: "relay", port: 5000 }] } });
  }, /selector|endpoints/),
  unseen("endpoints-unknown", "EndpointSlice with bare IPs on grpc in another namespace", (s) => {
    manifest(s, "atk-slice", { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { name: "relay-1", namespace: "tools", labels: { "kubernetes.io/service-name": "relay" } }, addressType: "IPv4", endpoints: [{ addresses: ["10.0.12.34"] }], ports: [{ name: "grpc", port: 9095, protocol: "TCP" }] });
  }, PORT.grpc),
  unseen("unseen", "for-expression ingress (cdktf dynamic on an attribute) on the members group", (s) => {
    new TerraformVariable(s, "atk-ports", { type: "list(number)", default: [] });
    parts(s).members.addOverride("ingress", "${[for p in var.atk-ports : { from_port = p, to_port = p, protocol = \"tcp\", cidr_blocks = [\"0.0.0.0/0\"], description = \"x\", ipv6_cidr_blocks = [], prefix_list_ids = [], security_groups = [], self = false }]}");
  }, /members|for expression/, /security-groups_members|security-groups\/members/),
  unseen("unseen", "for-expression default_action on a new listener", (s) => {
    openLbSg(s, "atk-open", 8443);
    const l = new LbListener(s, "atk-listener", { loadBalancerArn: parts(s).lb.arn, port: 8443, protocol: "HTTPS", sslPolicy: TLS_POLICY, certificateArn: CERT, defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }] });
    l.addOverride("default_action", "${[for tg in [aws_lb_target_group.edge_load-balancer_targets_58C3AAED.arn] : { type = \"forward\", target_group_arn = tg }]}");
  }, /default_action|for expression/),
  unseen("unseen", "target group on the grpc port whose registrations are elsewhere", (s) => {
    targetGroup(s, "atk-tg", 9095, "HTTP");
  }, PORT.grpc),
  exposed("host-port", "sidecar with a hostPort on a Mimir Deployment", (s) => {
    new DeploymentV1(s, "atk-deploy", {
      metadata: { name: "mimir-querier-debug", namespace: MIMIR_NS },
      spec: { selector: { matchLabels: mimirPods("querier") }, template: { metadata: { labels: mimirPods("querier") }, spec: { container: [{ name: "querier", image: "grafana/mimir:3.0.0", port: [{ name: "http-metrics", containerPort: 8080 }] }, { name: "relay", image: "alpine/socat:1.8.0.0", port: [{ name: "relay", containerPort: 19095, hostPort: 19095 }] }] } } },
    });
  }, { rule: /MP005/, source: SRC.hostPort, port: /\b19095\b|relay/ }),
  exposed("host-port", "always-restarting init container with a hostPort (manifest StatefulSet)", (s) => {
    manifest(s, "atk-sts", { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "mimir-ingester-x", namespace: MIMIR_NS }, spec: { serviceName: "x", selector: { matchLabels: mimirPods("ingester") }, template: { metadata: { labels: mimirPods("ingester") }, spec: { initContainers: [{ name: "relay", image: "alpine/socat:1.8.0.0", restartPolicy: "Always", ports: [{ containerPort: 17946, hostPort: 17946 }] }], containers: [mimirContainer("ingester")] } } } });
  }, { rule: /MP005/, source: SRC.hostPort, port: /\b17946\b/ }),
  unseen("unseen", "chart values: extraContainers sidecar with a hostPort", (s) => extraValues(s, "querier:\n  extraContainers:\n    - name: relay\n      image: alpine/socat:1.8.0.0\n      ports:\n        - containerPort: 19095\n          hostPort: 19095\n"), /hostPort|19095/, /helm_release|helm-release/),
];

export const PATH_ENDPOINTS: SynthCase[] = [
  exposed("endpoints", "selectorless LoadBalancer Service + EndpointSlice targetRef to an ingester pod on grpc", (s) => {
    manifest(s, "atk-svc", { apiVersion: "v1", kind: "Service", metadata: { name: "ingest-debug", namespace: MIMIR_NS }, spec: { type: "LoadBalancer", ports: [{ name: "grpc", port: 9095 }] } });
    manifest(s, "atk-slice", { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { name: "ingest-debug-1", namespace: MIMIR_NS, labels: { "kubernetes.io/service-name": "ingest-debug" } }, addressType: "IPv4", endpoints: [{ addresses: ["10.0.3.7"], targetRef: { kind: "Pod", name: "mimir-ingester-zone-a-0", namespace: MIMIR_NS } }], ports: [{ name: "grpc", port: 9095, protocol: "TCP" }] });
  }, { rule: /MP005/, source: SRC.loadBalancerService, port: PORT.grpc }),
  exposed("endpoints", "selectorless NodePort Service + typed EndpointSlice with bare IPs on grpc in Mimir's namespace", (s) => {
    new ServiceV1(s, "atk-svc", { metadata: { name: "grpc-debug", namespace: MIMIR_NS }, spec: { type: "NodePort", port: [{ name: "grpc", port: 9095, nodePort: 30095 }] } });
    new EndpointSliceV1(s, "atk-slice", { metadata: { name: "grpc-debug-1", namespace: MIMIR_NS, labels: { "kubernetes.io/service-name": "grpc-debug" } }, addressType: "IPv4", endpoint: [{ addresses: ["10.0.3.7", "10.0.4.9"] }], port: [{ name: "grpc", port: "9095", protocol: "TCP", appProtocol: "grpc" }] });
  }, { rule: /MP005/, source: SRC.nodePort, port: PORT.grpc }),
  exposed("endpoints", "selectorless LoadBalancer Service + Endpoints manifest to the gossip ring", (s) => {
    manifest(s, "atk-svc", { apiVersion: "v1", kind: "Service", metadata: { name: "ring", namespace: MIMIR_NS }, spec: { type: "LoadBalancer", ports: [{ name: "gossip", port: 7946 }] } });
    manifest(s, "atk-eps", { apiVersion: "v1", kind: "Endpoints", metadata: { name: "ring", namespace: MIMIR_NS }, subsets: [{ addresses: [{ ip: "10.0.3.7", targetRef: { kind: "Pod", name: "mimir-distributor-5d9c7-abcde", namespace: MIMIR_NS } }], ports: [{ name: "gossip", port: 7946, protocol: "TCP" }] }] });
  }, { rule: /MP005/, source: SRC.loadBalancerService, port: PORT.gossip }),
  exposed("endpoints", "selectorless LoadBalancer Service + typed Endpoints on http in Mimir's namespace", (s) => {
    new ServiceV1(s, "atk-svc", { metadata: { name: "http-debug", namespace: MIMIR_NS }, spec: { type: "LoadBalancer", port: [{ name: "http", port: 80 }] } });
    new EndpointsV1(s, "atk-eps", { metadata: { name: "http-debug", namespace: MIMIR_NS }, subset: [{ address: [{ ip: "10.0.3.7" }], port: [{ name: "http", port: 8080, protocol: "TCP" }] }] });
  }, { rule: /MP005/, source: SRC.loadBalancerService, port: PORT.http }),
  exposed("chart-entry", "escape-hatch set turns on the chart gateway's own Ingress", (s) => {
    parts(s).helm!.addOverride("set", [{ name: "gateway.ingress.enabled", value: "true" }]);
  }, { rule: MP016, source: /ingress/, port: PORT.http, at: /helm_release|helm-release/, also: [LEAK] }),
  exposed("chart-entry", "values document turns on the gateway's HTTPRoute", (s) => extraValues(s, "gateway:\n  route:\n    enabled: true\n"), { rule: MP016, source: /route/, port: PORT.http, at: /helm_release|helm-release/, also: [LEAK] }),
];

export const PATH_EXPOSURES: SynthCase[] = [...PATH_FORWARDS, ...PATH_REWRITES, ...PATH_UNKNOWNS, ...PATH_ENDPOINTS];

const n = (name: string, build: (s: TerraformStack) => void): SynthCase => ({ class: "neighbour", name, base: "edge-np", build });

export const PATH_NEIGHBOURS: SynthCase[] = [
  n("another app's selectorless Service and EndpointSlice (namespace shop, its own pods on 8080)", (s) => {
    new ServiceV1(s, "shop-svc", { metadata: { name: "shop-legacy", namespace: "shop" }, spec: { type: "LoadBalancer", port: [{ name: "http", port: 8080 }] } });
    manifest(s, "shop-slice", { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { name: "shop-legacy-1", namespace: "shop", labels: { "kubernetes.io/service-name": "shop-legacy" } }, addressType: "IPv4", endpoints: [{ addresses: ["10.0.9.1"], targetRef: { kind: "Pod", name: "shop-web-0", namespace: "shop" } }], ports: [{ name: "http", port: 8080, protocol: "TCP" }] });
  }),
  n("a selectorless Service in another namespace (no endpoints in the stack)", (s) => {
    new ServiceV1(s, "db-svc", { metadata: { name: "external-db", namespace: "payments" }, spec: { type: "ClusterIP", port: [{ name: "pg", port: 5432 }] } });
  }),
  n("ALB url-rewrite maps a public alias onto the push path", (s) => rule(s, "alias-rule", { condition: [{ pathPattern: { values: ["/write"] } }], transform: [{ type: "url-rewrite", urlRewriteConfig: { rewrite: { regex: "^/write$", replace: "/api/v1/push" } } }] })),
  n("ALB url-rewrite maps /am/* onto /alertmanager/*", (s) => rule(s, "am-rule", { condition: [{ pathPattern: { values: ["/am/*"] } }], transform: [{ type: "url-rewrite", urlRewriteConfig: { rewrite: { regex: "^/am/(.*)$", replace: "/alertmanager/$1" } } }] })),
  n("HTTPRoute ReplaceFullPath maps /push onto /api/v1/push", (s) => route(s, "alias-route", [{ matches: [{ path: { type: "Exact", value: "/push" } }], filters: [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplaceFullPath", replaceFullPath: "/api/v1/push" } } }], backendRefs: to("mimir-distributor") }])),
  n("host-header rule that also has a public path condition", (s) => rule(s, "host-rule", { condition: [{ hostHeader: { values: ["mimir.example.com"] } }, { pathPattern: { values: ["/api/v1/push"] } }] })),
  n("HTTPRoute RequestRedirect from an alias to the public push path", (s) => route(s, "redirect-route", [{ matches: [{ path: { type: "Exact", value: "/push" } }], filters: [{ type: "RequestRedirect", requestRedirect: { path: { type: "ReplaceFullPath", replaceFullPath: "/api/v1/push" }, statusCode: 308 } }] }])),
];
