/**
 * Compile-time tests of the public API, checked by `tsc --noEmit` (the first
 * half of `npm test`). Each `@ts-expect-error` must meet an error, or tsc
 * fails: a typo in a port name, a wrong constructor call.
 * This file is type-checked only, never run.
 */
import { App } from "cdktf";
import { MimirStack, type EnvironmentInput, type PortOverrides } from "../../modules/index";

const base = {
  name: "prod",
  region: "eu-west-1",
  state: { bucket: "acme-terraform-state" },
  loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "ingress-nginx-controller" } },
  ingress: { className: "nginx", hosts: ["mimir.example.com"], tlsSecretName: "mimir-tls" },
} satisfies EnvironmentInput;

export const typedPorts: PortOverrides = { http: 8081, grpc: 9096, memberlist: 7947 };
// @ts-expect-error a misspelt port name fails at compile time
export const typo: PortOverrides = { htpp: 8081 };
// @ts-expect-error a port is a number
export const quoted: PortOverrides = { grpc: "9096" };
// @ts-expect-error the chart's neighbour ports are fixed, not overridable
export const neighbour: PortOverrides = { kafka: 9093 };

export const ok: EnvironmentInput = { ...base, ports: { grpc: 9096 } };
// @ts-expect-error a misspelt port name inside an environment
export const typoInEnv: EnvironmentInput = { ...base, ports: { htpp: 8081 } };
// @ts-expect-error a misspelt setting
export const misspelt: EnvironmentInput = { ...base, loadBalancr: {} };
// @ts-expect-error deploymentMode is one of two words
export const mode: EnvironmentInput = { ...base, deploymentMode: "read-write" };

export function constructors(app: App): MimirStack[] {
  const cdkStyle = new MimirStack(app, "prod", { environment: base });
  const local = new MimirStack(app, "dev", { environment: { ...base, name: "dev" }, backend: "local" });
  // The 2-argument form still compiles (deprecated): the stack id is the environment's name.
  const legacy = new MimirStack(app, { environment: { ...base, name: "qa" } });
  // @ts-expect-error the id is a string
  const numericId = new MimirStack(app, 1, { environment: base });
  // @ts-expect-error props are required
  const noProps = new MimirStack(app, "x");
  // @ts-expect-error backend is s3 or local
  const gcs = new MimirStack(app, "y", { environment: base, backend: "gcs" });
  // @ts-expect-error a typo in the environment passed to the constructor
  const typoProps = new MimirStack(app, "z", { environment: { ...base, ports: { grcp: 9096 } } });
  return [cdkStyle, local, legacy, numericId, noProps, gcs, typoProps];
}
