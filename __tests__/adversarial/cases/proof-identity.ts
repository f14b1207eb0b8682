/**
 * Issue 30 item 2: membership by any attachment. Whatever carries Mimir's members group (or a group Mimir's pods
 * admit) is a member: EC2 instances, launch configurations, network interfaces and their attachments, Lambda
 * `vpc_config`, ECS services, Batch, VPC endpoints; an unknown resource type placing the group is MP015.
 */
import type { TerraformStack } from "cdktf";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import { NetworkInterfaceSgAttachment } from "@cdktf/provider-aws/lib/network-interface-sg-attachment";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { LaunchConfiguration } from "@cdktf/provider-aws/lib/launch-configuration";
import { MqBroker } from "@cdktf/provider-aws/lib/mq-broker";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { binding, listener, manifest, MIMIR_NS, mimirContainer, mimirPods, nlb, parts, ringMembers, targetGroup } from "../attack";
import { PORT } from "../expectations";
import type { SynthCase } from "../harness";
import { c, DP_NS, ENVOY_PODS } from "./interior";

const MP019 = /MP019/;
const members = (s: TerraformStack) => parts(s).members.id;
const subnet = "subnet-0123456789abcdef0";
const ami = "ami-0123456789abcdef0";
const instance = (s: TerraformStack, id: string, groups: string[]) => new Instance(s, id, { ami, instanceType: "t3.micro", subnetId: subnet, vpcSecurityGroupIds: groups });
const lambda = (s: TerraformStack, id: string, groups: string[]) =>
  new LambdaFunction(s, id, { functionName: id, role: "arn:aws:iam::111122223333:role/lambda", handler: "index.handler", runtime: "nodejs20.x", filename: "lambda.zip", vpcConfig: { subnetIds: [subnet], securityGroupIds: groups } });
const broker = (s: TerraformStack, id: string, groups: string[]) =>
  new MqBroker(s, id, { brokerName: id, engineType: "RabbitMQ", engineVersion: "3.13", hostInstanceType: "mq.t3.micro", securityGroups: groups, subnetIds: [subnet], user: [{ username: "admin", password: "not-a-real-password" }] });
const ownGroup = (s: TerraformStack, id: string) => new SecurityGroup(s, id, { name: id, vpcId: parts(s).vpcId, description: "its own group" }).id;

/** A workload of `kind` (manifest) whose pod template carries `labels`. */
function workload(s: TerraformStack, id: string, kind: string, namespace: string, labels: Record<string, string>, extra: Record<string, unknown> = {}) {
  const pod = { metadata: { labels }, spec: { containers: [{ name: "shell", image: "busybox:1.36", command: ["sleep", "infinity"] }], ...extra } };
  const apiVersion = kind === "Pod" ? "v1" : kind === "Job" || kind === "CronJob" ? "batch/v1" : "apps/v1";
  const spec =
    kind === "Pod" ? pod.spec
    : kind === "CronJob" ? { schedule: "*/5 * * * *", jobTemplate: { spec: { template: pod } } }
    : kind === "Job" ? { template: pod }
    : { selector: { matchLabels: labels }, template: pod, ...(kind === "StatefulSet" ? { serviceName: id } : {}) };
  return manifest(s, id, { apiVersion, kind, metadata: { name: id, namespace, ...(kind === "Pod" ? { labels } : {}) }, spec });
}
const WEARS_MIMIR = /wearing Mimir's labels/;

