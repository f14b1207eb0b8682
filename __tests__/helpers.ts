import { App, Testing } from "cdktf";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { EnvironmentInput } from "../modules/config/environment";
import { ConfigError, type Problem } from "../modules/contract/problems";
import { MimirStack } from "../modules/stack/mimir-stack";
import { synthWithPolicy } from "../modules/testing";

export const ROOT = join(__dirname, "..");
/** This run's output folder, relative to ROOT (one per jest run: __tests__/global-setup.ts). */
export const TEST_OUT = process.env.MIMIR_TEST_OUT ?? "__tests__/.out";

/** A small valid environment; tests override what they need. */
export function env(overrides: Record<string, unknown> = {}): EnvironmentInput {
  return {
    name: "test",
    region: "eu-west-1",
    state: { bucket: "test-state-bucket" },
    deploymentMode: "microservices",
    loadBalancer: {
      allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"],
      target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "ingress-nginx-controller" },
    },
    ingress: { className: "nginx", hosts: ["mimir.example.com"], tlsSecretName: "mimir-tls" },
    // Scrapers by named pods: the whole namespace would reach operator endpoints (MP019).
    monitoring: { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" } },
    // Fixtures test other concerns: unauthenticated on purpose (acknowledges MP018); auth*.test.ts test authentication.
    auth: { mode: "none", reason: "test fixture: authentication is tested in auth*.test.ts" },
    ...overrides,
  } as EnvironmentInput;
}

/**
 * `env()` with the Gateway API entry (a created Gateway for Envoy Gateway, its data plane kept to the load
 * balancer's subnets) instead of the legacy Ingress: authentication at the load balancer then holds at the last hop.
 * The legacy ingress-nginx entry cannot keep in-cluster clients off its controller, so with authentication it is
 * refused (MP018 at the data plane).
 */
export function gatewayEnv(overrides: Record<string, unknown> = {}): EnvironmentInput {
  const { ingress: _legacy, ...base } = env() as unknown as Record<string, unknown>;
  return {
    ...base,
    loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"] },
    entry: {
      kind: "gateway-api",
      gateway: { className: "eg", tlsSecretName: "mimir-tls" },
      dataPlane: { namespace: "envoy-gateway-system", serviceName: "envoy-mimir-test", healthCheckPath: "/healthz", podLabels: { "app.kubernetes.io/name": "envoy", "app.kubernetes.io/component": "proxy" } },
      hosts: ["mimir.example.com"],
    },
    ...overrides,
  } as unknown as EnvironmentInput;
}

export type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
  variable?: Record<string, Record<string, unknown>>;
  terraform: { backend: { s3: Record<string, unknown> } };
  provider: Record<string, unknown[]>;
};

/** Synthesize one environment's stack to JSON, with the contract policy (the library's testing helper). */
export function synthJson(input: EnvironmentInput): TfJson {
  const app = Testing.app();
  const stack = new MimirStack(app, (input as { name: string }).name, { environment: input });
  return JSON.parse(synthWithPolicy(stack)) as TfJson;
}

/** All resources of one type, by name. */
export function resources(json: TfJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

export function newApp(): App {
  return Testing.app();
}

/** Run a project script with tsx, as `npm run` would. */
export function runTsx(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, ["--import", "tsx", ...args], { cwd, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The problems of the ConfigError `fn` throws (fails the test when it throws nothing, or something else). */
export function problemsOf(fn: () => unknown): readonly Problem[] {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems;
  }
  throw new Error("expected a ConfigError");
}

/** The message of the ConfigError `fn` throws: one line per problem. */
export function configErrorMessage(fn: () => unknown): string {
  return new ConfigError(problemsOf(fn)).message;
}
