import { stringify } from "yaml";
import type { Environment } from "../config/environment-types";
import { ConfigError, type Problem } from "../contract/problems";
import { MIMIR_CHART, OPTIONAL_COMPONENT_KEYS } from "./chart";
import { INTERNAL_PORT_NAMES, portFacts, type InternalPortName, type PortContract } from "../contract/port-contract";
import { deepMerge, getPath, isPlainObject, setPath, sortKeys, walk } from "../shared/objects";
import { storageValues } from "./storage-values";
import { gossipJoinMembers, joinsBothPorts } from "./gossip-join";

const STRUCTURED_CONFIG = ["mimir", "structuredConfig"];
type Ports = Readonly<Record<InternalPortName, number>>;

/** The chart reads the three ports only from structuredConfig, at their Mimir config keys. */
export function portConfigPaths(ports: Ports): Array<{ path: string[]; key: string; value: number; port: InternalPortName }> {
  return INTERNAL_PORT_NAMES.map((port) => {
    const key = portFacts(port).configKey;
    return { path: [...STRUCTURED_CONFIG, ...key.split(".")], key, value: ports[port], port };
  });
}

/** Every value the contract sets: the config keys, and memberlist.advertise_port, which follows bind_port. */
export function contractValuePaths(ports: Ports): Array<{ path: string[]; value: number; port: InternalPortName }> {
  return [...portConfigPaths(ports), { path: [...STRUCTURED_CONFIG, "memberlist", "advertise_port"], value: ports.memberlist, port: "memberlist" }];
}

const portsOf = (contract: PortContract): Ports => ({ http: contract.http.port, grpc: contract.grpc.port, memberlist: contract.memberlist.port });

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
  if (joinsBothPorts(env.contract)) setPath(values, [...STRUCTURED_CONFIG, "memberlist", "join_members"], gossipJoinMembers(env.contract, env.fullname, env.namespace));
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
  return [portValues(env), gatewayValues(env), componentValues(env), classicArchitectureValues(), demoPartsOff()];
}

export function baseValues(env: Environment): Record<string, unknown> {
  return valueParts(env).reduce<Record<string, unknown>>((acc, part) => deepMerge(acc, part), {});
}

const EXPOSING_SERVICE_TYPES = new Set(["LoadBalancer", "NodePort"]);

/** `<...>.service.type` values of LoadBalancer or NodePort anywhere in chart values. */
export function exposingServiceTypes(values: unknown): Array<{ path: string[]; value: string }> {
  const found: Array<{ path: string[]; value: string }> = [];
  for (const [path, value] of walk(values)) {
    if (path[path.length - 1] === "type" && path[path.length - 2] === "service" && typeof value === "string" && EXPOSING_SERVICE_TYPES.has(value)) found.push({ path, value });
  }
  return found;
}

/** Problems with user values: moved contract ports, exposing Services, the chart's Ingress. */
export function checkUserValues(env: Pick<Environment, "name" | "contract">, user: unknown): Problem[] {
  const problems: Problem[] = [];
  const at = (path: string[]) => `helm.values.${path.join(".")}`;
  if (!isPlainObject(user)) {
    return [{ env: env.name, field: "helm.values", value: user, rule: "must be an object of chart values", fix: "pass an object such as { ingester: { replicas: 3 } }" }];
  }
  for (const { path, value, port } of contractValuePaths(portsOf(env.contract))) {
    const got = getPath(user, path);
    if (got !== undefined && got !== value) {
      problems.push({ env: env.name, field: at(path), value: got, rule: `moves Mimir's ${port} port away from the contract's ${value}`, fix: `remove it and set ports.${port} in the environment instead; the contract drives every resource` });
    }
  }
  for (const { path, value } of exposingServiceTypes(user)) {
    problems.push({ env: env.name, field: at(path), value, rule: "would expose Mimir outside the cluster", fix: "remove it: Services stay ClusterIP and the load balancer's TLS listener is the only way in" });
  }
  for (const [path, value] of walk(user)) {
    const key = path[path.length - 1];
    if ((key === "nodePort" && value !== null && value !== undefined) || (key === "externalIPs" && Array.isArray(value) && value.length > 0) || (key === "loadBalancerIP" && value)) {
      problems.push({ env: env.name, field: at(path), value, rule: "would expose Mimir outside the cluster", fix: "remove it: the load balancer's TLS listener is the only way in" });
    } else if (key === "enabled" && value === true && path.length === 3 && path[1] === "ingress" && ["gateway", "nginx"].includes(path[0])) {
      problems.push({ env: env.name, field: at(path), value, rule: "enables the chart's own Ingress, a second entry point beside ours", fix: "remove it and configure the environment's ingress settings instead" });
    } else if (key === "enabled" && value === true && path.length === 2 && path[0] === "kafka") {
      problems.push({ env: env.name, field: at(path), value, rule: "turns on the chart's demo Kafka, which its own notes call not for production", fix: "remove it: Mimir runs the classic architecture (distributors push to ingesters), with no Kafka" });
    } else if (key === "enabled" && value === true && path.length === 2 && path[0] === "minio") {
      problems.push({ env: env.name, field: at(path), value, rule: "turns on the chart's demo MinIO, which runs with default root credentials", fix: "remove it: Mimir stores blocks, rules and alertmanager state in S3" });
    } else if (key === "enabled" && value === true && path.length === 4 && path[0] === "mimir" && path[1] === "structuredConfig" && path[2] === "ingest_storage") {
      problems.push({ env: env.name, field: at(path), value, rule: "turns ingest storage on, which needs a Kafka this library does not deploy or open in its NetworkPolicies", fix: "remove it: the classic architecture needs no Kafka" });
    }
  }
  return problems;
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