export const IDENTITY_EXPOSURES: SynthCase[] = [
  // The entry's front door is the Service the contract declares (entry.loadBalancerTarget), not a name that looks like one.
  c("proof-front-door", "a second TargetGroupBinding puts a Service named like an ingress controller, not in the stack, in Mimir's namespace behind the entry's target group", "gateway", (s) =>
    void binding(s, "atk-tgb-controller-name", parts(s).tg.arn, "ingress-nginx-controller", 8080), { rule: /MP015/, source: /not the entry's data plane the contract declares/, port: PORT.http }),
  c("proof-front-door", "the chart-gateway entry (the load balancer targets Mimir's own Service): an unseen Service named ingress-nginx-controller behind its target group", "chart", (s) =>
    void binding(s, "atk-tgb-chart-controller", parts(s).tg.arn, "ingress-nginx-controller", 8080), { rule: /MP015/, source: /not in this stack/, port: PORT.http }),
  c("proof-front-door", "a TargetGroupBinding to an unseen Service named envoy-gateway in Mimir's namespace (it may select Mimir's pods)", "gateway", (s) =>
    void binding(s, "atk-tgb-envoy-name", parts(s).tg.arn, "envoy-gateway", 8080), { rule: /MP015/, source: /not in this stack/, port: PORT.http }),
  // Mimir is what the release creates.
  c("proof-impersonation", "a debugging Deployment (typed) in Mimir's namespace wears the ingesters' labels", "chart", (s) =>
    void new DeploymentV1(s, "atk-debug", { metadata: { name: "atk-debug", namespace: MIMIR_NS }, spec: { selector: { matchLabels: mimirPods("ingester") }, template: { metadata: { labels: mimirPods("ingester") }, spec: { container: [{ name: "shell", image: "busybox:1.36" }] } } } }), { rule: MP019, source: WEARS_MIMIR, port: PORT.grpc, also: [/members group|NetworkPolicy/] }),
  c("proof-impersonation", "a Pod (manifest) wears the ring members' labels", "chart", (s) => void workload(s, "atk-pod", "Pod", MIMIR_NS, ringMembers), { rule: MP019, source: WEARS_MIMIR, port: PORT.gossip }),
  c("proof-impersonation", "a DaemonSet wears the distributors' labels", "chart", (s) => void workload(s, "atk-ds", "DaemonSet", MIMIR_NS, mimirPods("distributor")), { rule: MP019, source: WEARS_MIMIR, port: PORT.grpc }),
  c("proof-impersonation", "a StatefulSet wears the store-gateways' labels", "chart", (s) => void workload(s, "atk-sts", "StatefulSet", MIMIR_NS, mimirPods("store-gateway")), { rule: MP019, source: WEARS_MIMIR, port: PORT.grpc }),
  c("proof-impersonation", "a ReplicaSet wears the queriers' labels", "chart", (s) => void workload(s, "atk-rs", "ReplicaSet", MIMIR_NS, mimirPods("querier")), { rule: MP019, source: WEARS_MIMIR, port: PORT.grpc }),
  c("proof-impersonation", "a Job wears the compactor's labels", "chart", (s) => void workload(s, "atk-job", "Job", MIMIR_NS, mimirPods("compactor")), { rule: MP019, source: WEARS_MIMIR, port: PORT.gossip }),
  c("proof-impersonation", "a CronJob's pods wear the ingesters' labels", "chart", (s) => void workload(s, "atk-cron", "CronJob", MIMIR_NS, mimirPods("ingester")), { rule: MP019, source: WEARS_MIMIR, port: PORT.grpc }),
  c("proof-impersonation", "a Deployment running grafana/mimir with Mimir's labels is still not the release's", "chart", (s) =>
    void workload(s, "atk-mimir-image", "Deployment", MIMIR_NS, mimirPods("ingester"), { containers: [mimirContainer("ingester")] }), { rule: MP019, source: WEARS_MIMIR, port: PORT.grpc }),
  c("proof-impersonation", "a Deployment in the data plane's namespace wears the entry Gateway's proxy labels (the data-plane group and Mimir's NetworkPolicy admit them)", "gateway", (s) =>
    void workload(s, "atk-fake-envoy", "Deployment", DP_NS, { ...ENVOY_PODS, "gateway.envoyproxy.io/owning-gateway-name": "mimir", "gateway.envoyproxy.io/owning-gateway-namespace": MIMIR_NS }), { rule: MP019, source: /wearing the proxies' labels/, port: PORT.http }),

  c("proof-membership", "an EC2 instance carries the members group", "chart", (s) => void instance(s, "atk-debug-vm", [members(s)]), { rule: MP019, source: /EC2 instance/, port: PORT.grpc }),
  c("proof-membership", "a network interface carries the members group", "chart", (s) => void new NetworkInterface(s, "atk-eni", { subnetId: subnet, securityGroups: [members(s)] }), { rule: MP019, source: /network interface/, port: PORT.gossip }),
  c("proof-membership", "aws_network_interface_sg_attachment gives an existing interface the members group", "chart", (s) => void new NetworkInterfaceSgAttachment(s, "atk-sg-attach", { networkInterfaceId: "eni-0123456789abcdef0", securityGroupId: members(s) }), { rule: MP019, source: /eni-0123456789abcdef0/, port: PORT.grpc }),
  c("proof-membership", "a Lambda function in the VPC carries the members group", "chart", (s) => void lambda(s, "atk-fn", [members(s)]), { rule: MP019, source: /Lambda/, port: PORT.grpc }),
  c("proof-membership", "an ECS service's tasks carry the members group", "chart", (s) => void new EcsService(s, "atk-ecs", { name: "debug", cluster: "tools", taskDefinition: "debug:1", networkConfiguration: { subnets: [subnet], securityGroups: [members(s)] } }), { rule: MP019, source: /ECS tasks/, port: PORT.gossip }),
  c("proof-membership", "a launch configuration puts the members group on its instances", "chart", (s) => void new LaunchConfiguration(s, "atk-lc", { imageId: ami, instanceType: "t3.micro", securityGroups: [members(s)] }), { rule: MP019, source: /launched from/, port: PORT.grpc }),
  c("proof-membership", "a VPC endpoint's interfaces carry the members group", "chart", (s) => void new VpcEndpoint(s, "atk-vpce", { vpcId: parts(s).vpcId, serviceName: "com.amazonaws.eu-west-1.sqs", vpcEndpointType: "Interface", securityGroupIds: [members(s)] }), { rule: MP019, source: /VPC endpoint/, port: PORT.grpc }),
  c("proof-membership", "a resource type the model does not know (Amazon MQ broker) places the members group: MP015", "chart", (s) => void broker(s, "atk-mq", [members(s)]), { rule: /MP015/, source: /aws_mq_broker|does not know/, port: /grpc|memberlist|members/ }),
  c("proof-membership", "an EC2 instance carries the load balancer's group, which Mimir's http admits", "chart", (s) => void instance(s, "atk-lb-lookalike", [parts(s).lbSg.id]), { rule: MP019, source: /EC2 instance .*carries sg/, port: PORT.http }),
  c("proof-membership", "a Lambda function carries the load balancer's group, which Mimir's http admits", "chart", (s) => void lambda(s, "atk-fn-lb", [parts(s).lbSg.id]), { rule: MP019, source: /Lambda function .*carries sg/, port: PORT.http }),
];

export const IDENTITY_NEIGHBOURS: SynthCase[] = [
  c("neighbour", "another team's Deployment with its own labels in its own namespace", "chart", (s) => void workload(s, "shop-web", "Deployment", "shop", { app: "shop-web" })),
  c("neighbour", "a debugging Deployment in Mimir's namespace with labels of its own", "chart", (s) => void workload(s, "mimir-toolbox", "Deployment", MIMIR_NS, { app: "mimir-toolbox" })),
  c("neighbour", "a Deployment in another namespace that copies Mimir's labels (selectors are namespaced)", "chart", (s) => void workload(s, "shop-copy", "Deployment", "shop", mimirPods("ingester"))),
  c("neighbour", "a hostNetwork DaemonSet in kube-system with its own labels", "chart", (s) => void workload(s, "node-agent", "DaemonSet", "kube-system", { "app.kubernetes.io/name": "node-agent" }, { hostNetwork: true })),

  c("neighbour", "an EC2 bastion with its own group", "chart", (s) => void instance(s, "bastion", [ownGroup(s, "bastion-sg")])),
  c("neighbour", "a Lambda function in the VPC with its own group", "chart", (s) => void lambda(s, "thumbnailer", [ownGroup(s, "thumbnailer-sg")])),
  c("neighbour", "an Amazon MQ broker with its own group", "chart", (s) => void broker(s, "orders", [ownGroup(s, "orders-mq")])),
];

// ---- item 3: the load balancer is its objects, not its subnet ---------------------------------------------------

/** The stack's EnvoyProxy manifest (the Gateway's infrastructure.parametersRef). */
function envoyProxy(s: TerraformStack): { manifestInput: Record<string, any>; manifest: unknown } {
  const dp = parts(s).stack.kubernetes.dataPlane as unknown as { envoyProxy?: { manifestInput: Record<string, any>; manifest: unknown } } | undefined;
  if (!dp?.envoyProxy) throw new Error("the base has no EnvoyProxy");
  return dp.envoyProxy;
}
const withEnvoyService = (s: TerraformStack, envoyService: Record<string, unknown>) => {
  const p = envoyProxy(s);
  const v = p.manifestInput;
  p.manifest = { ...v, spec: { ...v.spec, provider: { ...v.spec.provider, kubernetes: { ...v.spec.provider.kubernetes, envoyService } } } };
};
const proxyService = (s: TerraformStack, id: string, namespace: string, selector: Record<string, string>, spec: Record<string, unknown>) =>
  manifest(s, id, { apiVersion: "v1", kind: "Service", metadata: { name: id, namespace }, spec: { selector, ports: [{ name: "http", port: 80, targetPort: 10080 }], ...spec } });
const ENVOY_PROXY = /EnvoyProxy|envoy-proxy/;

export const LOAD_BALANCER_EXPOSURES: SynthCase[] = [
  c("proof-data-plane-objects", "a LoadBalancer Service selecting the data plane's proxies", "gateway", (s) => void proxyService(s, "atk-proxy-lb", DP_NS, ENVOY_PODS, { type: "LoadBalancer" }), { source: /LoadBalancer|0\.0\.0\.0\/0/, port: PORT.http }),
  c("proof-data-plane-objects", "a NodePort Service selecting the data plane's proxies", "gateway", (s) => void proxyService(s, "atk-proxy-np", DP_NS, { "app.kubernetes.io/name": "envoy" }, { type: "NodePort" }), { source: /NodePort|node/i, port: PORT.http }),
  c("proof-data-plane-objects", "a ClusterIP Service with externalIPs selecting the data plane's proxies", "gateway", (s) => void proxyService(s, "atk-proxy-ext", DP_NS, ENVOY_PODS, { externalIPs: ["10.0.9.9"] }), { source: /externalIP|outside/i, port: PORT.http }),
  c("proof-data-plane-objects", "the EnvoyProxy that provisions the Gateway is switched to a LoadBalancer Service (escape hatch)", "gateway", (s) => withEnvoyService(s, { type: "LoadBalancer", name: "envoy-mimir" }), { rule: /MP018/, source: /0\.0\.0\.0\/0/, port: PORT.http, at: ENVOY_PROXY, also: [/LoadBalancer/] }),
  c("proof-data-plane-objects", "the EnvoyProxy loses its Service type (Envoy Gateway's default is LoadBalancer)", "gateway", (s) => withEnvoyService(s, { name: "envoy-mimir" }), { rule: /MP018/, source: /0\.0\.0\.0\/0/, port: PORT.http, at: ENVOY_PROXY, also: [/default is LoadBalancer/] }),
  c("proof-data-plane-objects", "an envoyService patch turns the data-plane Service into a NodePort", "gateway", (s) => withEnvoyService(s, { type: "ClusterIP", name: "envoy-mimir", patch: { type: "StrategicMerge", value: { spec: { type: "NodePort" } } } }), { rule: /MP018/, source: /outside|node/i, port: PORT.http, at: ENVOY_PROXY, also: [/patch/] }),
  c("proof-data-plane-objects", "an alb-class Ingress to the data plane's Service", "gateway", (s) =>
    void manifest(s, "atk-alb-ingress", { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "atk-alb-ingress", namespace: DP_NS, annotations: { "alb.ingress.kubernetes.io/scheme": "internet-facing" } }, spec: { ingressClassName: "alb", rules: [{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "envoy-mimir", port: { number: 80 } } } }] } }] } }), { rule: /MP018/, source: /Ingress .*atk-alb-ingress/, port: PORT.http }),
  c("proof-data-plane-objects", "a second TargetGroupBinding registers the data plane behind another load balancer", "gateway", (s) => {
    const lb = nlb(s, "atk-nlb", { listen: 443 });
    const tg = targetGroup(s, "atk-dp-tg", 80, "TCP");
    listener(s, "atk-nlb-listener", { loadBalancerArn: lb.arn, port: 443, protocol: "TCP", forward: tg.arn });
    binding(s, "atk-dp-tgb", tg.arn, "envoy-mimir", 80, DP_NS);
  }, { source: /0\.0\.0\.0\/0|internet/, port: PORT.http }),
  c("proof-data-plane-objects", "the Gateway names an EnvoyProxy that is not in the stack (MP015)", "gateway", (s) => {
    const gateway = parts(s).stack.node.findAll().find((x) => (x as { manifestInput?: { kind?: string } }).manifestInput?.kind === "Gateway") as unknown as { manifestInput: Record<string, any>; manifest: unknown };
    const v = gateway.manifestInput;
    gateway.manifest = { ...v, spec: { ...v.spec, infrastructure: { parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: "atk-elsewhere" } } } };
  }, { rule: /MP015/, source: /not in this stack/, port: /LoadBalancer|data-plane|Gateway/, at: /Gateway|gateway/ }),
];

export const LOAD_BALANCER_NEIGHBOURS: SynthCase[] = [
  c("neighbour", "a ClusterIP Service selecting the proxies (metrics scraping)", "gateway", (s) => void proxyService(s, "envoy-metrics", DP_NS, ENVOY_PODS, {})),
  c("neighbour", "another team's LoadBalancer Service in a namespace named like a proxy's, selecting its own pods", "gateway", (s) => void proxyService(s, "shop-envoy", "shop-envoy-gateway", { app: "shop-envoy" }, { type: "LoadBalancer" })),
];
