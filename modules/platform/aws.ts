/**
 * The seam to @cdktf/provider-aws: every import of it in this library goes through this file,
 * so moving to CDK Terrain (cdktn) or another provider build is a change here only (docs/library.md, "CDK Terrain").
 * Provider classes are re-exported from their deep paths: a barrel import costs seconds per run.
 */
export { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
export { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
export { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
export { IamRole } from "@cdktf/provider-aws/lib/iam-role";
export { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
export { Lb } from "@cdktf/provider-aws/lib/lb";
export { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
export type { LbListenerDefaultAction, LbListenerMutualAuthentication } from "@cdktf/provider-aws/lib/lb-listener";
export { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
export type { LbListenerRuleAction } from "@cdktf/provider-aws/lib/lb-listener-rule";
export { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
export { LbTrustStore } from "@cdktf/provider-aws/lib/lb-trust-store";
export { LbTrustStoreRevocation } from "@cdktf/provider-aws/lib/lb-trust-store-revocation";
export { AwsProvider } from "@cdktf/provider-aws/lib/provider";
export { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
export { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
export { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
export { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
export { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
export { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
export { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
export { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
export { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
export { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
export { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
export { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
