/**
 * Legitimate neighbours: resources next to Mimir that use the same numbers or
 * the same shapes but do not reach Mimir's pods, or reach them the intended
 * way. Each must synthesize and `check` must exit 0.
 */
import type { TerraformStack } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Release } from "@cdktf/provider-helm/lib/release";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Peer } from "../../../modules/aws/peer";
import { MimirSecurityGroups } from "../../../modules/aws/security-groups";
import { PortContract } from "../../../modules/contract/port-contract";
import { binding, CERT, listener, manifest, mimirPods, nlb, openLbSg, parts, targetGroup, TLS_POLICY } from "../attack";
import type { SynthCase } from "../harness";

import { extraValues } from "./helm";

const n = (name: string, build: (s: TerraformStack) => void, base: SynthCase["base"] = "edge-np", env?: Record<string, unknown>): SynthCase => ({ class: "neighbour", name, base, build, ...(env ? { env } : {}) });

const shop = { app: "shop" };
const payments = { app: "payments" };

/** Another application's load balancer, target group and instance: nothing of Mimir's. */
function otherAppEdge(s: TerraformStack, protocol: "HTTP" | "HTTPS") {
  const sg = new SecurityGroup(s, "shop-lb-sg", { name: "shop-lb", vpcId: parts(s).vpcId, ingress: [{ fromPort: protocol === "HTTP" ? 8080 : 443, toPort: protocol === "HTTP" ? 8080 : 443, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], description: "shop clients" }] });
  const lb = new Lb(s, "shop-lb", { name: "shop", loadBalancerType: "application", subnets: parts(s).subnets, securityGroups: [sg.id], dropInvalidHeaderFields: true });
  const tg = targetGroup(s, "shop-tg", 8080, "HTTP", "instance");
  const web = new SecurityGroup(s, "shop-web-sg", { name: "shop-web", vpcId: parts(s).vpcId, ingress: [{ fromPort: 8080, toPort: 8080, protocol: "tcp", securityGroups: [sg.id], description: "from shop lb" }] });
  const node = new Instance(s, "shop-node", { ami: "ami-0123456789abcdef0", instanceType: "t4g.small", vpcSecurityGroupIds: [web.id] });
  new LbTargetGroupAttachment(s, "shop-attach", { targetGroupArn: tg.arn, targetId: node.id, port: 8080 });
  if (protocol === "HTTP") listener(s, "shop-listener", { loadBalancerArn: lb.arn, port: 8080, protocol: "HTTP", forward: tg.arn });
  else listener(s, "shop-listener", { loadBalancerArn: lb.arn, port: 443, protocol: "HTTPS", sslPolicy: TLS_POLICY, certificateArn: CERT, forward: tg.arn });
}

