/**
 * The reference app: one MimirStack per environment, all from one stack class.
 * Run with `npm run synth` (validates first, keeps cdktf.out intact on error)
 * or `cdktf synth` (cdktf.json runs this file with tsx).
 *
 * No port number appears here: every port comes from the contract
 * (modules/contract). To change one for an environment, add e.g.
 * `ports: { grpc: <port> }` to it (see README, "Change a port").
 */

import "./modules/platform/fast-start"; // first: see the file (README, "Performance")
import { App } from "./modules/platform/cdktf";
import { defineEnvironments, type EnvironmentInput } from "./modules/config/environment";
import { MimirStack } from "./modules/stack/mimir-stack";
import { runAppSynth } from "./modules/cli/synth-app";

const state = { bucket: "acme-terraform-state", keyPrefix: "mimir" };

/**
 * An Envoy Gateway data plane. For a Gateway the stack creates, the stack writes the EnvoyProxy that fixes this
 * Service name (ClusterIP), the ClientTrafficPolicy that answers the health check path, a NetworkPolicy and a
 * SecurityPolicy admitting only `loadBalancer.subnetCidrs` (README, "Entry path").
 */
function envoyDataPlane(serviceName: string) {
  return {
    namespace: "envoy-gateway-system",
    serviceName,
    healthCheckPath: "/healthz",
    podLabels: { "app.kubernetes.io/name": "envoy", "app.kubernetes.io/component": "proxy" },
  };
}

/**
 * Operators: people, through the company's identity provider (ALB authenticate-oidc, on their own listener,
 * contract port `public.secondClassHttps`). They read and administer rules and Alertmanager; the agents' certificate
 * never can (docs/entry-and-auth.md, "Client classes").
 */
