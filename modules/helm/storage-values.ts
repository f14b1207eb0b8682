import type { Environment } from "../config/environment-types";
import { STORES, type Store } from "../config/storage";
import type { Problem } from "../contract/problems";
import { getPath, walk } from "../shared/objects";

/** The Mimir config block of each store (`<block>.s3.bucket_name`). */
const CONFIG_BLOCK: Readonly<Record<Store, string>> = { blocks: "blocks_storage", ruler: "ruler_storage", alertmanager: "alertmanager_storage" };

/** The IRSA annotation the EKS pod identity webhook reads on a service account. */
export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/** Regional S3 endpoint (no scheme: Mimir's S3 client adds https). */
export function s3Endpoint(region: string): string {
  return region.startsWith("cn-") ? `s3.${region}.amazonaws.com.cn` : `s3.${region}.amazonaws.com`;
}

/**
 * Mimir's storage config for an environment with `storage`: the S3 backend
 * shared by every store (`common.storage`), and one bucket per store. Also
 * what a workload outside the chart (dev's monolithic Mimir) puts in its config.
 */
export function mimirStorageConfig(env: Pick<Environment, "region" | "storage">): Record<string, unknown> {
  const storage = env.storage;
  if (!storage) return {};
  const config: Record<string, unknown> = {
    common: { storage: { backend: "s3", s3: { endpoint: s3Endpoint(env.region), region: env.region } } },
  };
  for (const store of STORES) config[CONFIG_BLOCK[store]] = { s3: { bucket_name: storage.buckets[store] } };
  return config;
}

/**
 * The mimir-distributed values for storage: Mimir's S3 config under
 * `mimir.structuredConfig`, the demo MinIO off (it ships default credentials),
 * and the service account the role trusts (annotated with the role for IRSA;
 * EKS Pod Identity needs no annotation). Empty without `storage`.
 */
export function storageValues(env: Pick<Environment, "region" | "storage" | "fullname">): Record<string, unknown> {
  const storage = env.storage;
  if (!storage) return {};
  const serviceAccount: Record<string, unknown> = { create: true };
  if (storage.serviceAccount !== env.fullname) serviceAccount.name = storage.serviceAccount;
  if (storage.identity.kind === "irsa" && storage.role.arn) serviceAccount.annotations = { [IRSA_ROLE_ANNOTATION]: storage.role.arn };
  return {
    minio: { enabled: false },
    mimir: { structuredConfig: mimirStorageConfig(env) },
    serviceAccount,
  };
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
