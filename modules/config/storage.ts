// zod's v3 API, as in schema.ts (loads faster).
import { z } from "zod/v3";
import type { Problem } from "../contract/problems";
import { dnsSubdomain } from "./checks/k8s-names";
import { awsId } from "./checks/aws-facts";

const serviceAccountName = dnsSubdomain("Kubernetes ServiceAccount name", "mimir");

/**
 * Object storage (S3) and the AWS identity of Mimir's pods, per environment:
 * the zod shape (kept lenient: strings and objects) and the semantic checks,
 * whose messages name the environment, field, value and fix.
 */

/** The three stores Mimir keeps in object storage, each in its own bucket. */
export const STORES = ["blocks", "ruler", "alertmanager"] as const;
export type Store = (typeof STORES)[number];

export const storageSchema = z.strictObject({
  /** Bucket names, one per store; created by the stack unless `createBuckets` is false. */
  buckets: z.strictObject({ blocks: z.string(), ruler: z.string(), alertmanager: z.string() }),
  /** false: the buckets exist already (hardening is then yours); the role is still scoped to them. */
  createBuckets: z.boolean().default(true),
  /** SSE-KMS with this key (`arn:aws:kms:<region>:<account>:key/<id>`); default SSE-S3. */
  kmsKeyArn: z.string().optional(),
  /** IRSA: the cluster's IAM OIDC provider; the role trusts Mimir's service account through it. */
  irsa: z
    .strictObject({
      oidcProviderArn: z.string().optional(),
      /**
       * The STS interface VPC endpoint (`com.amazonaws.<region>.sts`) the pods reach for AssumeRoleWithWebIdentity:
       * its security group or a prefix list covering it. The pods group's HTTPS egress goes there instead of
       * 0.0.0.0/0. Required when productionLike.
       */
      stsEndpoint: z.strictObject({ securityGroupId: z.string().optional(), prefixListId: z.string().optional() }).optional(),
    })
    .optional(),
  /** EKS Pod Identity: the cluster whose association maps Mimir's service account to the role. */
  podIdentity: z.strictObject({ clusterName: z.string().optional() }).optional(),
  /** Use this existing role instead of creating one (its policies are then yours). */
  roleArn: z.string().optional(),
  /** Name of the role the stack creates; default `<fullname>-<env>-storage`. */
  roleName: z.string().optional(),
  /** Mimir's service account; default the chart's (`<fullname>`). */
  serviceAccount: z.string().optional(),
  /**
   * How long Mimir keeps blocks: Mimir's `limits.compactor_blocks_retention_period`, a Prometheus duration
   * (e.g. "395d", "1y", "8760h"); "0" keeps them forever.
   * @default "0" (Mimir's default: the compactor never deletes blocks for age)
   */
  blocksRetention: z.string({ message: 'must be a duration string (a bare number has no unit). Fix: write e.g. "395d" or "1y" (Mimir\'s limits.compactor_blocks_retention_period), or "0" to keep blocks forever' }).optional(),
  /**
   * Days S3 keeps an overwritten or deleted object's previous version before expiring it (buckets the stack creates).
   * @default 30
   */
  noncurrentVersionDays: z.number({ message: "must be a number of days. Fix: write it without quotes, e.g. 30" }).optional(),
});

export type StorageInput = z.input<typeof storageSchema>;
export type ParsedStorage = z.output<typeof storageSchema>;

/** Where the pods reach STS (IRSA): the interface endpoint's security group, or a prefix list covering it. */
export type StsEndpoint = { readonly kind: "security-group"; readonly id: string } | { readonly kind: "prefix-list"; readonly id: string };

/** Storage settings, validated and resolved. */
export interface Storage {
  readonly buckets: Readonly<Record<Store, string>>;
  readonly createBuckets: boolean;
  readonly kmsKeyArn?: string;
  readonly identity:
    | { readonly kind: "irsa"; readonly oidcProviderArn?: string; readonly oidcIssuer?: string; readonly stsEndpoint?: StsEndpoint }
    | { readonly kind: "pod-identity"; readonly clusterName: string };
  /** The role the pods assume: created (`create`), or an existing ARN. */
  readonly role: { readonly create: true; readonly name: string; readonly arn?: string } | { readonly create: false; readonly arn: string };
  readonly serviceAccount: string;
  readonly partition: string;
  /** Mimir's `limits.compactor_blocks_retention_period` ("0": forever). */
  readonly blocksRetention: string;
  /** Lifecycle: noncurrent versions expire after this many days. */
  readonly noncurrentVersionDays: number;
}

/** Mimir's default retention: the compactor never deletes blocks for their age. */
export const DEFAULT_BLOCKS_RETENTION = "0";
/** Default recovery window for deleted or overwritten objects (S3 noncurrent versions). */
export const DEFAULT_NONCURRENT_VERSION_DAYS = 30;
/** Upper bound we accept for the recovery window (ten years). */
const MAX_NONCURRENT_VERSION_DAYS = 3650;

/**
 * A Prometheus duration as Mimir parses it (model.ParseDuration): units y w d h m s ms in that
 * order, each at most once, or "0". Returns why `value` is not one, or undefined.
 */
