import type { Environment } from "../environment-types";
import { STORES, type Store } from "../storage";
import type { Problem } from "../../contract/problems";
import { INTERNAL_PORT_NAMES, portFacts, type InternalPortName, type PortContract } from "../../contract/port-contract";
import { getPath, isPlainObject, walk } from "../../shared/objects";

/**
 * Checks of the user's mimir-distributed chart values, run when an environment
 * is defined (before anything is built), and the chart keys they need. Moved
 * here from modules/helm so config does not import the layer above it;
 * modules/helm/values.ts and storage-values.ts re-export these names.
 */

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

export const portsOf = (contract: PortContract): Ports => ({ http: contract.http.port, grpc: contract.grpc.port, memberlist: contract.memberlist.port });

/** The Mimir config block of each store (`<block>.s3.bucket_name`). */
export const CONFIG_BLOCK: Readonly<Record<Store, string>> = { blocks: "blocks_storage", ruler: "ruler_storage", alertmanager: "alertmanager_storage" };

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

const STATIC_KEY_FIELDS = new Set(["access_key_id", "secret_access_key", "session_token"]);
const ENV_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/**
 * Problems with user chart values once storage is on S3: turning the demo
 * MinIO back on, static AWS keys in the values (they end up in a ConfigMap),
 * or pointing a store at a bucket the role cannot reach.
 */
export function checkStorageValues(env: Pick<Environment, "name" | "storage">, user: unknown): Problem[] {
  const problems: Problem[] = [];
  const at = (path: readonly string[]) => `helm.values.${path.join(".")}`;
  for (const [path, value] of walk(user)) {
    const key = path[path.length - 1];
    // `${VAR}` is Mimir's environment expansion (the value comes from a Secret at run time), not a key in the values.
    if (key !== undefined && STATIC_KEY_FIELDS.has(key) && typeof value === "string" && value !== "" && !ENV_REFERENCE.test(value)) {
      problems.push({ env: env.name, field: at(path), value: "(redacted)", rule: "puts a static AWS credential in the chart values, where it lands in a ConfigMap", fix: "remove it: Mimir's pods get credentials from the role (storage.irsa or storage.podIdentity)" });
    }
  }
  const storage = env.storage;
  if (!storage) return problems;
  if (getPath(user, ["minio", "enabled"]) === true) {
    problems.push({ env: env.name, field: "helm.values.minio.enabled", value: true, rule: "turns the chart's demo MinIO (default credentials) back on although storage is on S3", fix: "remove it" });
  }
  for (const store of STORES) {
    const path = ["mimir", "structuredConfig", CONFIG_BLOCK[store], "s3", "bucket_name"];
    const got = getPath(user, path);
    if (got !== undefined && got !== storage.buckets[store]) {
      problems.push({ env: env.name, field: at(path), value: got, rule: `points the ${store} store at a bucket the storage role has no access to`, fix: `remove it and set storage.buckets.${store} instead` });
    }
  }
  return problems;
}
