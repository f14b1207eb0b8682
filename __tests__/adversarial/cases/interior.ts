/**
 * Issue 20 (zero-trust interior): untrusted sources inside the cluster, the
 * data plane reached without the load balancer, and membership as a
 * privilege. Every case starts from a hardened base (what branch `hardening`
 * makes the default): Mimir's pods carry only the members group, monitoring
 * is admitted by named pods, and for the Gateway API entry the load balancer
 * authenticates (mutual TLS), `entry.loadBalancerCidrs` names its subnets and
 * a NetworkPolicy admits only those subnets to the data-plane pods.
 */
import type { TerraformStack } from "cdktf";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { CA } from "../../auth-fixtures";
import { entryRouteRefs, manifest, MIMIR_NS, mimirPods, parts } from "../attack";
import { mimirStackOf, type Expect, type SynthCase } from "../harness";
import { PORT } from "../expectations";

/** The load balancer's subnets (what `loadBalancer.subnetCidrs` writes into `entry.loadBalancerCidrs`). */
export const LB_SUBNETS = ["10.0.0.0/24", "10.0.1.0/24"];
export const DP_NS = "envoy-gateway-system";
export const ENVOY_PODS = { "app.kubernetes.io/name": "envoy", "app.kubernetes.io/component": "proxy" };
const MONITORING = { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" }, securityGroupIds: ["sg-0a1b2c3d4e5f60718"] };
const SG_ID = /sg-[0-9a-f]+|security.?group|sg /i;

/** Hardened chart-gateway entry (edge-np base: NetworkPolicies on, mutual TLS at the load balancer): the SecurityGroupPolicy carries only the members group. */
const CHART_ENV = { monitoring: MONITORING };
/** Hardened legacy ingress-controller entry (the helpers' default), authenticated at the load balancer. */
const INGRESS_ENV = { monitoring: MONITORING, auth: { mode: "mtls", caBundle: CA, tenant: "t" } };
/** Hardened Gateway API entry with Envoy Gateway's data plane, authenticated at the load balancer (mutual TLS). */
export const GATEWAY_ENV = {
  monitoring: MONITORING,
  loadBalancer: { scheme: "internal", allowedCidrs: ["10.0.0.0/16"], subnetCidrs: LB_SUBNETS },
  ingress: undefined,
  entry: { kind: "gateway-api", gateway: { className: "eg" }, dataPlane: { namespace: DP_NS, serviceName: "envoy-mimir", healthCheckPath: "/healthz", podLabels: ENVOY_PODS } },
  auth: { mode: "mtls", caBundle: CA, tenant: "t" },
};

/** What branch `hardening` builds by default, applied to today's constructs. */
export function harden(s: TerraformStack, opts: { guardDataPlane?: boolean } = {}): void {
  const m = mimirStackOf(s);
  const sgp = m.podSecurityGroups!.manifest;
  const v = sgp.manifestInput as Record<string, any>;
  sgp.manifest = { ...v, spec: { ...v.spec, securityGroups: { groupIds: [m.edge.securityGroups.members.id] } } };
  s.addOverride("output.mimir_port_contract.value.entry.loadBalancerCidrs", LB_SUBNETS);
  // Branch hardening's own data-plane protection: its SecurityPolicies are removed (each attack meets one guard),
  // its NetworkPolicy is kept only in the guarded base.
  const dp = m.kubernetes.dataPlane;
  if (dp) for (const id of ["gateway-security-policy", "route-security-policy", ...(opts.guardDataPlane ? [] : ["network-policy"])]) dp.node.tryRemoveChild(id);
  if (opts.guardDataPlane) {
    new NetworkPolicyV1(s, "data-plane-from-lb", {
      metadata: { name: "envoy-mimir-from-load-balancer", namespace: DP_NS },
      spec: { podSelector: { matchLabels: ENVOY_PODS }, policyTypes: ["Ingress"], ingress: [{ from: LB_SUBNETS.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ port: "10080", protocol: "TCP" }] }] },
    });
  }
}