export function durationError(value: unknown): string | undefined {
  if (typeof value !== "string") return `must be a duration string, not ${typeof value === "number" ? "a number (Mimir would read a bare number as no unit)" : typeof value}`;
  if (value === "0") return undefined;
  if (!/^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/.test(value) || value === "") return "is not a duration Mimir understands (units y, w, d, h, m, s, ms, largest first, e.g. 395d or 1y)";
  return undefined;
}

const BUCKET_CHARS = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;
const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** Why `name` breaks S3's general purpose bucket naming rules, or undefined. */
export function bucketNameError(name: unknown): string | undefined {
  if (typeof name !== "string") return "must be a string";
  if (name.length < 3 || name.length > 63) return "must be 3 to 63 characters long";
  if (!BUCKET_CHARS.test(name)) return "may hold only lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit";
  if (name.includes("..")) return "must not contain two adjacent dots";
  if (IP_ADDRESS.test(name)) return "must not be formatted as an IP address";
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `must not start with the reserved prefix ${prefix}`;
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `must not end with the reserved suffix ${suffix}`;
  return undefined;
}

const KMS_KEY_ARN = /^arn:(aws[a-z-]*):kms:([a-z]{2}(-[a-z]+)+-\d):(\d{12}):key\/[A-Za-z0-9-]+$/;
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/([\w+=,.@/-]{1,512})$/;
const OIDC_PROVIDER_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):oidc-provider\/(.+)$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EKS_CLUSTER = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/** AWS partition of a region: aws, aws-cn or aws-us-gov. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The role an environment creates when none is named (IAM role names: at most 64 characters). */
export function defaultRoleName(fullname: string, env: string): string {
  return `${fullname}-${env}-storage`.slice(0, 64);
}

/**
 * Check the storage settings of one environment and resolve them.
 * Returns the problems (empty when valid) and, when valid, the resolved settings.
 */
