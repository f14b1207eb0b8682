import type { EnvironmentInput } from "../modules/config/environment";

/** N environments with every feature on: microservices, ingress, monitoring, DNS, WAF, restricted egress, NLB every third. */
export function generatedEnvironments(n: number): EnvironmentInput[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `env-${String(i).padStart(3, "0")}`,
    region: "eu-west-1",
    state: { bucket: "bench-terraform-state" },
    productionLike: i % 2 === 0,
    deploymentMode: "microservices",
    loadBalancer: {
      type: i % 3 === 2 ? "network" : "application",
      scheme: "internet-facing",
      allowedCidrs: [`10.${i % 250}.0.0/16`, "203.0.113.0/24"],
      accessLogsBucket: "bench-lb-logs",
      ...(i % 3 === 2 ? { redirectHttp: false } : {}),
      target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "ingress-nginx-controller" },
    },
    ingress: { className: "nginx", hosts: [`mimir-${i}.example.com`], tlsSecretName: "mimir-tls" },
    monitoring: { namespace: "monitoring", securityGroupIds: ["sg-0a1b2c3d4e5f60718"] },
    networkPolicy: { restrictEgress: true },
    dns: { hostedZoneId: "Z0123456789EXAMPLE" },
    ...(i % 3 === 2 ? {} : { wafAclArn: "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/mimir/0f1e2d3c" }),
    helm: { values: { ingester: { replicas: 3 } } },
  })) as EnvironmentInput[];
}
