import { Construct } from "constructs";
import { S3Bucket } from "../platform/aws";
import { S3BucketLifecycleConfiguration } from "../platform/aws";
import { S3BucketOwnershipControls } from "../platform/aws";
import { S3BucketPolicy } from "../platform/aws";
import { S3BucketPublicAccessBlock } from "../platform/aws";
import { S3BucketServerSideEncryptionConfigurationA } from "../platform/aws";
import { S3BucketVersioningA } from "../platform/aws";
import { denyInsecureTransport } from "./policies";
import { DEFAULT_NONCURRENT_VERSION_DAYS } from "../config/storage";

export interface MimirBucketProps {
  readonly name: string;
  readonly partition: string;
  /** SSE-KMS with this key; SSE-S3 (AES256) without. */
  readonly kmsKeyArn?: string;
  /** Terraform refuses to destroy the bucket (production-like environments). */
  readonly preventDestroy?: boolean;
  /** Days after which incomplete multipart uploads are aborted. */
  readonly abortIncompleteUploadsAfterDays?: number;
  /** Days a deleted or overwritten object's previous version is kept (the recovery window). */
  readonly noncurrentVersionDays?: number;
}

/** Default: a week, long past any upload Mimir's compactor or ingesters leave behind. */
export const ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS = 7;


/**
 * One hardened bucket: public access blocked (all four settings), owner
 * enforced (ACLs off), default encryption, TLS-only bucket policy,
 * versioning (a delete or overwrite keeps the previous version, so an object
 * the role deletes stays recoverable for `noncurrentVersionDays`), and a
 * lifecycle that aborts incomplete multipart uploads, expires noncurrent
 * versions after the recovery window and removes delete markers left alone.
 */
export class MimirBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  readonly lifecycle: S3BucketLifecycleConfiguration;

  constructor(scope: Construct, id: string, props: MimirBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.name,
      forceDestroy: false,
      ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
    });
    const bucket = this.bucket.id;
    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [
        props.kmsKeyArn
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });
    // After the public access block: S3 rejects concurrent changes to one bucket's policy settings.
    new S3BucketPolicy(this, "tls-only", { bucket, policy: JSON.stringify(denyInsecureTransport(props.partition, props.name)), dependsOn: [publicAccess] });
    this.versioning = new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    // After versioning (the provider's advice): a noncurrent-version rule on an unversioned bucket would do nothing.
    this.lifecycle = new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      dependsOn: [this.versioning],
      rule: [
        {
          id: "abort-incomplete-multipart-uploads",
          status: "Enabled",
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteUploadsAfterDays ?? ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS }],
        },
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? DEFAULT_NONCURRENT_VERSION_DAYS }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
      ],
    });
  }
}