export function resolveStorage(
  input: ParsedStorage,
  ctx: { readonly env: string; readonly region: string; readonly fullname: string },
): { problems: Problem[]; storage?: Storage } {
  const problems: Problem[] = [];
  const add = (field: string, value: unknown, rule: string, fix: string) => problems.push({ env: ctx.env, field: `storage.${field}`, value, rule, fix });
  const partition = partitionOf(ctx.region);

  for (const store of STORES) {
    const name = input.buckets[store];
    const why = bucketNameError(name);
    if (why) add(`buckets.${store}`, name, `is not a valid S3 bucket name: it ${why}`, "use 3-63 lower-case letters, digits and hyphens, starting and ending with a letter or digit, e.g. \"acme-mimir-prod-blocks\"");
  }
  STORES.forEach((store, i) => {
    const earlier = STORES.slice(0, i).find((other) => input.buckets[other] === input.buckets[store]);
    if (earlier) add(`buckets.${store}`, input.buckets[store], `is also the ${earlier} bucket; Mimir refuses blocks, ruler and alertmanager in the same bucket without prefixes`, `give the ${store} store its own bucket`);
  });

  if (input.kmsKeyArn !== undefined) {
    const m = KMS_KEY_ARN.exec(input.kmsKeyArn);
    if (!m) {
      add("kmsKeyArn", input.kmsKeyArn, "is not a KMS key ARN", `use arn:${partition}:kms:${ctx.region}:<account>:key/<key-id> (a key ARN, not an alias)`);
    } else if (m[2] !== ctx.region) {
      add("kmsKeyArn", input.kmsKeyArn, `is a key in ${m[2]}, but the environment's buckets are in ${ctx.region}; S3 only encrypts with a key of the bucket's region`, `use a KMS key in ${ctx.region}, or omit kmsKeyArn for SSE-S3`);
    } else if (m[1] !== partition) {
      add("kmsKeyArn", input.kmsKeyArn, `is in partition ${m[1]}, but ${ctx.region} is in ${partition}`, `use arn:${partition}:kms:${ctx.region}:<account>:key/<key-id>`);
    }
  }

  let roleArnAccount: string | undefined;
  if (input.roleArn !== undefined) {
    const m = ROLE_ARN.exec(input.roleArn);
    if (!m) {
      add("roleArn", input.roleArn, "is not an IAM role ARN", "use arn:aws:iam::<account>:role/<name> (not a user, policy or instance profile ARN), or omit roleArn to let the stack create the role");
    } else roleArnAccount = m[2];
    if (input.roleName !== undefined) add("roleName", input.roleName, "is set together with roleArn, but an existing role is not created", "keep roleArn (existing role) or roleName (created role), not both");
  }
  if (input.roleName !== undefined && !ROLE_NAME.test(input.roleName)) {
    add("roleName", input.roleName, "is not a valid IAM role name", "use up to 64 letters, digits and +=,.@_-");
  }
  const serviceAccount = input.serviceAccount ?? ctx.fullname;
  const badAccount = serviceAccountName(serviceAccount);
  if (badAccount) add("serviceAccount", input.serviceAccount, badAccount.rule, badAccount.fix);

  let identity: Storage["identity"] | undefined;
  let roleAccount: string | undefined = roleArnAccount;
  if (input.irsa && input.podIdentity) {
    add("podIdentity", input.podIdentity, "is set together with irsa; Mimir's pods get their AWS identity one way", "keep irsa (service account annotation) or podIdentity (EKS Pod Identity association), not both");
  } else if (input.irsa) {
    const arn = input.irsa.oidcProviderArn;
    const sts = input.irsa.stsEndpoint;
    let stsEndpoint: StsEndpoint | undefined;
    if (sts !== undefined) {
      const given = [sts.securityGroupId, sts.prefixListId].filter((v) => v !== undefined).length;
      if (given !== 1) add("irsa.stsEndpoint", sts, given === 0 ? "names neither securityGroupId nor prefixListId" : "sets both securityGroupId and prefixListId", "name one: the STS interface endpoint's security group (securityGroupId) or a prefix list covering its addresses (prefixListId)");
      else if (sts.securityGroupId !== undefined && !awsId("sg").test(sts.securityGroupId)) add("irsa.stsEndpoint.securityGroupId", sts.securityGroupId, "is not a security group id", "use the STS endpoint's group, e.g. sg-0123456789abcdef0");
      else if (sts.prefixListId !== undefined && !awsId("pl").test(sts.prefixListId)) add("irsa.stsEndpoint.prefixListId", sts.prefixListId, "is not a prefix list id", "use an id like pl-0123456789abcdef0");
      else stsEndpoint = sts.securityGroupId !== undefined ? { kind: "security-group", id: sts.securityGroupId } : { kind: "prefix-list", id: sts.prefixListId as string };
    }
    if (arn === undefined) {
      if (input.roleArn === undefined) add("irsa.oidcProviderArn", arn, "is required for IRSA: the role must trust the cluster's IAM OIDC provider", "set it to the cluster's provider, e.g. arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>, or use podIdentity");
      identity = { kind: "irsa", ...(stsEndpoint ? { stsEndpoint } : {}) };
    } else {
      const m = OIDC_PROVIDER_ARN.exec(arn);
      if (!m) {
        add("irsa.oidcProviderArn", arn, "is not an IAM OIDC provider ARN", "use arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id> (aws eks describe-cluster --query cluster.identity.oidc.issuer)");
      } else {
        if (roleArnAccount && roleArnAccount !== m[2]) add("irsa.oidcProviderArn", arn, `is in account ${m[2]}, but roleArn is in account ${roleArnAccount}; IRSA roles trust a provider of their own account`, "use the role's account's OIDC provider");
        roleAccount ??= m[2];
        identity = { kind: "irsa", oidcProviderArn: arn, oidcIssuer: m[3], ...(stsEndpoint ? { stsEndpoint } : {}) };
      }
    }
  } else if (input.podIdentity) {
    const name = input.podIdentity.clusterName;
    if (name === undefined || !EKS_CLUSTER.test(name)) {
      add("podIdentity.clusterName", name, name === undefined ? "is required for EKS Pod Identity: the association belongs to a cluster" : "is not an EKS cluster name", "set it to your EKS cluster's name, e.g. \"prod-eks\"");
    } else identity = { kind: "pod-identity", clusterName: name };
  } else {
    add("irsa", undefined, "is missing: Mimir's pods need an AWS identity to reach the buckets (no static keys are ever used)", "add irsa { oidcProviderArn } or podIdentity { clusterName }");
  }

  const blocksRetention = input.blocksRetention ?? DEFAULT_BLOCKS_RETENTION;
  const durationWhy = durationError(blocksRetention);
  if (durationWhy) add("blocksRetention", blocksRetention, durationWhy, `write a duration string such as "395d" or "1y" (Mimir's limits.compactor_blocks_retention_period), or "0" to keep blocks forever`);
  const days = input.noncurrentVersionDays ?? DEFAULT_NONCURRENT_VERSION_DAYS;
  if (typeof days !== "number" || !Number.isInteger(days) || days < 1 || days > MAX_NONCURRENT_VERSION_DAYS) {
    add("noncurrentVersionDays", days, `must be a whole number of days from 1 to ${MAX_NONCURRENT_VERSION_DAYS}`, `use e.g. ${DEFAULT_NONCURRENT_VERSION_DAYS}: deleted or overwritten objects stay recoverable that long`);
  }

  if (problems.length > 0 || !identity) return { problems };
  const roleName = input.roleName ?? defaultRoleName(ctx.fullname, ctx.env);
  const role: Storage["role"] =
    input.roleArn !== undefined
      ? { create: false, arn: input.roleArn }
      : { create: true, name: roleName, ...(roleAccount ? { arn: `arn:${partition}:iam::${roleAccount}:role/${roleName}` } : {}) };
  return {
    problems,
    storage: { buckets: { ...input.buckets }, createBuckets: input.createBuckets, kmsKeyArn: input.kmsKeyArn, identity, role, serviceAccount, partition, blocksRetention: blocksRetention as string, noncurrentVersionDays: days as number },
  };
}
