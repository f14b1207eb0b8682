/**
 * The reference app: one MimirStack per environment, all from one stack class.
 * Run with `npm run synth` (validates first, keeps cdktf.out intact on error)
 * or `cdktf synth` (cdktf.json runs this file with tsx).
 *
 * No port number appears here: every port comes from the contract
 * (modules/contract). To change one for an environment, add e.g.
 * `ports: { grpc: <port> }` to it (see README, "Change a port").
 */

import "./modules/cli/fast-start"; // first: see the file (README, "Performance")
import { App } from "cdktf";
import { defineEnvironments, type EnvironmentInput } from "./modules/config/environment";
import { MimirStack, policyResults } from "./modules/stack/mimir-stack";
import { summaryLines } from "./modules/review/summary";

const state = { bucket: "acme-terraform-state", keyPrefix: "mimir" };

export const environments: EnvironmentInput[] = [
  {
    name: "dev",
    region: "eu-west-1",
    state,
    deploymentMode: "monolithic",
    loadBalancer: { scheme: "internal", allowedCidrs: ["10.10.0.0/16"], target: { kind: "mimir" } },
    networkPolicy: { loadBalancerCidrs: ["10.10.0.0/20", "10.10.16.0/20"] },
    monitoring: { namespace: "monitoring" },
    // Unauthenticated on purpose (the reason acknowledges policy MP015). To turn authentication on, replace with e.g.
    // auth: { mode: "mtls", caBundle: { bucket: "acme-mimir-pki", key: "dev/agents-ca.pem" }, tenant: "dev" } (README, "Authentication").
    auth: { mode: "none", reason: "dev: internal load balancer in the dev VPC, synthetic data only" },
  },
  {
    name: "staging",
    region: "eu-west-1",
    state,
    deploymentMode: "microservices",
    loadBalancer: {
      scheme: "internal",
      allowedCidrs: ["10.20.0.0/16"],
      target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "ingress-nginx-controller" },
    },
    ingress: { className: "nginx", hosts: ["mimir.staging.example.com"], tlsSecretName: "mimir-tls" },
    monitoring: { namespace: "monitoring" },
    // Agents present client certificates signed by the staging CA; every request is tenant "staging".
    auth: { mode: "mtls", caBundle: { bucket: "acme-mimir-pki", key: "staging/agents-ca.pem" }, tenant: "staging" },
  },
  {
    name: "prod",
    region: "eu-west-1",
    state,
    productionLike: true,
    deploymentMode: "microservices",
    loadBalancer: {
      scheme: "internet-facing",
      allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
      accessLogsBucket: "acme-prod-lb-logs",
      target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "ingress-nginx-controller" },
    },
    ingress: { className: "nginx", hosts: ["mimir.example.com"], tlsSecretName: "mimir-tls" },
    monitoring: { namespace: "monitoring", securityGroupIds: ["sg-0a1b2c3d4e5f60718"] },
    dns: { hostedZoneId: "Z0123456789EXAMPLE" },
    wafAclArn: "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/mimir/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
    // Agents authenticate with client certificates (ALB mutual TLS, verify); revoked certificates are refused.
    auth: {
      mode: "mtls",
      caBundle: { bucket: "acme-mimir-pki", key: "prod/agents-ca.pem" },
      revocations: [{ bucket: "acme-mimir-pki", key: "prod/agents-ca.crl" }],
      tenant: "prod",
    },
  },
];

/** Build the app (validating every environment first; throws ConfigError). */
export function buildApp(outdir?: string, inputs: readonly EnvironmentInput[] = environments): App {
  const resolved = defineEnvironments(inputs);
  const app = new App(outdir ? { outdir } : {});
  for (const environment of resolved) new MimirStack(app, { environment });
  return app;
}

// `cdktf synth` runs this file directly; print the same short summary as `npm run synth`.
if (require.main === module) {
  const app = buildApp();
  app.synth();
  for (const line of summaryLines(policyResults(app))) process.stdout.write(`${line}\n`);
}
