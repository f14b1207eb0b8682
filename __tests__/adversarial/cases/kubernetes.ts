/** Kubernetes exposures, typed resources and kubernetes_manifest: Services, Ingress/routes, Gateways, host ports, NetworkPolicies. */
import type { TerraformStack } from "cdktf";
import { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { Ingress } from "@cdktf/provider-kubernetes/lib/ingress";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { PodV1 } from "@cdktf/provider-kubernetes/lib/pod-v1";
import { Service } from "@cdktf/provider-kubernetes/lib/service";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { StatefulSetV1 } from "@cdktf/provider-kubernetes/lib/stateful-set-v1";
import { manifest, MIMIR_NS, mimirContainer, mimirPods, ringMembers } from "../attack";
import { CRITICAL, PORT, SRC } from "../expectations";
import type { SynthCase } from "../harness";

const edge = (klass: string, name: string, build: (s: TerraformStack) => void, expect: SynthCase["expect"]): SynthCase => ({ class: klass, name, base: "edge", build, expect });
/** NetworkPolicy cases run with our deny-by-default policies on: the attacker's policy must win by Kubernetes' union semantics. */
const edgeNp = (klass: string, name: string, build: (s: TerraformStack) => void, expect: SynthCase["expect"]): SynthCase => ({ class: klass, name, base: "edge-np", build, expect });
const meta = (name: string, namespace = MIMIR_NS) => ({ name, namespace });

/** A typed container with the chart's Mimir ports; `patch` edits the port named `name`. */
function typedMimirContainer(component: string, patch?: { name: string; hostPort: number }) {
  return {
    name: component,
    image: "grafana/mimir:3.0.0",
    args: [`-target=${component}`],
    port: [
      { name: "http-metrics", containerPort: 8080 },
      { name: "grpc", containerPort: 9095 },
      { name: "memberlist", containerPort: 7946 },
    ].map((p) => (patch && p.name === patch.name ? { ...p, hostPort: patch.hostPort } : p)),
  };
}

const gateway = (s: TerraformStack, listeners: unknown[]) =>
  manifest(s, "atk-gw", { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: meta("atk-gw"), spec: { gatewayClassName: "public", listeners } });

export const SERVICES: SynthCase[] = [
  edge("k8s-service", "typed LoadBalancer Service selects the ingesters, targetPort grpc by name", (s) => {
    new ServiceV1(s, "atk-svc", { metadata: meta("atk-svc"), spec: { type: "LoadBalancer", selector: mimirPods("ingester"), port: [{ name: "api", port: 443, targetPort: "grpc" }] } });
  }, { source: SRC.loadBalancerService, port: PORT.grpc, also: [CRITICAL] }),
  edge("k8s-service", "typed NodePort Service, innocent port 80, targetPort the container port name memberlist", (s) => {
    new ServiceV1(s, "atk-svc", { metadata: meta("atk-svc"), spec: { type: "NodePort", selector: ringMembers, port: [{ name: "web", port: 80, targetPort: "memberlist" }] } });
  }, { source: SRC.nodePort, port: PORT.gossip }),
  edge("k8s-service", "typed ClusterIP Service with externalIPs on the distributors' http", (s) => {
    new ServiceV1(s, "atk-svc", { metadata: meta("atk-svc"), spec: { selector: mimirPods("distributor"), externalIps: ["203.0.113.10"], port: [{ name: "web", port: 80, targetPort: "8080" }] } });
  }, { source: /203\.0\.113\.10|external ?IP/i, port: PORT.http }),
  edge("k8s-service", "typed NodePort Service, targetPort grpc by number", (s) => {
    new ServiceV1(s, "atk-svc", { metadata: meta("atk-svc"), spec: { type: "NodePort", selector: mimirPods("querier"), port: [{ name: "web", port: 12345, targetPort: "9095", nodePort: 30095 }] } });
  }, { source: SRC.nodePort, port: PORT.grpc }),
  edge("k8s-service", "legacy kubernetes_service LoadBalancer on the store-gateways", (s) => {
    new Service(s, "atk-svc", { metadata: meta("atk-svc"), spec: { type: "LoadBalancer", selector: mimirPods("store-gateway"), port: [{ name: "web", port: 443, targetPort: "grpc" }] } });
  }, { source: SRC.loadBalancerService, port: PORT.grpc }),
  edge("k8s-service", "kubernetes_manifest LoadBalancer Service, targetPort http-metrics on the ingesters", (s) => {
    manifest(s, "atk-svc", { apiVersion: "v1", kind: "Service", metadata: meta("atk-svc"), spec: { type: "LoadBalancer", selector: mimirPods("ingester"), ports: [{ name: "web", port: 443, targetPort: "http-metrics" }] } });
  }, { source: SRC.loadBalancerService, port: PORT.http }),
  edge("k8s-service", "kubernetes_manifest NodePort Service on grpc", (s) => {
    manifest(s, "atk-svc", { apiVersion: "v1", kind: "Service", metadata: meta("atk-svc"), spec: { type: "NodePort", selector: mimirPods("distributor"), ports: [{ name: "rpc", port: 9095, targetPort: 9095 }] } });
  }, { source: SRC.nodePort, port: PORT.grpc }),
  edge("k8s-service", "kubernetes_manifest ClusterIP Service with externalIPs on the gossip ring", (s) => {
    manifest(s, "atk-svc", { apiVersion: "v1", kind: "Service", metadata: meta("atk-svc"), spec: { selector: ringMembers, externalIPs: ["198.51.100.20"], ports: [{ name: "ring", port: 7946, targetPort: "memberlist" }] } });
  }, { source: /198\.51\.100\.20|external ?IP/i, port: PORT.gossip }),
];

export const ROUTES: SynthCase[] = [
  edge("k8s-route", "typed TLS Ingress routes /debug to the ingesters' grpc (port by name)", (s) => {
    new IngressV1(s, "atk-ing", {
      metadata: meta("atk-ing"),
      spec: { ingressClassName: "nginx", tls: [{ hosts: ["mimir.example.com"], secretName: "mimir-tls" }], rule: [{ host: "mimir.example.com", http: { path: [{ path: "/debug", pathType: "Prefix", backend: { service: { name: "mimir-ingester", port: { name: "grpc" } } } }] } }] },
    });
  }, { source: /Ingress|nginx|internet|anywhere/i, port: PORT.grpc }),
  edge("k8s-route", "typed TLS Ingress routes to the gossip ring by port number", (s) => {
    new IngressV1(s, "atk-ing", {
      metadata: meta("atk-ing"),
      spec: { ingressClassName: "nginx", tls: [{ hosts: ["mimir.example.com"], secretName: "mimir-tls" }], rule: [{ host: "mimir.example.com", http: { path: [{ path: "/ring", pathType: "Prefix", backend: { service: { name: "mimir-gossip-ring", port: { number: 7946 } } } }] } }] },
    });
  }, { source: /Ingress|nginx|internet|anywhere/i, port: PORT.gossip }),
  edge("k8s-route", "legacy kubernetes_ingress (service_name/service_port) to grpc", (s) => {
    new Ingress(s, "atk-ing", {
      metadata: { ...meta("atk-ing"), annotations: { "kubernetes.io/ingress.class": "nginx" } },
      spec: { tls: [{ hosts: ["mimir.example.com"], secretName: "mimir-tls" }], rule: [{ host: "mimir.example.com", http: { path: [{ path: "/q", backend: { serviceName: "mimir-querier", servicePort: "9095" } }] } }] },
    } as any);
  }, { source: /Ingress|nginx|internet|anywhere/i, port: PORT.grpc }),
  edge("k8s-route", "kubernetes_manifest Ingress to the distributors' grpc", (s) => {
    manifest(s, "atk-ing", {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: meta("atk-ing"),
      spec: { ingressClassName: "nginx", tls: [{ hosts: ["mimir.example.com"], secretName: "mimir-tls" }], rules: [{ host: "mimir.example.com", http: { paths: [{ path: "/d", pathType: "Prefix", backend: { service: { name: "mimir-distributor", port: { name: "grpc" } } } }] } }] },
    });
  }, { source: /Ingress|nginx|internet|anywhere/i, port: PORT.grpc }),
  edge("k8s-route", "HTTPRoute on a public Gateway to the ingesters' grpc port", (s) => {
    gateway(s, [{ name: "https", protocol: "HTTPS", port: 443, tls: { certificateRefs: [{ name: "mimir-tls" }] } }]);
    manifest(s, "atk-route", { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: meta("atk-route"), spec: { parentRefs: [{ name: "atk-gw" }], rules: [{ matches: [{ path: { type: "PathPrefix", value: "/x" } }], backendRefs: [{ name: "mimir-ingester", port: 9095 }] }] } });
  }, { source: /Gateway|HTTPRoute|internet|anywhere/i, port: PORT.grpc }),
  edge("k8s-route", "GRPCRoute to the queriers' grpc", (s) => {
    gateway(s, [{ name: "https", protocol: "HTTPS", port: 443, tls: { certificateRefs: [{ name: "mimir-tls" }] } }]);
    manifest(s, "atk-route", { apiVersion: "gateway.networking.k8s.io/v1", kind: "GRPCRoute", metadata: meta("atk-route"), spec: { parentRefs: [{ name: "atk-gw" }], rules: [{ backendRefs: [{ name: "mimir-querier", port: 9095 }] }] } });
  }, { source: /Gateway|GRPCRoute|internet|anywhere/i, port: PORT.grpc }),
  edge("k8s-route", "TCPRoute through a TCP Gateway listener to the gossip ring", (s) => {
    gateway(s, [{ name: "tcp", protocol: "TCP", port: 7000, allowedRoutes: { kinds: [{ kind: "TCPRoute" }] } }]);
    manifest(s, "atk-route", { apiVersion: "gateway.networking.k8s.io/v1alpha2", kind: "TCPRoute", metadata: meta("atk-route"), spec: { parentRefs: [{ name: "atk-gw", sectionName: "tcp" }], rules: [{ backendRefs: [{ name: "mimir-gossip-ring", port: 7946 }] }] } });
  }, { source: /Gateway|TCPRoute|internet|anywhere/i, port: PORT.gossip }),
  edge("k8s-route", "Gateway with a plain-HTTP listener routes to Mimir's http", (s) => {
    gateway(s, [{ name: "plain", protocol: "HTTP", port: 80 }]);
    manifest(s, "atk-route", { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: meta("atk-route"), spec: { parentRefs: [{ name: "atk-gw" }], rules: [{ backendRefs: [{ name: "mimir-gateway", port: 8080 }] }] } });
  }, { source: /Gateway|HTTP\b|plain|internet|anywhere/i, port: PORT.http }),
];

export const HOST_PORTS: SynthCase[] = [
  edge("k8s-host-port", "kubernetes_manifest Pod of Mimir with hostPort on grpc", (s) => {
    manifest(s, "atk-pod", { apiVersion: "v1", kind: "Pod", metadata: { ...meta("atk-pod"), labels: mimirPods("ingester") }, spec: { containers: [mimirContainer("ingester", { name: "grpc", hostPort: 9095 })] } });
  }, { source: SRC.hostPort, port: PORT.grpc }),
  edge("k8s-host-port", "typed StatefulSet of Mimir on the host network", (s) => {
    new StatefulSetV1(s, "atk-sts", {
      metadata: meta("atk-sts"),
      spec: { serviceName: "atk-sts", selector: { matchLabels: mimirPods("ingester") }, template: { metadata: { labels: mimirPods("ingester") }, spec: { hostNetwork: true, container: [typedMimirContainer("ingester")] } } },
    } as any);
  }, { source: SRC.hostNetwork, port: PORT.any }),
  edge("k8s-host-port", "typed Deployment of Mimir with hostPort on http", (s) => {
    new DeploymentV1(s, "atk-deploy", {
      metadata: meta("atk-deploy"),
      spec: { selector: { matchLabels: mimirPods("querier") }, template: { metadata: { labels: mimirPods("querier") }, spec: { container: [typedMimirContainer("querier", { name: "http-metrics", hostPort: 8080 })] } } },
    } as any);
  }, { source: SRC.hostPort, port: PORT.http }),
  edge("k8s-host-port", "typed DaemonSet of ring members with hostPort on memberlist", (s) => {
    new DaemonSetV1(s, "atk-ds", {
      metadata: meta("atk-ds"),
      spec: { selector: { matchLabels: ringMembers }, template: { metadata: { labels: { ...ringMembers, "app.kubernetes.io/component": "ingester" } }, spec: { container: [typedMimirContainer("ingester", { name: "memberlist", hostPort: 7946 })] } } },
    } as any);
  }, { source: SRC.hostPort, port: PORT.gossip }),
  edge("k8s-host-port", "kubernetes_manifest Deployment of Mimir with hostNetwork", (s) => {
    manifest(s, "atk-deploy", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta("atk-deploy"),
      spec: { selector: { matchLabels: mimirPods("distributor") }, template: { metadata: { labels: mimirPods("distributor") }, spec: { hostNetwork: true, containers: [mimirContainer("distributor")] } } },
    });
  }, { source: SRC.hostNetwork, port: PORT.any }),
  edge("k8s-host-port", "typed Pod maps host port 30000 to the grpc container port", (s) => {
    new PodV1(s, "atk-pod", { metadata: { ...meta("atk-pod"), labels: mimirPods("store-gateway") }, spec: { container: [typedMimirContainer("store-gateway", { name: "grpc", hostPort: 30000 })] } } as any);
  }, { source: SRC.hostPort, port: PORT.grpc }),
];

