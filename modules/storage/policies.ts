import type { Storage, Store } from "../config/storage";
import { STORES } from "../config/storage";

/**
 * IAM and bucket policy documents, as plain JSON built from names known at
 * synth time, so they are deterministic and readable in the Terraform JSON.
 */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: unknown;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: PolicyStatement[];
}

export const bucketArn = (partition: string, bucket: string) => `arn:${partition}:s3:::${bucket}`;
export const objectsArn = (partition: string, bucket: string) => `${bucketArn(partition, bucket)}/*`;

/** Deny every request to the bucket that does not use TLS. */
export function denyInsecureTransport(partition: string, bucket: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn(partition, bucket), objectsArn(partition, bucket)],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

/** What Mimir does with its buckets: list, read, write and delete objects (compactor, retention), abort uploads. */
export const BUCKET_ACTIONS = ["s3:ListBucket"] as const;
export const OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"] as const;
/**
 * What the role may never do to Mimir's buckets, denied explicitly so that no
 * other policy attached to the role can grant it: delete a bucket, change or
 * remove its policy, ACL, public access block, encryption, ownership,
 * versioning, lifecycle or Object Lock settings, or delete an object version
 * for good. `s3:DeleteObject` (which Mimir's compactor needs) stays allowed:
 * on a versioned bucket it only adds a delete marker, and the previous version
 * stays recoverable until the lifecycle expires it.
 */
export const DENIED_BUCKET_ACTIONS = [
  "s3:DeleteBucket",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:PutBucketAcl",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutEncryptionConfiguration",
  "s3:PutBucketOwnershipControls",
  "s3:PutBucketVersioning",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketObjectLockConfiguration",
  "s3:DeleteObjectVersion",
  "s3:BypassGovernanceRetention",
] as const;

/** SSE-KMS: read encrypted objects, encrypt new ones. */
export const KMS_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"] as const;

/**
 * The key is usable only by S3 in the environment's region (`kms:ViaService`) and only for Mimir's buckets
 * (`kms:EncryptionContext:aws:s3:arn`, the context S3 sends: the bucket ARN with an S3 Bucket Key, which the stack
 * turns on, the object ARN without one, e.g. existing buckets or objects written before the bucket key).
 */
function kmsConditions(region: string, partition: string, buckets: readonly string[]): Record<string, Record<string, unknown>> {
  const suffix = partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
  return {
    StringEquals: { "kms:ViaService": `s3.${region}.${suffix}` },
    StringLike: { "kms:EncryptionContext:aws:s3:arn": buckets.flatMap((b) => [bucketArn(partition, b), objectsArn(partition, b)]) },
  };
}

/** Least privilege for Mimir: exactly its buckets (and its key, through S3 for those buckets only), nothing else. */
export function mimirStoragePolicy(storage: Pick<Storage, "buckets" | "kmsKeyArn" | "partition"> & { readonly region: string }): PolicyDocument {
  const buckets = STORES.map((s: Store) => storage.buckets[s]);
  const statements: PolicyStatement[] = [
    { Sid: "MimirListBuckets", Effect: "Allow", Action: [...BUCKET_ACTIONS], Resource: buckets.map((b) => bucketArn(storage.partition, b)) },
    { Sid: "MimirObjects", Effect: "Allow", Action: [...OBJECT_ACTIONS], Resource: buckets.map((b) => objectsArn(storage.partition, b)) },
    { Sid: "MimirNeverAdministersBuckets", Effect: "Deny", Action: [...DENIED_BUCKET_ACTIONS], Resource: buckets.flatMap((b) => [bucketArn(storage.partition, b), objectsArn(storage.partition, b)]) },
  ];
  if (storage.kmsKeyArn) statements.push({ Sid: "MimirBucketKey", Effect: "Allow", Action: [...KMS_ACTIONS], Resource: storage.kmsKeyArn, Condition: kmsConditions(storage.region, storage.partition, buckets) });
  return { Version: "2012-10-17", Statement: statements };
}

/** IRSA: only this service account, through the cluster's OIDC provider, for STS. */
export function irsaTrustPolicy(oidcProviderArn: string, oidcIssuer: string, namespace: string, serviceAccount: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "MimirServiceAccountViaIrsa",
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${oidcIssuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            [`${oidcIssuer}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
  };
}

/**
 * EKS Pod Identity: the EKS auth service assumes the role and tags the
 * session; the tags it sets (cluster, namespace, service account) restrict the
 * role to Mimir's service account even if someone associates it elsewhere.
 */
export function podIdentityTrustPolicy(clusterName: string, namespace: string, serviceAccount: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "MimirServiceAccountViaPodIdentity",
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:RequestTag/eks-cluster-name": clusterName,
            "aws:RequestTag/kubernetes-namespace": namespace,
            "aws:RequestTag/kubernetes-service-account": serviceAccount,
          },
        },
      },
    ],
  };
}
