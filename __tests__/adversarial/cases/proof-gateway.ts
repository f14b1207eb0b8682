/**
 * Issue 30 item 4: Gateway API semantics. A backendRef into another namespace (any route kind, RequestMirror
 * filters included) counts only where a ReferenceGrant in the target's namespace permits it: no grant, the
 * implementation refuses it (RefNotPermitted) and it is no way in; a grant, a way in judged like any route.
 */
import type { TerraformStack } from "cdktf";
import { manifest, MIMIR_NS } from "../attack";
import { PORT } from "../expectations";
import { mimirStackOf, type SynthCase } from "../harness";
import { parts } from "../attack";
import { c, clusterSg, DP_NS, ENVOY_PODS, GATEWAY_ENV, LB_SUBNETS, ruleInto } from "./interior";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";

const GW = { group: "gateway.networking.k8s.io" };
const route = (s: TerraformStack, id: string, kind: string, namespace: string, rules: Array<Record<string, unknown>>, parent = "shop-gw") =>
  manifest(s, id, { apiVersion: `gateway.networking.k8s.io/${kind === "HTTPRoute" || kind === "GRPCRoute" ? "v1" : "v1alpha2"}`, kind, metadata: { name: id, namespace }, spec: { parentRefs: [{ name: parent }], rules } });
const grant = (s: TerraformStack, id: string, from: { kind: string; namespace: string }, to: { name?: string } = {}, namespace = MIMIR_NS) =>
  manifest(s, id, { apiVersion: "gateway.networking.k8s.io/v1beta1", kind: "ReferenceGrant", metadata: { name: id, namespace }, spec: { from: [{ ...GW, ...from }], to: [{ group: "", kind: "Service", ...to }] } });
const toMimir = (name: string, port: number) => ({ name, namespace: MIMIR_NS, port });
const mirrorTo = (name: string, port: number, namespace?: string) => ({ type: "RequestMirror", requestMirror: { backendRef: { name, port, ...(namespace ? { namespace } : {}) } } });

const exposure = (name: string, build: (s: TerraformStack) => void, port: RegExp): SynthCase => ({ class: "proof-reference-grant", name, base: "edge-np", build, expect: { source: /Gateway|HTTPRoute|GRPCRoute|TCPRoute/, port } });
const neighbour = (name: string, build: (s: TerraformStack) => void): SynthCase => ({ class: "neighbour", name, base: "edge-np", build });

export const GATEWAY_EXPOSURES: SynthCase[] = [
  exposure("an HTTPRoute in another namespace reaches the ingesters' grpc through a ReferenceGrant for HTTPRoutes from it", (s) => {
    route(s, "atk-route", "HTTPRoute", "shop", [{ backendRefs: [toMimir("mimir-ingester", 9095)] }]);
    grant(s, "atk-grant", { kind: "HTTPRoute", namespace: "shop" });
  }, PORT.grpc),
  exposure("a GRPCRoute in another namespace through a grant naming the querier Service", (s) => {
    route(s, "atk-grpc", "GRPCRoute", "shop", [{ backendRefs: [toMimir("mimir-querier", 9095)] }]);
    grant(s, "atk-grant-named", { kind: "GRPCRoute", namespace: "shop" }, { name: "mimir-querier" });
  }, PORT.grpc),
  exposure("a TCPRoute in another namespace to the gossip ring through a grant", (s) => {
    route(s, "atk-tcp", "TCPRoute", "games", [{ backendRefs: [toMimir("mimir-gossip-ring", 7946)] }]);
    grant(s, "atk-grant-tcp", { kind: "TCPRoute", namespace: "games" });
  }, PORT.gossip),
  exposure("a RequestMirror filter copies every request of another team's route to the ingesters (through a grant)", (s) => {
    route(s, "atk-mirror", "HTTPRoute", "shop", [{ filters: [mirrorTo("mimir-ingester", 9095, MIMIR_NS)], backendRefs: [{ name: "shop-web", port: 8080 }] }]);
    grant(s, "atk-grant-mirror", { kind: "HTTPRoute", namespace: "shop" });
  }, PORT.grpc),
  exposure("a RequestMirror filter in Mimir's own namespace needs no grant", (s) => {
    route(s, "atk-mirror-local", "HTTPRoute", MIMIR_NS, [{ filters: [mirrorTo("mimir-distributor", 9095)], backendRefs: [{ name: "mimir-gateway", port: 8080 }] }]);
  }, PORT.grpc),
  exposure("a RequestMirror on a backendRef (not the rule) to the store-gateways' grpc through a grant", (s) => {
    route(s, "atk-mirror-backend", "HTTPRoute", "shop", [{ backendRefs: [{ name: "shop-web", port: 8080, filters: [mirrorTo("mimir-store-gateway", 9095, MIMIR_NS)] }] }]);
    grant(s, "atk-grant-backend", { kind: "HTTPRoute", namespace: "shop" });
  }, PORT.grpc),
];

