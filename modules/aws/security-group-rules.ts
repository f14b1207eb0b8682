import type { Construct } from "constructs";
import { VpcSecurityGroupEgressRule } from "../platform/aws";
import { VpcSecurityGroupIngressRule } from "../platform/aws";
import { peerFields, type Peer } from "./peer";

/** One row of a rule table (after terraform-aws-modules/security-group's rules.tf). */
export interface RuleRow {
  readonly direction: "ingress" | "egress";
  /** Port and its contract name, e.g. { name: "grpc", port: contract.grpc.port }. */
  readonly port: { readonly name: string; readonly port: number };
  readonly peer: Peer;
  /** Why the rule exists, e.g. "from mimir members". */
  readonly reason: string;
  /** @default "tcp" (DNS is the one udp row) */
  readonly protocol?: "tcp" | "udp";
}

/** A stable, readable Terraform id: `ingress_grpc_from_members`. */
export function ruleId(row: RuleRow): string {
  const peer = row.peer.label.replace(/[^a-zA-Z0-9]+/g, "_").replace(/^_|_$/g, "").toLowerCase();
  const udp = row.protocol === "udp" ? "_udp" : "";
  return `${row.direction}_${row.port.name}${udp}_${row.direction === "ingress" ? "from" : "to"}_${peer}`;
}

/** `mimir grpc <port>/tcp from mimir members`: names the contract port and the reason. */
export function ruleDescription(row: RuleRow): string {
  return `mimir ${row.port.name} ${row.port.port}/${row.protocol ?? "tcp"} ${row.reason}`;
}

/** Write every row as a per-rule resource (never inline blocks), TCP unless the row says udp. */
export function writeRules(scope: Construct, securityGroupId: string, rows: readonly RuleRow[]): void {
  for (const row of rows) {
    const config = {
      securityGroupId,
      ipProtocol: row.protocol ?? "tcp",
      fromPort: row.port.port,
      toPort: row.port.port,
      description: ruleDescription(row),
      ...peerFields(row.peer),
    };
    if (row.direction === "ingress") new VpcSecurityGroupIngressRule(scope, ruleId(row), config);
    else new VpcSecurityGroupEgressRule(scope, ruleId(row), config);
  }
}
