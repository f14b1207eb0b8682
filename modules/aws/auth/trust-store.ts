import { Construct } from "constructs";
import { LbTrustStore } from "../../platform/aws";
import { LbTrustStoreRevocation } from "../../platform/aws";
import type { S3Object } from "../../config/auth";

export interface MimirTrustStoreProps {
  /** Trust store name (at most 32 letters, digits or hyphens). */
  readonly name: string;
  /** PEM bundle of the CAs that sign client certificates. */
  readonly caBundle: S3Object;
  /** Certificate revocation lists in S3. */
  readonly revocations?: readonly S3Object[];
}

/**
 * The CAs an ALB listener trusts for mutual TLS: an `aws_lb_trust_store`
 * built from a CA bundle in S3, plus one `aws_lb_trust_store_revocation` per
 * revocation list. Nothing secret: CA certificates and CRLs are public.
 */
export class MimirTrustStore extends Construct {
  readonly trustStore: LbTrustStore;
  readonly revocations: LbTrustStoreRevocation[];

  constructor(scope: Construct, id: string, props: MimirTrustStoreProps) {
    super(scope, id);
    const ca = props.caBundle;
    this.trustStore = new LbTrustStore(this, "trust-store", {
      name: props.name,
      caCertificatesBundleS3Bucket: ca.bucket,
      caCertificatesBundleS3Key: ca.key,
      ...(ca.objectVersion ? { caCertificatesBundleS3ObjectVersion: ca.objectVersion } : {}),
    });
    this.revocations = (props.revocations ?? []).map(
      (crl, i) =>
        new LbTrustStoreRevocation(this, `revocation-${i}`, {
          trustStoreArn: this.trustStore.arn,
          revocationsS3Bucket: crl.bucket,
          revocationsS3Key: crl.key,
          ...(crl.objectVersion ? { revocationsS3ObjectVersion: crl.objectVersion } : {}),
        }),
    );
  }

  get arn(): string {
    return this.trustStore.arn;
  }
}