/** The same with the Gateway terminating TLS itself (an HTTPS listener), no NetworkPolicy on the data plane. */
const GATEWAY_TLS_ENV = { ...GATEWAY_ENV, entry: { ...GATEWAY_ENV.entry, gateway: { className: "eg", tlsSecretName: "mimir-tls" }, hosts: ["mimir.example.com"] } };

export type InteriorBase = "chart" | "ingress" | "gateway" | "gateway-unguarded" | "gateway-tls-unguarded";
const BASES: Record<InteriorBase, { base: SynthCase["base"]; env: Record<string, unknown>; guard: boolean }> = {
  chart: { base: "edge-np", env: CHART_ENV, guard: false },
  ingress: { base: "internal", env: INGRESS_ENV, guard: false },
  gateway: { base: "edge-np", env: GATEWAY_ENV, guard: true },
  "gateway-unguarded": { base: "edge-np", env: GATEWAY_ENV, guard: false },
  "gateway-tls-unguarded": { base: "edge-np", env: GATEWAY_TLS_ENV, guard: false },
};

export const c = (klass: string, name: string, base: InteriorBase, build: (s: TerraformStack) => void, expect?: Expect): SynthCase => ({
  class: klass,
  name,
  base: BASES[base].base,
  env: BASES[base].env,
  build: (s) => {
    harden(s, { guardDataPlane: BASES[base].guard });
    build(s);
  },
  ...(expect ? { expect } : {}),
});

// The cluster/nodes group as the stack knows it: the ingress-target input, else the nodes' group input (security-group-policy mode).
export const clusterSg = (s: TerraformStack) => (parts(s).stack.inputs.clusterSecurityGroupId ?? parts(s).stack.inputs.nodeSecurityGroupId)!;
const membersId = (s: TerraformStack) => parts(s).members.id;
export const ruleInto = (s: TerraformStack, id: string, peer: string, from: number, to: number, protocol = "tcp") =>
  new VpcSecurityGroupIngressRule(s, id, { securityGroupId: membersId(s), referencedSecurityGroupId: peer, fromPort: protocol === "-1" ? undefined : from, toPort: protocol === "-1" ? undefined : to, ipProtocol: protocol, description: "platform access" });
const sgp = (s: TerraformStack, id: string, namespace: string, podSelector: Record<string, string> | undefined, groups: string[]) =>
  manifest(s, id, { apiVersion: "vpcresources.k8s.aws/v1beta1", kind: "SecurityGroupPolicy", metadata: { name: id, namespace }, spec: { ...(podSelector ? { podSelector: { matchLabels: podSelector } } : {}), securityGroups: { groupIds: groups } } });
const mimirPolicy = (s: TerraformStack, id: string, from: Array<Record<string, unknown>> | undefined, port = "8080") =>
  new NetworkPolicyV1(s, id, { metadata: { name: id, namespace: MIMIR_NS }, spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "mimir", "app.kubernetes.io/instance": "mimir" } }, policyTypes: ["Ingress"], ingress: [{ ...(from ? { from } : {}), ports: [{ port, protocol: "TCP" }] }] } });
const dataPlanePolicy = (s: TerraformStack, id: string, from: Array<Record<string, unknown>> | undefined) =>
  new NetworkPolicyV1(s, id, { metadata: { name: id, namespace: DP_NS }, spec: { podSelector: { matchLabels: ENVOY_PODS }, policyTypes: ["Ingress"], ingress: [{ ...(from ? { from } : {}) }] } });
export const securityPolicy = (s: TerraformStack, id: string, namespace: string, spec: Record<string, unknown>) => manifest(s, id, { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "SecurityPolicy", metadata: { name: id, namespace }, spec });
export const gatewayRef = (name = "mimir", sectionName?: string) => ({ group: "gateway.networking.k8s.io", kind: "Gateway", name, ...(sectionName ? { sectionName } : {}) });
export const BASIC = { basicAuth: { users: { name: "mimir-basic-auth" } } };

