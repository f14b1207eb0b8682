import type { Environment } from "./environment-types";

/**
 * Mimir's own guards, set from the environment in both the chart values
 * (`mimir.structuredConfig`) and the monolithic workload's config. Keys are
 * Mimir's (pkg/util/validation/limits.go, dskit memberlist KV config):
 *
 *  - `memberlist.cluster_label`: every gossip packet and stream carries it;
 *    with `cluster_label_verification_disabled: false` (Mimir's default,
 *    written so a merged value cannot silently turn it off) a member of another
 *    cluster, or anything speaking memberlist on the port, is discarded.
 *  - `limits.alertmanager_receivers_firewall_block_private_addresses` and
 *    `limits.alertmanager_receivers_firewall_block_cidr_networks` (flags
 *    `-alertmanager.receivers-firewall-block-*`): limits, i.e. the default of
 *    every tenant (a runtime override per tenant can change them). The CIDR list
 *    is one comma-separated string (dskit flagext.CIDRSliceCSV).
 *  - `limits.compactor_blocks_retention_period`: how long the compactor keeps
 *    blocks (storage.blocksRetention; "0" forever).
 */

/**
 * Receivers may never reach these, whatever "private" means to Mimir's
 * firewall: IPv4 link-local (the EC2 instance metadata service 169.254.169.254,
 * the EKS Pod Identity agent 169.254.170.23, the VPC DNS 169.254.169.253),
 * IPv6 link-local, and the IPv6 metadata / Pod Identity addresses (fd00:ec2::254, fd00:ec2::23).
 */
export const RECEIVER_BLOCKED_CIDRS = ["169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128", "fd00:ec2::23/128"] as const;

/** The memberlist cluster label of an environment: unique per environment, namespace and release. */
export function clusterLabel(env: Pick<Environment, "name" | "namespace" | "fullname">): string {
  return `${env.name}.${env.namespace}.${env.fullname}`;
}

/** The guard settings as a Mimir config fragment (merged into structuredConfig or the monolithic config). */
export function mimirGuardConfig(env: Pick<Environment, "name" | "namespace" | "fullname" | "storage">): Record<string, unknown> {
  return {
    memberlist: { cluster_label: clusterLabel(env), cluster_label_verification_disabled: false },
    limits: {
      alertmanager_receivers_firewall_block_private_addresses: true,
      alertmanager_receivers_firewall_block_cidr_networks: RECEIVER_BLOCKED_CIDRS.join(","),
      ...(env.storage ? { compactor_blocks_retention_period: env.storage.blocksRetention } : {}),
    },
  };
}
