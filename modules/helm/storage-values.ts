import type { Environment } from "../config/environment-types";
import { STORES } from "../config/storage";
import { checkStorageValues, CONFIG_BLOCK } from "../config/checks/chart-values";
export { checkStorageValues };

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