export const GATEWAY_NEIGHBOURS: SynthCase[] = [
  neighbour("an HTTPRoute in another namespace to the ingesters' grpc without a ReferenceGrant (RefNotPermitted: inert)", (s) => void route(s, "shop-route", "HTTPRoute", "shop", [{ backendRefs: [toMimir("mimir-ingester", 9095)] }])),
  neighbour("a ReferenceGrant in Mimir's namespace for routes from another namespace than the route's", (s) => {
    route(s, "shop-route", "HTTPRoute", "shop", [{ backendRefs: [toMimir("mimir-ingester", 9095)] }]);
    grant(s, "billing-grant", { kind: "HTTPRoute", namespace: "billing" });
  }),
  neighbour("a ReferenceGrant that names another Service than the one the route references", (s) => {
    route(s, "shop-route", "HTTPRoute", "shop", [{ backendRefs: [toMimir("mimir-ingester", 9095)] }]);
    grant(s, "named-grant", { kind: "HTTPRoute", namespace: "shop" }, { name: "mimir-exporter" });
  }),
  neighbour("a ReferenceGrant for GRPCRoutes does not admit an HTTPRoute", (s) => {
    route(s, "shop-route", "HTTPRoute", "shop", [{ backendRefs: [toMimir("mimir-ingester", 9095)] }]);
    grant(s, "grpc-grant", { kind: "GRPCRoute", namespace: "shop" });
  }),
  neighbour("another team's Gateway, its route and its own ReferenceGrant to its backend in a third namespace", (s) => {
    manifest(s, "shop-gw", { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "shop-gw", namespace: "shop" }, spec: { gatewayClassName: "eg", listeners: [{ name: "https", port: 443, protocol: "HTTPS", tls: { certificateRefs: [{ name: "shop-tls" }] } }] } });
    route(s, "shop-route", "HTTPRoute", "shop", [{ backendRefs: [{ name: "shop-api", namespace: "shop-backend", port: 9095 }] }]);
    grant(s, "shop-grant", { kind: "HTTPRoute", namespace: "shop" }, {}, "shop-backend");
  }),
  neighbour("a mirror of another team's route to its own backend in another namespace, without a grant", (s) => void route(s, "shop-mirror", "HTTPRoute", "shop", [{ filters: [mirrorTo("mimir-ingester", 9095, MIMIR_NS)], backendRefs: [{ name: "shop-web", port: 8080 }] }])),
];

