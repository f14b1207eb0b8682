import { Construct } from "constructs";
import { S3Bucket } from "../platform/aws";
import { S3BucketLifecycleConfiguration } from "../platform/aws";
import { S3BucketOwnershipControls } from "../platform/aws";
import { S3BucketPolicy } from "../platform/aws";
import { S3BucketPublicAccessBlock } from "../platform/aws";
import { S3BucketServerSideEncryptionConfigurationA } from "../platform/aws";
import { denyInsecureTransport } from "./policies";

export interface MimirBucketProps {
  readonly name: string;
  readonly partition: string;
  /** SSE-KMS with this key; SSE-S3 (AES256) without. */
  readonly kmsKeyArn?: string;
  /** Terraform refuses to destroy the bucket (production-like environments). */
  readonly preventDestroy?: boolean;
  /** Days after which incomplete multipart uploads are aborted. */
  readonly abortIncompleteUploadsAfterDays?: number;
}

/** Default: a week, long past any upload Mimir's compactor or ingesters leave behind. */
export const ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS = 7;

/**
 * One hardened bucket: public access blocked (all four settings), owner
 * enforced (ACLs off), default encryption, TLS-only bucket policy, and a
 * lifecycle rule that aborts incomplete multipart uploads.
 */
export class MimirBucket extends Construct {
  readonly bucket: S3Bucket;

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
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: "abort-incomplete-multipart-uploads",
          status: "Enabled",
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteUploadsAfterDays ?? ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS }],
        },
      ],
    });
  }
}