const NODE = /node/i;
const POD_ANY_NS = /pod in another namespace|any namespace/i;
const MP019 = /MP019/;
const MP018 = /MP018/;
const DATA_PLANE = /data plane|envoy/i;

export const INTERIOR_EXPOSURES: SynthCase[] = [
  // Nodes and everything in the cluster / node security groups.
  c("interior-nodes", "a second SecurityGroupPolicy puts the cluster group back on Mimir's pods", "chart", (s) => sgp(s, "atk-sgp-cluster", MIMIR_NS, { "app.kubernetes.io/name": "mimir" }, [clusterSg(s)]), { rule: MP019, source: NODE, port: PORT.grpc }),
  c("interior-nodes", "members group admits the cluster group on grpc", "chart", (s) => ruleInto(s, "atk-from-cluster", clusterSg(s), 9095, 9095), { rule: MP019, source: NODE, port: PORT.grpc }),
  c("interior-nodes", "members group admits the cluster group on every protocol", "chart", (s) => ruleInto(s, "atk-from-cluster-all", clusterSg(s), 0, 0, "-1"), { rule: MP019, source: NODE, port: PORT.gossip }),
  c("interior-nodes", "the kubelet-probe rule widened to a range that holds grpc", "chart", (s) => ruleInto(s, "atk-probe-range", clusterSg(s), 8080, 9095), { rule: MP019, source: NODE, port: PORT.grpc, also: [/error/] }),
  c("interior-nodes", "members group admits an EKS cluster's additional group on memberlist", "chart", (s) => {
    const nodes = new SecurityGroup(s, "atk-eks-extra", { name: "eks-extra", vpcId: parts(s).vpcId });
    new EksCluster(s, "atk-eks", { name: "platform", roleArn: "arn:aws:iam::111122223333:role/eks", vpcConfig: { subnetIds: ["subnet-0123456789abcdef0"], securityGroupIds: [nodes.id] } });
    ruleInto(s, "atk-from-eks-extra", nodes.id, 7946, 7946);
  }, { rule: MP019, source: NODE, port: PORT.gossip }),
  c("interior-nodes", "members group admits a launch template's node group on grpc", "chart", (s) => {
    const nodes = new SecurityGroup(s, "atk-nodes", { name: "workers", vpcId: parts(s).vpcId });
    new LaunchTemplate(s, "atk-workers", { name: "workers", vpcSecurityGroupIds: [nodes.id] });
    ruleInto(s, "atk-from-workers", nodes.id, 9095, 9095);
  }, { rule: MP019, source: NODE, port: PORT.grpc }),

  // Pods in other namespaces, in Mimir's namespace, whole namespaces (NetworkPolicy semantics, through the nodes' http rule).
  c("interior-pods", "namespaceSelector: {} with a podSelector admits every namespace on http", "ingress", (s) => mimirPolicy(s, "atk-np-any-ns", [{ namespaceSelector: {}, podSelector: { matchLabels: { app: "grafana" } } }]), { rule: MP019, source: POD_ANY_NS, port: PORT.http }),
  c("interior-pods", "podSelector: {} admits every pod of Mimir's namespace on http", "ingress", (s) => mimirPolicy(s, "atk-np-own-ns", [{ podSelector: {} }]), { rule: MP019, source: /namespace mimir that is not Mimir's/, port: PORT.http }),
  c("interior-pods", "a whole namespace by name (no podSelector) on http", "ingress", (s) => mimirPolicy(s, "atk-np-tools", [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "tools" } } }]), { rule: MP019, source: /every pod in namespace tools/, port: PORT.http }),
  c("interior-pods", "the whole monitoring namespace beside its named pods", "ingress", (s) => mimirPolicy(s, "atk-np-monitoring", [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }]), { rule: MP019, source: /every pod in namespace monitoring/, port: PORT.http }),
  c("interior-pods", "namespaces by a label anyone with namespace rights can set", "ingress", (s) => mimirPolicy(s, "atk-np-team", [{ namespaceSelector: { matchLabels: { team: "observability" } } }]), { rule: MP019, source: /team=observability/, port: PORT.http }),
  c("interior-pods", "a rule without from admits every pod on http", "ingress", (s) => mimirPolicy(s, "atk-np-no-from", undefined, "http-metrics"), { rule: MP019, source: /pod in another namespace|not Mimir's/, port: PORT.http }),
  c("interior-pods", "namespaceSelector with matchExpressions (unreadable: any namespace) as a manifest", "ingress", (s) =>
    manifest(s, "atk-np-expr", { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "atk-np-expr", namespace: MIMIR_NS }, spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "mimir" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: "team", operator: "Exists" }] } }], ports: [{ port: 8080, protocol: "TCP" }] }] } }), { rule: MP019, source: POD_ANY_NS, port: PORT.http }),
  c("interior-pods", "named monitoring pods admitted on grpc (with the nodes' group opened on grpc)", "chart", (s) => {
    mimirPolicy(s, "atk-np-prom-grpc", [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } }], "9095");
    ruleInto(s, "atk-grpc-from-nodes", clusterSg(s), 9095, 9095);
  }, { rule: MP019, source: /prometheus/, port: PORT.grpc }),

  // Membership is a privilege.
  c("interior-membership", "SecurityGroupPolicy gives the members group to another app's pods", "chart", (s) => sgp(s, "atk-sgp-batch", "batch", { app: "batch" }, [membersId(s)]), { rule: MP019, source: /app=batch/, port: PORT.grpc }),
  c("interior-membership", "SecurityGroupPolicy with an empty podSelector in Mimir's namespace", "chart", (s) => sgp(s, "atk-sgp-empty", MIMIR_NS, {}, [membersId(s)]), { rule: MP019, source: /every pod in namespace/, port: PORT.gossip }),
  c("interior-membership", "SecurityGroupPolicy without a podSelector in another namespace", "chart", (s) => sgp(s, "atk-sgp-nosel", "tools", undefined, [membersId(s)]), { rule: MP019, source: /every pod in namespace tools/, port: PORT.grpc }),
  c("interior-membership", "SecurityGroupPolicy with Mimir's labels in another namespace", "chart", (s) => sgp(s, "atk-sgp-lookalike", "evil", mimirPods("ingester"), [membersId(s)]), { rule: MP019, source: /namespace evil/, port: PORT.gossip }),
  c("interior-membership", "SecurityGroupPolicy selecting Mimir's instance plus a label Mimir's pods lack", "chart", (s) => sgp(s, "atk-sgp-mixed", MIMIR_NS, { "app.kubernetes.io/instance": "mimir", app: "debug" }, [membersId(s)]), { rule: MP019, source: /app=debug/, port: PORT.grpc }),
  c("interior-membership", "SecurityGroupPolicy on Mimir's pods adds a group that is not in the stack", "chart", (s) => sgp(s, "atk-sgp-external", MIMIR_NS, { "app.kubernetes.io/name": "mimir", "app.kubernetes.io/instance": "mimir" }, [membersId(s), "sg-0fedcba9876543210"]), { rule: /MP015/, source: /not in this stack/, port: PORT.grpc }),
  c("interior-membership", "launch template puts the members group on nodes", "chart", (s) => new LaunchTemplate(s, "atk-lt-members", { name: "workers", vpcSecurityGroupIds: [membersId(s)] }), { rule: MP019, source: /nodes launched/, port: PORT.grpc }),
  c("interior-membership", "launch template network interface carries the members group", "chart", (s) => new LaunchTemplate(s, "atk-lt-eni", { name: "workers-eni", networkInterfaces: [{ securityGroups: [membersId(s)] }] }), { rule: MP019, source: /nodes launched/, port: PORT.gossip }),

  // The data plane reached without the load balancer (authentication is on the load balancer only).
  c("interior-data-plane", "no NetworkPolicy guards the data plane", "gateway-unguarded", () => undefined, { rule: MP018, source: /any namespace/, port: PORT.http, at: /TargetGroupBinding/, also: [DATA_PLANE] }),
  c("interior-data-plane", "a second policy on the data-plane pods admits every namespace", "gateway", (s) => dataPlanePolicy(s, "atk-dp-any", [{ namespaceSelector: {} }]), { rule: MP018, source: /namespaceSelector: \{\}/, port: PORT.http, also: [DATA_PLANE] }),
  c("interior-data-plane", "the data plane admits a CIDR wider than the load balancer's subnets", "gateway", (s) => dataPlanePolicy(s, "atk-dp-vpc", [{ ipBlock: { cidr: "10.0.0.0/16" } }]), { rule: MP018, source: /10\.0\.0\.0\/16/, port: PORT.http, also: [DATA_PLANE] }),
  c("interior-data-plane", "a data-plane rule without from", "gateway", (s) => dataPlanePolicy(s, "atk-dp-open", undefined), { rule: MP018, source: /every source/, port: PORT.http, also: [DATA_PLANE] }),
  c("interior-data-plane", "SecurityPolicy authenticates another team's Gateway, not Mimir's", "gateway-unguarded", (s) => securityPolicy(s, "atk-sp-other", MIMIR_NS, { targetRefs: [gatewayRef("shop")], ...BASIC }), { rule: MP018, source: /any namespace/, port: PORT.http, at: /TargetGroupBinding/, also: [/Gateway mimir/] }),
  c("interior-data-plane", "SecurityPolicy on one listener of the Gateway; the route is attached to all of them", "gateway-unguarded", (s) => securityPolicy(s, "atk-sp-section", MIMIR_NS, { targetRefs: [gatewayRef("mimir", "https")], ...BASIC }), { rule: MP018, source: /any namespace/, port: PORT.http, at: /TargetGroupBinding/ }),
  c("interior-data-plane", "SecurityPolicy in another namespace (targetRefs are local)", "gateway-unguarded", (s) => securityPolicy(s, "atk-sp-elsewhere", "shop", { targetRefs: [gatewayRef()], ...BASIC }), { rule: MP018, source: /any namespace/, port: PORT.http, at: /TargetGroupBinding/ }),
  c("interior-data-plane", "authorization allows client CIDRs wider than the load balancer's subnets", "gateway-unguarded", (s) => securityPolicy(s, "atk-sp-wide", MIMIR_NS, { targetRefs: [gatewayRef()], authorization: { defaultAction: "Deny", rules: [{ action: "Allow", principal: { clientCIDRs: ["10.0.0.0/8"] } }] } }), { rule: MP018, source: /any namespace/, port: PORT.http, at: /TargetGroupBinding/ }),
  c("interior-data-plane", "authorization whose default action allows", "gateway-unguarded", (s) => securityPolicy(s, "atk-sp-allow", MIMIR_NS, { targetRefs: [gatewayRef()], authorization: { defaultAction: "Allow", rules: [{ action: "Deny", principal: { clientCIDRs: ["192.0.2.0/24"] } }] } }), { rule: MP018, source: /any namespace/, port: PORT.http, at: /TargetGroupBinding/ }),
  c("interior-data-plane", "ClientTrafficPolicy with optional client validation", "gateway-unguarded", (s) =>
    manifest(s, "atk-ctp-optional", { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "ClientTrafficPolicy", metadata: { name: "atk-ctp-optional", namespace: MIMIR_NS }, spec: { targetRefs: [gatewayRef()], tls: { clientValidation: { optional: true, caCertificateRefs: [{ kind: "ConfigMap", name: "agents-ca" }] } } } }), { rule: MP018, source: /any namespace/, port: PORT.http, at: /TargetGroupBinding/ }),
  c("interior-data-plane", "SecurityPolicy extAuth that fails open", "gateway-unguarded", (s) => securityPolicy(s, "atk-sp-failopen", MIMIR_NS, { targetRefs: [gatewayRef()], extAuth: { failOpen: true, http: { backendRefs: [{ name: "authz", port: 9000 }] } } }), { rule: MP018, source: /any namespace/, port: PORT.http, at: /TargetGroupBinding/ }),
  c("interior-data-plane", "SecurityPolicy jwt that lets requests without a token through", "gateway-unguarded", (s) => securityPolicy(s, "atk-sp-optional", MIMIR_NS, { targetRefs: [gatewayRef()], jwt: { optional: true, providers: [{ name: "idp", remoteJWKS: { uri: "https://login.example.com/jwks" } }] } }), { rule: MP018, source: /any namespace/, port: PORT.http, at: /TargetGroupBinding/ }),
  c("interior-data-plane", "SecurityPolicy jwt that fails open (a missing or invalid token passes)", "gateway-unguarded", (s) => securityPolicy(s, "atk-sp-jwt-failopen", MIMIR_NS, { targetRefs: [gatewayRef()], jwt: { failOpen: true, providers: [{ name: "idp", remoteJWKS: { uri: "https://login.example.com/jwks" } }] } }), { rule: MP018, source: /any namespace/, port: PORT.http, at: /TargetGroupBinding/ }),
  c("interior-data-plane", "SecurityPolicy jwt the API server refuses (a provider without JWKS)", "gateway-unguarded", (s) => securityPolicy(s, "atk-sp-jwt-nokeys", MIMIR_NS, { targetRefs: [gatewayRef()], jwt: { providers: [{ name: "idp", issuer: "https://login.example.com" }] } }), { rule: MP018, source: /any namespace/, port: PORT.http, at: /TargetGroupBinding/ }),
  c("interior-data-plane", "ClientTrafficPolicy client validation on a plain-HTTP Gateway listener", "gateway-unguarded", (s) =>
    manifest(s, "atk-ctp-http", { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "ClientTrafficPolicy", metadata: { name: "atk-ctp-http", namespace: MIMIR_NS }, spec: { targetRefs: [gatewayRef()], tls: { clientValidation: { caCertificateRefs: [{ kind: "ConfigMap", name: "agents-ca" }] } } } }), { rule: MP018, source: /any namespace/, port: PORT.http, at: /TargetGroupBinding/ }),
  c("interior-data-plane", "HTTPS Gateway (TLS at the data plane) without client validation or a guard", "gateway-tls-unguarded", () => undefined, { rule: MP018, source: /any namespace/, port: PORT.http, at: /TargetGroupBinding/ }),
  c("interior-data-plane", "a second listener on Mimir's Gateway serves the route (attached to every listener)", "gateway", (s) => {
    const gateway = parts(s).stack.node.findAll().find((x) => (x as { manifestInput?: { kind?: string } }).manifestInput?.kind === "Gateway") as unknown as { manifestInput: Record<string, any>; manifest: unknown };
    const v = gateway.manifestInput;
    gateway.manifest = { ...v, spec: { ...v.spec, listeners: [...v.spec.listeners, { name: "atk-extra", port: 8443, protocol: "HTTP" }] } };
  }, { rule: MP018, source: /listener atk-extra/, port: PORT.http, at: /Gateway/ }),
  c("interior-data-plane", "legacy ingress controller reached by pods (authentication on the load balancer only)", "ingress", () => undefined, { rule: MP018, source: /any namespace/, port: PORT.http, at: /TargetGroupBinding|ingress-nginx/, also: [/Ingress/] }),
];