export const NEIGHBOURS: SynthCase[] = [
  n("another app's LoadBalancer Service on 8080 (namespace shop)", (s) => {
    new ServiceV1(s, "shop-svc", { metadata: { name: "shop", namespace: "shop" }, spec: { type: "LoadBalancer", selector: shop, port: [{ name: "http", port: 8080, targetPort: "8080" }] } });
  }),
  n("another app's security group with 8080 open to the world (not on Mimir)", (s) => {
    const sg = new SecurityGroup(s, "shop-sg", { name: "shop", vpcId: parts(s).vpcId, ingress: [{ fromPort: 8080, toPort: 8080, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], description: "shop web" }] });
    new Instance(s, "shop-node", { ami: "ami-0123456789abcdef0", instanceType: "t4g.small", vpcSecurityGroupIds: [sg.id] });
  }),
  n("another namespace's LoadBalancer Service on 9095 (kubernetes_manifest)", (s) => {
    manifest(s, "payments-svc", { apiVersion: "v1", kind: "Service", metadata: { name: "payments-grpc", namespace: "payments" }, spec: { type: "LoadBalancer", selector: payments, ports: [{ name: "grpc", port: 9095, targetPort: 9095 }] } });
  }),
  n("the ingress controller's own NetworkPolicy admits 0.0.0.0/0 on 80/443", (s) => {
    new NetworkPolicyV1(s, "ingress-nginx-np", {
      metadata: { name: "ingress-nginx-public", namespace: "ingress-nginx" },
      spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: "80", protocol: "TCP" }, { port: "443", protocol: "TCP" }] }] },
    });
  }),
  n("monitoring groups named in the environment reach http", () => undefined, "edge-np", { monitoring: { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" }, securityGroupIds: ["sg-0a1b2c3d4e5f60718", "sg-0fedcba987654321f"] } }),
  n("a raw rule lets a Prometheus security group scrape http", (s) => {
    new VpcSecurityGroupIngressRule(s, "prometheus-scrape", { securityGroupId: parts(s).members.id, ipProtocol: "tcp", fromPort: 8080, toPort: 8080, referencedSecurityGroupId: "sg-0prometheus000001", description: "prometheus scrape of mimir http" });
  }),
  // Issue 20: a listener whose default action forwards every path to the chart gateway is MP016 (the gateway proxies
  // operator endpoints); the second listener answers 404 by default and forwards only a public path. It verifies
  // client certificates against the stack's trust store, like the base's 443 (an unauthenticated one is MP018).
  n("a second TLS listener (8443) to the entry, public path only, with the stack's mutual TLS", (s) => {
    openLbSg(s, "tls-alt-open", 8443);
    const alt = new LbListener(s, "tls-alt", { loadBalancerArn: parts(s).lb.arn, port: 8443, protocol: "HTTPS", sslPolicy: TLS_POLICY, certificateArn: CERT, mutualAuthentication: parts(s).stack.edge.listenerAuth.mutualAuthentication, defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }] });
    new LbListenerRule(s, "tls-alt-push", { listenerArn: alt.arn, priority: 10, condition: [{ pathPattern: { values: ["/api/v1/push"] } }], action: [{ type: "forward", targetGroupArn: parts(s).tg.arn }] });
  }),
  n("another app's ALB with a plain HTTP listener on 8080", (s) => otherAppEdge(s, "HTTP")),
  n("another app's ALB with a TLS listener to its instances on 8080", (s) => otherAppEdge(s, "HTTPS")),
  n("another app's target group on 9095 bound to its own Service", (s) => {
    const tg = targetGroup(s, "payments-tg", 9095, "TCP");
    binding(s, "payments-tgb", tg.arn, "payments-grpc", 9095, "payments");
    listener(s, "payments-tls", { loadBalancerArn: nlb(s, "payments-nlb", { listen: 443, internal: true }).arn, port: 443, protocol: "TLS", sslPolicy: TLS_POLICY, certificateArn: CERT, forward: tg.arn });
  }),
  n("an extra ClusterIP Service for the ingesters' grpc", (s) => {
    new ServiceV1(s, "ingester-grpc", { metadata: { name: "mimir-ingester-grpc", namespace: "mimir" }, spec: { selector: mimirPods("ingester"), port: [{ name: "grpc", port: 9095, targetPort: "grpc" }] } });
  }),
  // Issue 20: by named pods (the whole monitoring namespace on http is MP019, an interior exposure).
  n("a NetworkPolicy lets the monitoring namespace's Prometheus pods reach http", (s) => {
    new NetworkPolicyV1(s, "scrape-np", {
      metadata: { name: "mimir-scrape", namespace: "mimir" },
      spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "mimir" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } }], ports: [{ port: "http-metrics", protocol: "TCP" }] }] },
    });
  }),
  n("a policy on Mimir pods whose ingress rules are ignored (policyTypes: [Egress])", (s) => {
    manifest(s, "egress-only-np", { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "mimir-egress", namespace: "mimir" }, spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "mimir" } }, policyTypes: ["Egress"], ingress: [{}], egress: [{ to: [{ namespaceSelector: {} }] }] } });
  }),
  n("another app's NetworkPolicy with `ingress: [{}]` (namespace shop)", (s) => {
    new NetworkPolicyV1(s, "shop-np", { metadata: { name: "shop-open", namespace: "shop" }, spec: { podSelector: { matchLabels: shop }, policyTypes: ["Ingress"], ingress: [{}] } });
  }),
  n("another namespace's policy admits 0.0.0.0/0 on 8080", (s) => {
    manifest(s, "shop-np", { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "shop-web", namespace: "shop" }, spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 8080 }] }] } });
  }),
  n("members talk to members on every protocol (self only)", (s) => {
    new SecurityGroupRule(s, "members-self", { type: "ingress", securityGroupId: parts(s).members.id, protocol: "-1", fromPort: 0, toPort: 0, selfAttribute: true, description: "mimir members" });
  }),
  n("members reach the memcached exporter on members (referenced group is itself)", (s) => {
    new VpcSecurityGroupIngressRule(s, "members-exporter", { securityGroupId: parts(s).members.id, ipProtocol: "tcp", fromPort: 9150, toPort: 9150, referencedSecurityGroupId: parts(s).members.id, description: "memcached exporter from members" });
  }),
  n("another app's Deployment with hostPort 8080 (namespace shop)", (s) => {
    new DeploymentV1(s, "shop-deploy", {
      metadata: { name: "shop", namespace: "shop" },
      spec: { selector: { matchLabels: shop }, template: { metadata: { labels: shop }, spec: { container: [{ name: "web", image: "nginx:1.27", port: [{ name: "http", containerPort: 8080, hostPort: 8080 }] }] } } },
    } as any);
  }),
  n("node-exporter DaemonSet on the host network (namespace monitoring)", (s) => {
    manifest(s, "node-exporter", {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "node-exporter", namespace: "monitoring" },
      spec: { selector: { matchLabels: { app: "node-exporter" } }, template: { metadata: { labels: { app: "node-exporter" } }, spec: { hostNetwork: true, containers: [{ name: "node-exporter", image: "quay.io/prometheus/node-exporter:v1.9.1", ports: [{ name: "metrics", containerPort: 9100, hostPort: 9100 }] }] } } },
    });
  }),
  // Exact: a PathPrefix /api/v1/push also matches /api/v1/push/influx/write, which the contract does not publish (MP016).
  n("HTTPRoute to the gateway's http through a TLS Gateway listener", (s) => {
    manifest(s, "public-gw", { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "public", namespace: "mimir" }, spec: { gatewayClassName: "public", listeners: [{ name: "https", protocol: "HTTPS", port: 443, tls: { certificateRefs: [{ name: "mimir-tls" }] } }] } });
    manifest(s, "entry-route", { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "mimir-entry", namespace: "mimir" }, spec: { parentRefs: [{ name: "public", sectionName: "https" }], rules: [{ matches: [{ path: { type: "Exact", value: "/api/v1/push" } }], backendRefs: [{ name: "mimir-gateway", port: 8080 }] }] } });
  }),
  n("another app's TLS Ingress to its 8080 Service", (s) => {
    new IngressV1(s, "shop-ing", {
      metadata: { name: "shop", namespace: "shop" },
      spec: { ingressClassName: "nginx", tls: [{ hosts: ["shop.example.com"], secretName: "shop-tls" }], rule: [{ host: "shop.example.com", http: { path: [{ path: "/", pathType: "Prefix", backend: { service: { name: "shop", port: { number: 8080 } } } }] } }] },
    });
  }),
  n("another app's Helm release with a LoadBalancer Service", (s) => {
    new Release(s, "shop-release", { name: "shop", namespace: "shop", chart: "nginx", repository: "oci://registry-1.docker.io/bitnamicharts", version: "18.2.0", values: ["service:\n  type: LoadBalancer\n  ports:\n    http: 8080\n"] });
  }),
  n("Mimir's release: a harmless `set` (ingester.replicas)", (s) => parts(s).helm!.addOverride("set", [{ name: "ingester.replicas", value: "3" }])),
  n("Mimir's values: harmless YAML anchors and merge keys", (s) => extraValues(s, "x-res: &res\n  requests:\n    cpu: 1\ningester:\n  resources:\n    <<: *res\n    limits:\n      memory: 8Gi\nquerier:\n  resources: *res\n")),
  n("members allow 443 from a private CIDR (no Mimir port)", (s) => {
    new VpcSecurityGroupIngressRule(s, "members-https", { securityGroupId: parts(s).members.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/8", description: "webhook callbacks" });
  }),
  n("members egress HTTPS to anywhere (object storage, STS)", (s) => {
    new VpcSecurityGroupEgressRule(s, "members-egress-https", { securityGroupId: parts(s).members.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "https to aws apis" });
  }),
  n("another app's LoadBalancer Service on 7946 (consul gossip, namespace consul)", (s) => {
    manifest(s, "consul-svc", { apiVersion: "v1", kind: "Service", metadata: { name: "consul-wan", namespace: "consul" }, spec: { type: "LoadBalancer", selector: { app: "consul" }, ports: [{ name: "serf-wan", port: 7946, targetPort: 7946 }] } });
  }),
  n("another app's TCPRoute to its own 9095", (s) => {
    manifest(s, "payments-route", { apiVersion: "gateway.networking.k8s.io/v1alpha2", kind: "TCPRoute", metadata: { name: "payments", namespace: "payments" }, spec: { parentRefs: [{ name: "payments-gw" }], rules: [{ backendRefs: [{ name: "payments-grpc", port: 9095 }] }] } });
  }),
  n("clients from a prefix list on Mimir's load balancer (443)", (s) => {
    new VpcSecurityGroupIngressRule(s, "clients-pl", { securityGroupId: parts(s).lbSg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-0clients00000001", description: "office clients" });
  }),
  n("another app's bastion group open on every protocol (not on Mimir)", (s) => {
    const sg = new SecurityGroup(s, "bastion-sg", { name: "bastion", vpcId: parts(s).vpcId, ingress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"], description: "bastion" }] });
    new Instance(s, "bastion", { ami: "ami-0123456789abcdef0", instanceType: "t4g.nano", vpcSecurityGroupIds: [sg.id] });
  }),
  n("another app's NodePort Service whose port is named grpc (its own pods)", (s) => {
    new ServiceV1(s, "payments-np", { metadata: { name: "payments-grpc-np", namespace: "payments" }, spec: { type: "NodePort", selector: payments, port: [{ name: "grpc", port: 9095, targetPort: "grpc" }] } });
  }),
  n("another app's Pod with hostPort 9095 (namespace payments)", (s) => {
    manifest(s, "payments-pod", { apiVersion: "v1", kind: "Pod", metadata: { name: "payments-debug", namespace: "payments", labels: payments }, spec: { containers: [{ name: "api", image: "payments:1", ports: [{ name: "grpc", containerPort: 9095, hostPort: 9095 }] }] } });
  }),
  n("another app's Ingress to its grpc-api Service on 9095", (s) => {
    manifest(s, "payments-ing", {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "payments", namespace: "payments" },
      spec: { ingressClassName: "nginx", tls: [{ hosts: ["pay.example.com"], secretName: "pay-tls" }], rules: [{ host: "pay.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "grpc-api", port: { number: 9095 } } } }] } }] },
    });
  }),
  n("the ingress controller's own LoadBalancer Service on 80/443 (internal load balancer base)", (s) => {
    new ServiceV1(s, "controller-svc", { metadata: { name: "ingress-nginx-controller", namespace: "ingress-nginx" }, spec: { type: "LoadBalancer", selector: { "app.kubernetes.io/name": "ingress-nginx" }, port: [{ name: "http", port: 80, targetPort: "http" }, { name: "https", port: 443, targetPort: "https" }] } });
  }, "internal"),
  n("plain TerraformStack with MimirSecurityGroups only", (s) => {
    new AwsProvider(s, "aws", { region: "eu-west-1" });
    new MimirSecurityGroups(s, "mimir-sg", { contract: PortContract.create(), namePrefix: "mimir-plain", vpcId: "vpc-0123456789abcdef0", clients: [Peer.cidr("10.0.0.0/16")], httpRedirect: true, target: { kind: "members" }, objectStorage: [Peer.prefixList("pl-6ea54007", "s3")] });
  }, "plain"),
];
