/**
 * A synthetic `terraform show -json` plan of N resources for the `check`
 * bench: Mimir's members group and load balancer, then a realistic mix of
 * other teams' security groups and rules, listeners and target groups,
 * Services, Deployments and NetworkPolicies in their own namespaces, with a
 * few Mimir exposures sprinkled in so every reader and the walk do real work.
 */
const res = (address: string, type: string, values: Record<string, unknown>) => ({ address, mode: "managed", type, name: address.split(".").pop(), values });

export function syntheticPlan(n: number): Record<string, unknown> {
  const resources: Array<Record<string, unknown>> = [];
  const arn = (kind: string, i: number | string) => `arn:aws:elasticloadbalancing:eu-west-1:111122223333:${kind}/x/${i}`;
  resources.push(res("aws_security_group.members", "aws_security_group", { id: "sg-members", name: "mimir-members" }));
  resources.push(res("aws_security_group.lb", "aws_security_group", { id: "sg-lb", name: "mimir-lb" }));
  resources.push(res("aws_lb.edge", "aws_lb", { arn: arn("loadbalancer", "edge"), internal: false, load_balancer_type: "application", security_groups: ["sg-lb"], drop_invalid_header_fields: true }));
  resources.push(res("kubernetes_manifest.sgp", "kubernetes_manifest", { manifest: { apiVersion: "vpcresources.k8s.aws/v1beta1", kind: "SecurityGroupPolicy", metadata: { name: "mimir", namespace: "mimir" }, spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "mimir" } }, securityGroups: { groupIds: ["sg-members"] } } } }));
  for (let i = 0; resources.length < n; i++) {
    const ns = `team-${i % 50}`;
    switch (i % 10) {
      case 0:
        resources.push(res(`aws_security_group.app_${i}`, "aws_security_group", { id: `sg-${i}`, name: `app-${i}`, ingress: [{ from_port: 8080, to_port: 8080, protocol: "tcp", cidr_blocks: [`10.${i % 250}.0.0/16`], description: "app" }] }));
        break;
      case 1:
        resources.push(res(`aws_vpc_security_group_ingress_rule.app_${i}`, "aws_vpc_security_group_ingress_rule", { security_group_id: `sg-${i - 1}`, ip_protocol: "tcp", from_port: 9095, to_port: 9095, cidr_ipv4: "0.0.0.0/0", description: "app" }));
        break;
      case 2:
        resources.push(res(`aws_lb_target_group.app_${i}`, "aws_lb_target_group", { arn: arn("targetgroup", i), port: 8080, protocol: "HTTP", target_type: "ip", health_check: [{ path: "/" }] }));
        break;
      case 3:
        resources.push(res(`aws_lb_listener.app_${i}`, "aws_lb_listener", { load_balancer_arn: arn("loadbalancer", "edge"), port: 10000 + i, protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", default_action: [{ type: "forward", target_group_arn: arn("targetgroup", i - 1) }] }));
        break;
      case 4:
        resources.push(res(`kubernetes_manifest.tgb_${i}`, "kubernetes_manifest", { manifest: { apiVersion: "elbv2.k8s.aws/v1beta1", kind: "TargetGroupBinding", metadata: { name: `app-${i}`, namespace: ns }, spec: { targetGroupARN: arn("targetgroup", i - 2), serviceRef: { name: `app-${i}`, port: 8080 } } } }));
        break;
      case 5:
        resources.push(res(`kubernetes_service_v1.app_${i}`, "kubernetes_service_v1", { metadata: [{ name: `app-${i}`, namespace: ns }], spec: [{ type: i % 20 === 5 ? "LoadBalancer" : "ClusterIP", selector: { app: `app-${i}` }, port: [{ port: 8080, target_port: "8080" }] }] }));
        break;
      case 6:
        resources.push(res(`kubernetes_deployment_v1.app_${i}`, "kubernetes_deployment_v1", { metadata: [{ name: `app-${i}`, namespace: ns }], spec: [{ template: [{ metadata: [{ labels: { app: `app-${i}` } }], spec: [{ container: [{ name: "app", image: "nginx", port: [{ container_port: 8080 }] }] }] }] }] }));
        break;
      case 7:
        resources.push(res(`kubernetes_network_policy_v1.app_${i}`, "kubernetes_network_policy_v1", { metadata: [{ name: `app-${i}`, namespace: ns }], spec: [{ pod_selector: [{ match_labels: { app: `app-${i}` } }], policy_types: ["Ingress"], ingress: [{}] }] }));
        break;
      case 8:
        // Every 1,000th resource: an exposure of Mimir's grpc port, so the walk finds something.
        if (i % 1000 === 8) resources.push(res(`aws_security_group_rule.mimir_oops_${i}`, "aws_security_group_rule", { type: "ingress", security_group_id: "sg-members", protocol: "tcp", from_port: 9095, to_port: 9095, cidr_blocks: [`203.0.${i % 250}.0/24`], description: "oops" }));
        else resources.push(res(`aws_s3_bucket.data_${i}`, "aws_s3_bucket", { bucket: `data-${i}` }));
        break;
      default:
        resources.push(res(`kubernetes_manifest.route_${i}`, "kubernetes_manifest", { manifest: { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: `app-${i}`, namespace: ns }, spec: { parentRefs: [{ name: "edge", namespace: "gw" }], rules: [{ matches: [{ path: { type: "PathPrefix", value: `/app-${i}` } }], backendRefs: [{ name: `app-${i - 4}`, port: 8080 }] }] } } }));
    }
  }
  return {
    format_version: "1.2",
    planned_values: { outputs: { mimir_port_contract: { sensitive: false, value: { ports: { http: 8080, grpc: 9095, memberlist: 7946 }, namespace: "mimir", release: "mimir", acknowledgements: [] } } }, root_module: { resources } },
  };
}