const otherSg = (s: TerraformStack, id: string) => new SecurityGroup(s, id, { name: id, vpcId: parts(s).vpcId, description: "another team's pods" });

export const INTERIOR_NEIGHBOURS: SynthCase[] = [
  c("neighbour", "the hardened chart-gateway entry itself", "chart", () => undefined),
  c("neighbour", "the hardened Gateway API entry: data plane admits only the load balancer's subnets", "gateway", () => undefined),
  c("neighbour", "the hardened legacy entry with a data plane guarded by the load balancer's subnets", "ingress", (s) =>
    new NetworkPolicyV1(s, "ingress-nginx-from-lb", { metadata: { name: "ingress-nginx-from-lb", namespace: "ingress-nginx" }, spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: LB_SUBNETS.map((cidr) => ({ ipBlock: { cidr } })) }] } })),
  c("neighbour", "data plane unguarded by NetworkPolicy but SecurityPolicy basicAuth on Mimir's Gateway", "gateway-unguarded", (s) => securityPolicy(s, "mimir-basic-auth", MIMIR_NS, { targetRefs: [gatewayRef()], ...BASIC })),
  c("neighbour", "SecurityPolicy jwt on Mimir's HTTPRoute", "gateway-unguarded", (s) => securityPolicy(s, "mimir-jwt", MIMIR_NS, { targetRefs: entryRouteRefs(s), jwt: { providers: [{ name: "idp", remoteJWKS: { uri: "https://login.example.com/jwks" } }] } })),
  c("neighbour", "SecurityPolicy authorization admitting only the load balancer's subnets", "gateway-unguarded", (s) => securityPolicy(s, "mimir-lb-only", MIMIR_NS, { targetRefs: [gatewayRef()], authorization: { defaultAction: "Deny", rules: [{ action: "Allow", principal: { clientCIDRs: LB_SUBNETS } }] } })),
  c("neighbour", "ClientTrafficPolicy requiring client certificates on Mimir's HTTPS Gateway", "gateway-tls-unguarded", (s) =>
    manifest(s, "mimir-client-certs", { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "ClientTrafficPolicy", metadata: { name: "mimir-client-certs", namespace: MIMIR_NS }, spec: { targetRefs: [gatewayRef()], tls: { clientValidation: { caCertificateRefs: [{ kind: "ConfigMap", name: "agents-ca" }] } } } })),
  c("neighbour", "another team's Gateway, HTTPRoute and SecurityPolicy in their namespace", "gateway", (s) => {
    manifest(s, "shop-gateway", { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "shop", namespace: "shop" }, spec: { gatewayClassName: "eg", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] } });
    manifest(s, "shop-route", { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "shop", namespace: "shop" }, spec: { parentRefs: [{ name: "shop" }], rules: [{ backendRefs: [{ name: "shop", port: 8080 }] }] } });
    securityPolicy(s, "shop-auth", "shop", { targetRefs: [gatewayRef("shop")], ...BASIC });
  }),
  c("neighbour", "another namespace's pods with their own security group (SecurityGroupPolicy)", "chart", (s) => {
    const own = otherSg(s, "payments-pods");
    sgp(s, "payments", "payments", { app: "payments" }, [own.id]);
  }),
  c("neighbour", "monitoring by named pods: Grafana Agent admitted on http by labels", "chart", (s) =>
    mimirPolicy(s, "allow-agent", [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "grafana-agent" } } }])),
  c("neighbour", "another app's NetworkPolicy with namespaceSelector: {} (does not select Mimir)", "chart", (s) =>
    new NetworkPolicyV1(s, "shop-np", { metadata: { name: "shop-open", namespace: "shop" }, spec: { podSelector: { matchLabels: { app: "shop" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: "9095", protocol: "TCP" }] }] } })),
  c("neighbour", "another node group's launch template with its own group", "chart", (s) => new LaunchTemplate(s, "batch-lt", { name: "batch", vpcSecurityGroupIds: [otherSg(s, "batch-nodes").id] })),
  c("neighbour", "another app's SecurityGroupPolicy with an empty selector and its own group", "chart", (s) => sgp(s, "tools", "tools", {}, [otherSg(s, "tools-pods").id])),
];
