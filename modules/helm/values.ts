import { stringify } from "yaml";
import type { Environment } from "../config/environment-types";
import { ConfigError } from "../contract/problems";
import { MIMIR_CHART, OPTIONAL_COMPONENT_KEYS } from "./chart";
import { deepMerge, setPath, sortKeys } from "../shared/objects";
import { storageValues } from "./storage-values";
import { mimirGuardConfig } from "../config/mimir-guards";
import { gossipJoinMembers, joinsBothPorts } from "./gossip-join";

// The value checks and the contract's value paths live with the other input checks (config runs them on define).
import { checkUserValues, contractValuePaths, exposingServiceTypes, portConfigPaths, portsOf } from "../config/checks/chart-values";
export { checkUserValues, contractValuePaths, exposingServiceTypes, portConfigPaths };

/** Whether the chart's gateway runs: when the load balancer or our Ingress targets it. */
export function gatewayEnabled(env: Environment): boolean {
  return env.deploymentMode === "microservices" && (env.loadBalancer.target.kind === "mimir" || env.ingress?.useGateway === true);
}

/** The gateway is internal: ClusterIP on the http port, no chart Ingress (ours, or the load balancer, replaces it). */
function gatewayValues(env: Environment): Record<string, unknown> {
  return {
    gateway: {
      enabled: gatewayEnabled(env),
      // legacyPort off: the chart adds it as a second Service port, which would duplicate ours (both the http port).
      service: { type: "ClusterIP", port: env.contract.http.port, legacyPort: null },
      ingress: { enabled: false },
    },
  };
}

/**
 * The three contract ports at their Mimir config keys (the port Mimir listens
 * on: a transition's `from` while open, its `to` after), and while memberlist
 * moves, a join list that reaches old and new members (see gossip-join.ts).
 */
function portValues(env: Environment): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const { path, value } of contractValuePaths(portsOf(env.contract))) setPath(values, path, value);
  if (joinsBothPorts(env.contract)) setPath(values, ["mimir", "structuredConfig", "memberlist", "join_members"], gossipJoinMembers(env.contract, env.fullname, env.namespace));
  return values;
}

function componentValues(env: Environment): Record<string, unknown> {
  return Object.fromEntries(Object.entries(OPTIONAL_COMPONENT_KEYS).map(([component, key]) => [key, { enabled: env.components.includes(component as never) }]));
}

/**
 * Chart 6 turns on ingest storage with a demo Kafka ("not for production").
 * We run the classic architecture instead: distributors push to ingesters
 * over grpc, no Kafka. These are the chart's own classic-architecture values
 * (`classic-architecture.yaml` in mimir-distributed 6): Kafka off, ingest
 * storage off, and the ingest-storage settings of its base config unset.
 */
export function classicArchitectureValues(): Record<string, unknown> {
  return {
    kafka: { enabled: false },
    mimir: {
      structuredConfig: {
        ingest_storage: { enabled: false, kafka: { address: null, topic: null, auto_create_topic_default_partitions: null } },
        distributor: { remote_timeout: null },
        ingester: { push_grpc_method_enabled: null },
      },
    },
  };
}

/** The chart's demo object store (MinIO with its default root credentials) never runs: storage is S3. */
function demoPartsOff(): Record<string, unknown> {
  return { minio: { enabled: false } };
}

/**
 * Our values, before the user's: one part per concern, merged in order (a
 * later part wins on the same key). Storage values join this list.
 */
export function valueParts(env: Environment): Array<Record<string, unknown>> {
  return [portValues(env), gatewayValues(env), componentValues(env), classicArchitectureValues(), demoPartsOff(), { mimir: { structuredConfig: mimirGuardConfig(env) } }];
}

export function baseValues(env: Environment): Record<string, unknown> {
  return valueParts(env).reduce<Record<string, unknown>>((acc, part) => deepMerge(acc, part), {});
}

/**
 * Values for the mimir-distributed chart, derived from the contract:
 * ours first, the user's merged last and re-checked, so extra values cannot
 * move a contract port or expose one. Keys are sorted for stable output.
 */
export function mimirValues(env: Environment): Record<string, unknown> {
  if (env.deploymentMode !== "microservices") {
    throw new ConfigError([{ env: env.name, field: "deploymentMode", value: env.deploymentMode, rule: `has no ${MIMIR_CHART.name} values: the chart only deploys microservices`, fix: "use deploymentMode microservices to deploy with the chart" }]);
  }
  const user = env.helm.values;
  const problems = checkUserValues(env, user);
  if (problems.length > 0) throw new ConfigError(problems);
  return sortKeys(deepMerge(deepMerge(baseValues(env), storageValues(env)), user)) as Record<string, unknown>;
}

/** The values as YAML (round-trips through any YAML 1.2 parser). */
export function mimirValuesYaml(env: Environment): string {
  return stringify(mimirValues(env), { lineWidth: 0 });
}
