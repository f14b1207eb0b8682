import { Construct } from "constructs";
import { TerraformOutput } from "../platform/cdktf";
import { EksPodIdentityAssociation } from "../platform/aws";
import { IamRole } from "../platform/aws";
import { IamRolePolicy } from "../platform/aws";
import type { Environment } from "../config/environment";
import { STORES, type Storage, type Store } from "../config/storage";
import { ConfigError } from "../contract/problems";
import { MimirBucket } from "./bucket";
import { irsaTrustPolicy, mimirStoragePolicy, podIdentityTrustPolicy } from "./policies";

export interface MimirStorageProps {
  readonly environment: Environment;
  /** Mimir's namespace (a token when created in the same stack). Default: the environment's. */
  readonly namespace?: string;
}

/**
 * One environment's object storage on S3: the three buckets (hardened, or
 * existing ones), the IAM role Mimir's pods assume with least privilege on
 * exactly those buckets (and the KMS key), and the way the pods get it:
 * IRSA (the chart's service account carries the role ARN, see
 * modules/helm/storage-values.ts) or an EKS Pod Identity association.
 */
export class MimirStorage extends Construct {
  readonly storage: Storage;
  readonly buckets: Partial<Record<Store, MimirBucket>> = {};
  readonly role?: IamRole;
  readonly rolePolicy?: IamRolePolicy;
  readonly podIdentityAssociation?: EksPodIdentityAssociation;
  /** The role's ARN (a token when the stack creates the role). */
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: MimirStorageProps) {
    super(scope, id);
    const env = props.environment;
    if (!env.storage) {
      throw new ConfigError([{ env: env.name, field: "storage", value: undefined, rule: "is missing, so there is no bucket to create", fix: "add storage { buckets, irsa or podIdentity } to the environment" }]);
    }
    const storage = (this.storage = env.storage);
    // The namespace as a plain string for policies: trust conditions are compared by AWS, not resolved by Terraform.
    const namespace = env.namespace;

    if (storage.createBuckets) {
      for (const store of STORES) {
        this.buckets[store] = new MimirBucket(this, store, { name: storage.buckets[store], partition: storage.partition, kmsKeyArn: storage.kmsKeyArn, preventDestroy: env.productionLike, noncurrentVersionDays: storage.noncurrentVersionDays });
      }
    }

    if (storage.role.create) {
      const identity = storage.identity;
      const trust =
        identity.kind === "pod-identity"
          ? podIdentityTrustPolicy(identity.clusterName, namespace, storage.serviceAccount)
          : irsaTrustPolicy(identity.oidcProviderArn as string, identity.oidcIssuer as string, namespace, storage.serviceAccount);
      this.role = new IamRole(this, "role", {
        name: storage.role.name,
        description: `Mimir ${env.name}: object storage for ${namespace}/${storage.serviceAccount}`,
        assumeRolePolicy: JSON.stringify(trust),
        // IRSA: the chart values carry the ARN derived at synth time (the OIDC provider's account); apply stops if AWS disagrees.
        ...(identity.kind === "irsa" && storage.role.arn
          ? { lifecycle: { postcondition: [{ condition: `\${self.arn == "${storage.role.arn}"}`, errorMessage: `The storage role's ARN is not ${storage.role.arn}, the ARN Mimir's service account is annotated with: deploy into the OIDC provider's account.` }] } }
          : {}),
      });
      this.rolePolicy = new IamRolePolicy(this, "role-policy", { name: "mimir-object-storage", role: this.role.id, policy: JSON.stringify(mimirStoragePolicy({ ...storage, region: env.region })) });
      this.roleArn = this.role.arn;
    } else {
      this.roleArn = storage.role.arn;
    }

    if (storage.identity.kind === "pod-identity") {
      this.podIdentityAssociation = new EksPodIdentityAssociation(this, "pod-identity", {
        clusterName: storage.identity.clusterName,
        namespace: props.namespace ?? namespace,
        serviceAccount: storage.serviceAccount,
        roleArn: this.roleArn,
      });
    }

    new TerraformOutput(this, "storage_role_arn", { value: this.roleArn, description: "IAM role Mimir's pods assume for object storage" }).overrideLogicalId("storage_role_arn");
  }
}
