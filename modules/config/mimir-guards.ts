import type { Environment } from "./environment-types";
import type { Problem } from "../contract/problems";
import { getPath } from "../shared/objects";

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

const LIMITS = ["mimir", "structuredConfig", "limits"] as const;
const MEMBERLIST = ["mimir", "structuredConfig", "memberlist"] as const;

/**
 * User chart values that would take a guard away: refused (problems), or
 * allowed with a warning (turning cluster-label verification off is the
 * documented first step of a label migration on a live cluster).
 */
export function guardValueProblems(env: { readonly name: string; readonly hasStorage: boolean }, user: unknown): { problems: Problem[]; warnings: string[] } {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const at = (path: readonly string[]) => `helm.values.${path.join(".")}`;
  const add = (path: readonly string[], value: unknown, rule: string, fix: string) => problems.push({ env: env.name, field: at(path), value, rule, fix });
  const privatePath = [...LIMITS, "alertmanager_receivers_firewall_block_private_addresses"];
  const cidrPath = [...LIMITS, "alertmanager_receivers_firewall_block_cidr_networks"];
  const retentionPath = [...LIMITS, "compactor_blocks_retention_period"];
  const labelPath = [...MEMBERLIST, "cluster_label"];
  const verificationPath = [...MEMBERLIST, "cluster_label_verification_disabled"];
  const blockPrivate = getPath(user, privatePath);
  if (blockPrivate !== undefined && blockPrivate !== true) {
    add(privatePath, blockPrivate, "would let Alertmanager receivers (webhooks a tenant configures) call private and internal addresses", "remove it; to allow one internal receiver, run it behind a public address or use a per-tenant runtime override on purpose");
  }
  const cidrs = getPath(user, cidrPath);
  if (cidrs !== undefined) {
    const listed = typeof cidrs === "string" ? cidrs.split(",").map((c) => c.trim()) : [];
    const missing = RECEIVER_BLOCKED_CIDRS.filter((c) => !listed.includes(c));
    if (missing.length > 0) add(cidrPath, cidrs, `drops ${missing.join(", ")} from the networks Alertmanager receivers may never reach (instance metadata and link-local)`, `remove it, or write one comma-separated string that keeps ${RECEIVER_BLOCKED_CIDRS.join(",")}`);
  }
  if (getPath(user, retentionPath) !== undefined) {
    add(retentionPath, getPath(user, retentionPath), env.hasStorage ? "is set by storage.blocksRetention" : "is set by storage.blocksRetention, and this environment has no storage", "remove it and set storage.blocksRetention instead (docs/storage.md)");
  }
  const label = getPath(user, labelPath);
  if (label !== undefined) add(labelPath, label, "is set per environment by the stack, so members of another cluster cannot join this ring", "remove it");
  if (getPath(user, verificationPath) === true) {
    warnings.push(`${at(verificationPath)} is true: members of another cluster can join this ring. Use it only while rolling out the cluster label on a live cluster, then remove it.`);
  }
  return { problems, warnings };
}
