import type { EnvironmentInput } from "../modules/config/environment";

/**
 * N environments with every feature on: microservices, the Gateway API entry, S3 storage (IRSA and Pod Identity
 * alternating), authentication (mTLS on an ALB, basic at the Gateway behind an NLB), monitoring, DNS, WAF,
 * restricted egress, NLB every third, production-like every second.
 */
export function generatedEnvironments(n: number): EnvironmentInput[] {
  return Array.from({ length: n }, (_, i) => {
    const nlb = i % 3 === 2;
    return {
      name: `env-${String(i).padStart(3, "0")}`,
      region: "eu-west-1",
      state: { bucket: "bench-terraform-state" },
      productionLike: i % 2 === 0,
      accountId: "111122223333",
      kubeContext: `bench-${i % 4}`,
      deploymentMode: "microservices",
      loadBalancer: {
        type: nlb ? "network" : "application",
        scheme: "internet-facing",
        allowedCidrs: [`10.${i % 250}.0.0/16`, "203.0.113.0/24"],
        subnetCidrs: [`10.${i % 250}.0.0/24`, `10.${i % 250}.1.0/24`],
        accessLogsBucket: "bench-lb-logs",
        deletionProtection: true,
        ...(nlb ? { redirectHttp: false } : { connectionLogsBucket: "bench-lb-logs" }),
      },
      entry: {
        kind: "gateway-api",
        gateway: { className: "eg", tlsSecretName: "mimir-tls" },
        dataPlane: { namespace: "envoy-gateway-system", serviceName: `envoy-mimir-${i}`, healthCheckPath: "/healthz", podLabels: { "app.kubernetes.io/name": "envoy" } },
        hosts: [`mimir-${i}.example.com`],
      },
      monitoring: { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" }, securityGroupIds: ["sg-0a1b2c3d4e5f60718"] },
      networkPolicy: { restrictEgress: true },
      dns: { hostedZoneId: "Z0123456789EXAMPLE" },
      ...(nlb ? {} : { wafAclArn: "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/mimir/0f1e2d3c" }),
      storage: {
        buckets: { blocks: `bench-mimir-${i}-blocks`, ruler: `bench-mimir-${i}-ruler`, alertmanager: `bench-mimir-${i}-alertmanager` },
        ...(i % 2 === 0
          ? { podIdentity: { clusterName: "bench" } }
          : { irsa: { oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" } }),
      },
      auth: nlb
        ? { mode: "basic", usersSecretName: "mimir-basic-auth" }
        : { mode: "mtls", caBundle: { bucket: "bench-pki", key: `env-${i}/agents-ca.pem`, objectVersion: `v${i}` }, tenant: `tenant-${i}` },
      helm: { values: { ingester: { replicas: 3 } } },
    };
  }) as EnvironmentInput[];
}
