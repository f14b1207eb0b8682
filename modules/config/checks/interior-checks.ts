import { MIMIR_HTTP_API } from "../../contract/http-api";
import type { PortContract } from "../../contract/port-contract";
import type { ProblemList } from "../../contract/problems";
import type { ParsedEnvironment } from "../schema";

/**
 * Checks of who inside the cluster reaches Mimir: monitoring by named pods,
 * the node group's security group in node-group mode, and auth modes the
 * data plane cannot enforce. Returns warnings for the synth summary.
 */

/** Operator endpoints (Mimir's HTTP API reference, modules/contract/http-api.ts), shortened to their first path element. */
export function operatorEndpointPrefixes(): string[] {
  const prefixes = MIMIR_HTTP_API.filter((e) => e.audience === "operator").map((e) => {
    if (e.path === "/") return "/";
    const [first, second] = e.path.split("/").slice(1);
    // /api/v1/... endpoints keep their full path (they share the prefix with public ones).
    return first === "api" ? e.path : `/${first}${second === undefined ? "" : "/*"}`;
  });
  return [...new Set(prefixes)];
}

type Env = Pick<ParsedEnvironment, "name" | "productionLike" | "monitoring" | "podSecurityGroups">;

export function checkInterior(problems: ProblemList, e: Env, contract: PortContract | undefined): string[] {
  const warnings: string[] = [];
  const http = contract ? `${contract.http.name} port ${contract.http.port}` : "http port";
  const m = e.monitoring;
  if (m && m.podLabels === undefined) {
    if (e.productionLike) {
      problems.add(
        "monitoring.podLabels",
        undefined,
        `is required in a production-like environment: without it every pod in namespace ${m.namespace} reaches Mimir's ${http}, which also serves operator endpoints (${operatorEndpointPrefixes().join(", ")})`,
        `name the scraper's pod labels, e.g. monitoring: { namespace: "${m.namespace}", podLabels: { "app.kubernetes.io/name": "prometheus" } }`,
      );
    } else {
      warnings.push(
        `monitoring.podLabels is not set: every pod in namespace ${m.namespace} reaches Mimir's ${http}, operator endpoints included (${operatorEndpointPrefixes().join(", ")}); name the scraper's pods with monitoring.podLabels`,
      );
    }
  }
  const p = e.podSecurityGroups;
  if (p.mode === "node-group" && contract) {
    const ports = contract.membersOnly.map((x) => `${x.name} ${x.port}`).join(", ");
    warnings.push(
      `podSecurityGroups.mode node-group: the members rules (${ports}, from and to itself) are written on the node group's security group ${p.nodeSecurityGroupId}, and every pod and process on those nodes carries it, so security groups do not separate Mimir from its neighbours there; only the NetworkPolicies do (enable network policy enforcement, e.g. the VPC CNI's), or use mode security-group-policy`,
    );
  }
  return warnings;
}
