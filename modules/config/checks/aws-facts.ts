/**
 * Lists and limits of AWS that environment values are checked against, so a
 * mistake fails at synth instead of at `terraform plan` or apply. Update them
 * here when AWS adds a region or a TLS policy.
 */

/**
 * AWS regions by partition. Sources: aws-sdk-js-v3
 * packages/util-endpoints/src/lib/aws/partitions.json, plus the regions the
 * "AWS Region billing codes" page lists since (ap-east-2 Taipei,
 * ap-southeast-6 New Zealand):
 * https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-region-billing-codes.html
 */
export const AWS_REGIONS: Readonly<Record<string, readonly string[]>> = {
  aws: [
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
    "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
    "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  ],
  "aws-cn": ["cn-north-1", "cn-northwest-1"],
  "aws-us-gov": ["us-gov-east-1", "us-gov-west-1"],
  "aws-iso": ["us-iso-east-1", "us-iso-west-1"],
  "aws-iso-b": ["us-isob-east-1"],
  "aws-iso-e": ["eu-isoe-west-1"],
  "aws-iso-f": ["us-isof-east-1", "us-isof-south-1"],
  "aws-eusc": ["eusc-de-east-1"],
};

/** The partition of a region (`aws`, `aws-cn`, ...), or undefined for an unknown region. */
export function partitionOf(region: string): string | undefined {
  return Object.keys(AWS_REGIONS).find((p) => AWS_REGIONS[p].includes(region));
}

/**
 * ELB security policies for HTTPS (ALB) and TLS (NLB) listeners. Sources:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 * and the same list in aws-cdk-lib's `SslPolicy` enum
 * (packages/aws-cdk-lib/aws-elasticloadbalancingv2/lib/shared/enums.ts).
 */
export const ELB_SSL_POLICIES: readonly string[] = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
  "ELBSecurityPolicy-TLS13-1-1-2021-06",
  "ELBSecurityPolicy-TLS13-1-0-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-1-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
  "ELBSecurityPolicy-FS-1-2-Res-2019-08",
  "ELBSecurityPolicy-FS-1-2-2019-08",
  "ELBSecurityPolicy-FS-1-1-2019-08",
  "ELBSecurityPolicy-FS-2018-06",
  "ELBSecurityPolicy-TLS-1-2-2017-01",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
  "ELBSecurityPolicy-TLS-1-1-2017-01",
  "ELBSecurityPolicy-2016-08",
  "ELBSecurityPolicy-2015-05",
  "ELBSecurityPolicy-TLS-1-0-2015-04",
];

/**
 * The TLS listeners' default policy: TLS 1.3 and 1.2, restricted ("Res") to AEAD ciphers (AES-GCM, ChaCha20-Poly1305),
 * so no CBC cipher; it is also the console's default for new NLB TLS listeners
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html).
 */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";

/**
 * Default quota "Inbound or outbound rules per security group": 60, counted
 * separately for IPv4 and IPv6; a rule that references a security group
 * counts against both, one that references a prefix list counts as the list's
 * maximum entries (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html).
 */
export const SECURITY_GROUP_RULES_QUOTA = 60;

/** Load balancer names: 1-32 letters, digits and hyphens, no leading/trailing hyphen, not starting with "internal-". */
export const LOAD_BALANCER_NAME_MAX = 32;

/** At most 50 user tags per AWS resource; keys 1-128, values 0-256 characters. */
export const TAGS_PER_RESOURCE = 50;
export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;

/** ELB policy names whose minimum is TLS 1.2 or newer: TLS13-1-2 / TLS13-1-3 / TLS-1-2 / FS-1-2 allow nothing below 1.2 (TLS13-1-0, TLS13-1-1 do). */
/** An EC2 resource id: `sg-…`, `pl-…`, with 8 or 17 hex digits (the short and long id formats). */
export const awsId = (prefix: "sg" | "pl") => new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`);

export const TLS12_PLUS = /(TLS13-1-[23]|TLS-1-[23]|FS-1-2)(-|$)/;
