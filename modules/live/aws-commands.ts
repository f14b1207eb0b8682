/**
 * The AWS reads verify needs, one per API call: the file the offline reader
 * takes (named after the CLI command), the response field holding the list,
 * and what a missing file hides. The live reader issues the same calls.
 */
import type { AwsState } from "./live-state";

export interface AwsRead {
  /** `ec2 describe-security-groups` */
  readonly command: string;
  /** File name in `--aws DIR` (without `.json`). */
  readonly file: string;
  /** The response field that lists the items (`SecurityGroups`). */
  readonly field: string;
  readonly key: Exclude<keyof AwsState, "targetHealth">;
  readonly shows: string;
  readonly optional?: boolean;
  /** One call per load balancer (listeners) or listener (rules): any number of files `<file>.<anything>.json`. */
  readonly perParent?: boolean;
}

export const AWS_READS: readonly AwsRead[] = [
  { command: "ec2 describe-security-groups", file: "ec2-describe-security-groups", field: "SecurityGroups", key: "securityGroups", shows: "the security groups (names, tags) that guard Mimir's pods and load balancers" },
  { command: "ec2 describe-security-group-rules", file: "ec2-describe-security-group-rules", field: "SecurityGroupRules", key: "securityGroupRules", shows: "every security group rule (who reaches which port), including rules added outside Terraform" },
  { command: "ec2 describe-network-interfaces", file: "ec2-describe-network-interfaces", field: "NetworkInterfaces", key: "networkInterfaces", shows: "who carries which security group (pods' branch ENIs, nodes, instances, load balancers, Lambdas)" },
  { command: "elbv2 describe-load-balancers", file: "elbv2-describe-load-balancers", field: "LoadBalancers", key: "loadBalancers", shows: "the load balancers (scheme, security groups), including those a controller made" },
  { command: "elbv2 describe-listeners", file: "elbv2-describe-listeners", field: "Listeners", key: "listeners", shows: "the load balancers' listeners (ports, protocols, default actions)", perParent: true },
  { command: "elbv2 describe-rules", file: "elbv2-describe-rules", field: "Rules", key: "rules", shows: "the listener rules (paths forwarded to which target group)", perParent: true },
  { command: "elbv2 describe-target-groups", file: "elbv2-describe-target-groups", field: "TargetGroups", key: "targetGroups", shows: "the target groups (ports, health checks)" },
  { command: "elbv2 describe-trust-stores", file: "elbv2-describe-trust-stores", field: "TrustStores", key: "trustStores", shows: "the trust stores of mutual TLS listeners", optional: true },
];

export const TARGET_HEALTH = { command: "elbv2 describe-target-health", file: "elbv2-describe-target-health", field: "TargetHealthDescriptions", shows: "the targets registered in target group" } as const;