function operators(env: string, tenant: string) {
  return {
    name: "operators",
    auth: {
      mode: "oidc" as const,
      issuer: "https://idp.example.com",
      authorizationEndpoint: "https://idp.example.com/oauth2/authorize",
      tokenEndpoint: "https://idp.example.com/oauth2/token",
      userInfoEndpoint: "https://idp.example.com/oauth2/userinfo",
      clientId: `mimir-${env}`,
      clientSecretArn: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:mimir/${env}/oidc-AbCdEf`,
      tenant,
    },
    groups: ["read" as const, "rules" as const, "alertmanager" as const],
  };
}

/** The scraper: Prometheus pods in the monitoring namespace, never the whole namespace (operator endpoints share the http port). */
const monitoring = { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" } };

export const environments: EnvironmentInput[] = [
  {
    name: "dev",
    stage: "dev",
    region: "eu-west-1",
    accountId: "111122223333",
    // Every environment names its cluster (dev too): never whichever kubeconfig context is current.
    kubeContext: "arn:aws:eks:eu-west-1:111122223333:cluster/acme-dev",
    state,
    deploymentMode: "monolithic",
    // subnetCidrs: the load balancer's subnets (those of TF_VAR_subnet_ids), the only sources the data plane admits.
    loadBalancer: { scheme: "internal", allowedCidrs: ["10.10.0.0/16"], subnetCidrs: ["10.10.0.0/24", "10.10.1.0/24"] },
    // Gateway API entry (README, "Entry path"): a Gateway created for Envoy Gateway's class, an HTTP
    // listener behind the load balancer's TLS; the HTTPRoute sends the public API to the one Mimir Service.
    entry: { kind: "gateway-api", gateway: { className: "eg" }, dataPlane: envoyDataPlane("envoy-mimir-dev") },
    monitoring,
    // Unauthenticated on purpose (the reason acknowledges policy MP018). To turn authentication on, replace with e.g.
    // auth: { mode: "mtls", caBundle: { bucket: "acme-mimir-pki", key: "dev/agents-ca.pem" }, tenant: "dev" } (README, "Authentication").
    auth: {
      mode: "none",
      reason:
        "dev accepts unauthenticated remote write and queries of the public API from 10.10.0.0/16 through the internal load balancer (the data plane admits only its subnets); synthetic data only",
    },
  },
  {
    name: "staging",
    stage: "staging",
    region: "eu-west-1",
    accountId: "111122223333",
    kubeContext: "arn:aws:eks:eu-west-1:111122223333:cluster/acme-staging",
    state,
    deploymentMode: "microservices",
    loadBalancer: {
      scheme: "internal",
      allowedCidrs: ["10.20.0.0/16"],
      accessLogsBucket: "acme-staging-lb-logs",
      deletionProtection: true,
      subnetCidrs: ["10.20.0.0/24", "10.20.1.0/24"],
    },
    // Attached to the platform team's shared Gateway; its data plane terminates TLS. Its other listeners do not pass this
    // load balancer's mutual TLS, so a SecurityPolicy on Mimir's HTTPRoute admits only the load balancer's subnets.
    entry: {
      kind: "gateway-api",
      gateway: { parentRef: { name: "platform", namespace: "gateway-system", sectionName: "https" } },
      // The shared Gateway's proxies carry their own group (the platform team's SecurityGroupPolicy on its owning
      // labels): the load balancer reaches it, and Mimir's http admits it, never the EKS cluster group.
      dataPlane: { ...envoyDataPlane("envoy-platform"), protocol: "HTTPS", securityGroupId: "sg-0c1d2e3f4a5b6c7d8" },
      hosts: ["mimir.staging.example.com"],
    },
    monitoring,
    storage: {
      buckets: { blocks: "acme-mimir-staging-blocks", ruler: "acme-mimir-staging-ruler", alertmanager: "acme-mimir-staging-alertmanager" },
      // STS through its interface VPC endpoint: the pods group sends HTTPS there, never to 0.0.0.0/0.
      irsa: {
        oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
        stsEndpoint: { securityGroupId: "sg-05a4b3c2d1e0f9a8b" },
      },
      blocksRetention: "90d",
    },
    // Two client classes. Agents present client certificates signed by the staging CA and may only write; every
    // request is tenant "staging". The bundle is pinned by S3 version: a new upload changes nothing until the version
    // here changes (README, "Rotation"). Operators read and administer through OIDC on their own listener.
    clients: [
      { name: "agents", auth: { mode: "mtls", caBundle: { bucket: "acme-mimir-pki", key: "staging/agents-ca.pem", objectVersion: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY" }, tenant: "staging" }, groups: ["write"] },
      operators("staging", "staging"),
    ],
  },
  {
    name: "prod",
    region: "eu-west-1",
    accountId: "111122223333",
    kubeContext: "arn:aws:eks:eu-west-1:111122223333:cluster/acme-prod",
    state,
    productionLike: true,
    deploymentMode: "microservices",
    loadBalancer: {
      scheme: "internet-facing",
      allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
      subnetCidrs: ["10.30.0.0/24", "10.30.1.0/24", "10.30.2.0/24"],
      accessLogsBucket: "acme-prod-lb-logs",
      // Mutual TLS: each handshake and the certificate presented (required when productionLike with mtls).
      connectionLogsBucket: "acme-prod-lb-logs",
    },
    entry: {
      kind: "gateway-api",
      gateway: { className: "eg", tlsSecretName: "mimir-tls" },
      dataPlane: envoyDataPlane("envoy-mimir-prod"),
      hosts: ["mimir.example.com"],
    },
    monitoring: { ...monitoring, securityGroupIds: ["sg-0a1b2c3d4e5f60718"] },
    // The namespace-wide default deny covers egress too: members, DNS, object storage (HTTPS), and what the chart's rollout-operator needs.
    networkPolicy: { restrictEgress: true },
    storage: {
      buckets: { blocks: "acme-mimir-prod-blocks", ruler: "acme-mimir-prod-ruler", alertmanager: "acme-mimir-prod-alertmanager" },
      kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      podIdentity: { clusterName: "acme-prod" },
      // Mimir's limits.compactor_blocks_retention_period; deleted blocks stay recoverable for noncurrentVersionDays.
      blocksRetention: "395d",
      noncurrentVersionDays: 30,
    },
    dns: { hostedZoneId: "Z0123456789EXAMPLE" },
    wafAclArn: "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/mimir/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
    clients: [
      {
        // Agents authenticate with client certificates (ALB mutual TLS, verify); revoked certificates are refused.
        // They push only: the rule and Alertmanager APIs are not on their listener.
        name: "agents",
        auth: {
          mode: "mtls",
          // Pinned by S3 object version (required in production): rotation = upload, then change the version here.
          caBundle: { bucket: "acme-mimir-pki", key: "prod/agents-ca.pem", objectVersion: "Lw0LJ2S7Zk1bqQ3xbLnXnKqJ3Yb6l0Ta" },
          revocations: [{ bucket: "acme-mimir-pki", key: "prod/agents-ca.crl", objectVersion: "y3bVaq8bYtrXa0kQwbH7J_2pM1W9sF0e" }],
          tenant: "prod",
        },
        groups: ["write"],
      },
      operators("prod", "prod"),
    ],
  },
];

/** Build the app (validating every environment first; throws ConfigError). */
export function buildApp(outdir?: string, inputs: readonly EnvironmentInput[] = environments): App {
  const resolved = defineEnvironments(inputs);
  const app = new App(outdir ? { outdir } : {});
  for (const environment of resolved) new MimirStack(app, environment.name, { environment });
  return app;
}

// `cdktf synth` runs this file directly (cdktf.json): the same validation, output and messages as `npm run synth`.
if (require.main === module) void runAppSynth((outdir) => buildApp(outdir));
