import type { Environment } from "./environment-types";

/**
 * Which security group the Gateway API data plane's pods carry, so the hop load balancer → data plane → Mimir
 * admits one identity each:
 * - `created`: the stack creates a group for the proxies of the Gateway it creates (Envoy Gateway, security groups
 *   for pods) and a SecurityGroupPolicy selecting that Gateway's owning labels;
 * - `given`: `entry.dataPlane.securityGroupId` (a shared Gateway's group, from its owner);
 * - `cluster`: none of their own (legacy ingress controllers, a data plane the stack cannot give a group, node-group
 *   mode): the cluster group, as an input, and a warning says so. Refused for a shared Gateway when productionLike.
 */
export type DataPlaneGroup = { readonly kind: "created" } | { readonly kind: "given"; readonly id: string } | { readonly kind: "cluster" };

export function dataPlaneGroupOf(env: Pick<Environment, "entry" | "podSecurityGroups">): DataPlaneGroup {
  const dp = env.entry.kind === "gateway-api" ? env.entry.dataPlane : undefined;
  if (!dp) return { kind: "cluster" };
  if (dp.securityGroupId) return { kind: "given", id: dp.securityGroupId };
  const created = env.entry.gateway?.create !== undefined;
  if (created && dp.implementation === "envoy-gateway" && env.podSecurityGroups.mode === "security-group-policy") return { kind: "created" };
  return { kind: "cluster" };
}