export const NETWORK_POLICIES: SynthCase[] = [
  edgeNp("k8s-network-policy", "typed NetworkPolicy on Mimir pods with `ingress: [{}]` (allow everything)", (s) => {
    new NetworkPolicyV1(s, "atk-np", { metadata: meta("atk-np"), spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "mimir" } }, policyTypes: ["Ingress"], ingress: [{}] } });
  }, { source: SRC.everyone, port: PORT.any }),
  edgeNp("k8s-network-policy", "typed NetworkPolicy `from: []` on grpc", (s) => {
    new NetworkPolicyV1(s, "atk-np", { metadata: meta("atk-np"), spec: { podSelector: { matchLabels: mimirPods("ingester") }, policyTypes: ["Ingress"], ingress: [{ from: [], ports: [{ port: "9095", protocol: "TCP" }] }] } });
  }, { source: SRC.everyone, port: PORT.grpc }),
  edgeNp("k8s-network-policy", "typed NetworkPolicy `namespaceSelector: {}` (every namespace) on grpc", (s) => {
    new NetworkPolicyV1(s, "atk-np", { metadata: meta("atk-np"), spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "mimir" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: "grpc", protocol: "TCP" }] }] } });
  }, { source: SRC.everyone, port: PORT.grpc }),
  edgeNp("k8s-network-policy", "ip_block 0.0.0.0/0 on Mimir pods", (s) => {
    new NetworkPolicyV1(s, "atk-np", { metadata: meta("atk-np"), spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "mimir" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: "7946", protocol: "TCP" }] }] } });
  }, { source: SRC.internet, port: PORT.gossip }),
  edgeNp("k8s-network-policy", "ip_block halves 0.0.0.0/1 + 128.0.0.0/1 on grpc", (s) => {
    new NetworkPolicyV1(s, "atk-np", { metadata: meta("atk-np"), spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "mimir" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/1" } }, { ipBlock: { cidr: "128.0.0.0/1" } }], ports: [{ port: "9095", protocol: "TCP" }] }] } });
  }, { source: SRC.internetSet, port: PORT.grpc }),
  edgeNp("k8s-network-policy", "kubernetes_manifest NetworkPolicy with `ingress: [{}]` on the ingesters", (s) => {
    manifest(s, "atk-np", { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: meta("atk-np"), spec: { podSelector: { matchLabels: mimirPods("ingester") }, policyTypes: ["Ingress"], ingress: [{}] } });
  }, { source: SRC.everyone, port: PORT.any }),
  edgeNp("k8s-network-policy", "namespace-wide policy (podSelector {}) in Mimir's namespace allows everything, union beats the default deny", (s) => {
    manifest(s, "atk-np", { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: meta("atk-np"), spec: { podSelector: {}, ingress: [{}] } });
  }, { source: SRC.everyone, port: PORT.any }),
  edgeNp("k8s-network-policy", "a second policy admits every pod of every namespace to grpc and http (several policies union)", (s) => {
    manifest(s, "atk-np", {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("atk-np"),
      spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "mimir" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: {}, podSelector: {} }], ports: [{ port: 9095 }, { port: 8080 }] }] },
    });
  }, { source: SRC.everyone, port: PORT.grpc }),
];

export const KUBERNETES_EXPOSURES: SynthCase[] = [...SERVICES, ...ROUTES, ...HOST_PORTS, ...NETWORK_POLICIES];