// Mimir's NetworkPolicies trust only the proxies of the Gateway the entry uses (owning-gateway labels).
function entryGateway(s: TerraformStack): { name: string; namespace: string } {
  const gw = parts(s).stack.node.findAll().find((x) => (x as { manifestInput?: { kind?: string } }).manifestInput?.kind === "Gateway") as unknown as { manifestInput: Record<string, any> };
  return { name: gw.manifestInput.metadata.name, namespace: gw.manifestInput.metadata.namespace };
}
const proxiesOf = (name: string, namespace: string) => ({ ...ENVOY_PODS, "gateway.envoyproxy.io/owning-gateway-name": name, "gateway.envoyproxy.io/owning-gateway-namespace": namespace });
const admitProxies = (s: TerraformStack, id: string, labels: Record<string, string>) =>
  manifest(s, id, { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: id, namespace: MIMIR_NS }, spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "mimir", "app.kubernetes.io/instance": "mimir" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": DP_NS } }, podSelector: { matchLabels: labels } }], ports: [{ port: 8080, protocol: "TCP" }] }] } });

GATEWAY_NEIGHBOURS.push(
  // The data plane has a group of its own (issue 27): another Gateway's proxies do not carry it, so a NetworkPolicy
  // that also admits them opens nothing (the security group refuses them); the model finds no path.
  c("neighbour", "Mimir's NetworkPolicy admits another team's Gateway's proxies, which the data-plane group keeps out", "gateway", (s) => void admitProxies(s, "np-shop-proxies", proxiesOf("shop", "shop"))),
  c("neighbour", "Mimir's NetworkPolicy admits the proxies of the Gateway the entry uses, by owning-gateway labels", "gateway", (s) => {
    const gw = entryGateway(s);
    admitProxies(s, "mimir-from-entry-proxies", proxiesOf(gw.name, gw.namespace));
  }),
);

// A shared Gateway (entry.gateway.parentRef): the contract output names it (entry.gateway), so its proxies are the
// entry's and every other Gateway's are not; a peer without owning-gateway labels admits every Gateway's proxies.
const SHARED_ENV = { ...GATEWAY_ENV, entry: { ...GATEWAY_ENV.entry, gateway: { parentRef: { name: "platform", namespace: "gateways" } } } };
const shared = (klass: string, name: string, build: (s: TerraformStack) => void, expect?: SynthCase["expect"]): SynthCase => ({ class: klass, name, base: "edge-np", env: SHARED_ENV, build: (s) => { hardenShared(s); build(s); }, ...(expect ? { expect } : {}) });
/** harden() without removing the stack's route SecurityPolicy: on a shared Gateway it is what keeps the data plane to the load balancer. */
function hardenShared(s: TerraformStack): void {
  const m = mimirStackOf(s);
  const sgp = m.podSecurityGroups!.manifest;
  const v = sgp.manifestInput as Record<string, any>;
  sgp.manifest = { ...v, spec: { ...v.spec, securityGroups: { groupIds: [m.edge.securityGroups.members.id] } } };
  s.addOverride("output.mimir_port_contract.value.entry.loadBalancerCidrs", LB_SUBNETS);
}
const ANY_PROXY = /without the owning-gateway labels/;
// The created Gateway's base with the nodes' group admitted on http (as where the data plane has no group of its own).
const nodesOnHttp = (s: TerraformStack) => void ruleInto(s, "atk-http-from-nodes", clusterSg(s), 8080, 8080);

GATEWAY_EXPOSURES.push(
  shared("proof-gateway-proxies", "shared Gateway: Mimir's NetworkPolicy admits another team's Gateway's proxies (owning-gateway labels name shop/shop)", (s) => void admitProxies(s, "atk-np-shop-proxies", proxiesOf("shop", "shop")), { rule: /MP019/, source: /proxies of Gateway shop\/shop/, port: PORT.http }),
  shared("proof-gateway-proxies", "shared Gateway: owning-gateway name of the entry's Gateway in another namespace", (s) => void admitProxies(s, "atk-np-platform-elsewhere", proxiesOf("platform", "shop")), { rule: /MP019/, source: /proxies of Gateway shop\/platform/, port: PORT.http }),
  shared("proof-gateway-proxies", "shared Gateway: Envoy's proxy labels without owning-gateway labels admit every Gateway's proxies", (s) => void admitProxies(s, "atk-np-any-proxy", ENVOY_PODS), { rule: /MP019/, source: ANY_PROXY, port: PORT.http }),
  shared("proof-gateway-proxies", "shared Gateway: app.kubernetes.io/name=envoy alone", (s) => void admitProxies(s, "atk-np-envoy-name", { "app.kubernetes.io/name": "envoy" }), { rule: /MP019/, source: ANY_PROXY, port: PORT.http }),
  shared("proof-gateway-proxies", "shared Gateway: managed-by envoy-gateway alone", (s) => void admitProxies(s, "atk-np-managed-by", { "app.kubernetes.io/managed-by": "envoy-gateway" }), { rule: /MP019/, source: ANY_PROXY, port: PORT.http }),
  c("proof-gateway-proxies", "created Gateway, nodes' group on http: Envoy's proxy labels without owning-gateway labels", "gateway", (s) => {
    nodesOnHttp(s);
    admitProxies(s, "atk-np-any-proxy", ENVOY_PODS);
  }, { rule: /MP019/, source: ANY_PROXY, port: PORT.http }),
  c("proof-gateway-proxies", "created Gateway, nodes' group on http: owning-gateway labels of another team's Gateway", "gateway", (s) => {
    nodesOnHttp(s);
    admitProxies(s, "atk-np-shop-proxies", proxiesOf("shop", "shop"));
  }, { rule: /MP019/, source: /proxies of Gateway shop\/shop/, port: PORT.http }),
  // Item 3: a rule with ports and no `from` admits every source on those ports.
  c("proof-gateway-proxies", "a NetworkPolicy rule with grpc's port and no from (every source), the nodes' group opened on grpc", "chart", (s) => {
    new NetworkPolicyV1(s, "atk-np-ports-only", { metadata: { name: "atk-np-ports-only", namespace: MIMIR_NS }, spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "mimir", "app.kubernetes.io/instance": "mimir" } }, policyTypes: ["Ingress"], ingress: [{ ports: [{ port: "9095", protocol: "TCP" }] }] } });
    ruleInto(s, "atk-grpc-from-nodes", clusterSg(s), 9095, 9095);
  }, { rule: /MP019/, source: /pod in another namespace/, port: PORT.grpc }),
);
GATEWAY_NEIGHBOURS.push(
  shared("neighbour", "a shared Gateway (parentRef) as the stack builds it", () => undefined),
  shared("neighbour", "shared Gateway: Mimir's NetworkPolicy admits the shared Gateway's proxies again, by owning-gateway labels", (s) => void admitProxies(s, "mimir-from-platform", proxiesOf("platform", "gateways"))),
  shared("neighbour", "shared Gateway: another team's NetworkPolicy admits every Envoy proxy to its own pods", (s) =>
    void manifest(s, "shop-from-proxies", { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "shop-from-proxies", namespace: "shop" }, spec: { podSelector: { matchLabels: { app: "shop" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": DP_NS } }, podSelector: { matchLabels: ENVOY_PODS } }] }] } })),
  c("neighbour", "created Gateway: a guard on another team's Gateway's proxies beside the entry's own guard", "gateway", (s) => {
    new NetworkPolicyV1(s, "shop-guard", { metadata: { name: "shop-from-load-balancer", namespace: DP_NS }, spec: { podSelector: { matchLabels: proxiesOf("shop", "shop") }, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "10.9.0.0/24" } }] }] } });
  }),
);
