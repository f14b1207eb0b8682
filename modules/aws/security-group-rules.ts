import { Construct } from "constructs";
import { TerraformStack } from "../platform/cdktf";
import { PortContract, type InternalPortName } from "../contract/port-contract";
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

/**
 * The rule-table port for a contract port: named `grpc` on Mimir's default
 * number, `grpc_9096` on any other. A rule's identity is its port number, so a
 * port transition never rewrites a rule in place: phase 1 creates the new
 * number's rules beside the old ones, phase 3 only destroys the old ones (AWS
 * refuses two identical rules in a group, and rewriting one while removing the
 * other would leave a moment with neither).
 */
export function contractRulePort(name: InternalPortName, port: number): { readonly name: string; readonly port: number } {
  return { name: port === PortContract.DEFAULT_PORTS[name] ? name : `${name}_${port}`, port };
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

/** `grpc_9096` → `grpc`: the id the rule had before port numbers named it (library versions before transitions). */
const unnumbered = (row: RuleRow): string | undefined => {
  const m = /^(http|grpc|memberlist)_\d+$/.exec(row.port.name);
  return m ? ruleId({ ...row, port: { name: m[1], port: row.port.port } }) : undefined;
};

/** Write every row as a per-rule resource (never inline blocks), TCP unless the row says udp. */
export function writeRules(scope: Construct, securityGroupId: string, rows: readonly RuleRow[]): void {
  const ids = new Set(rows.map(ruleId));
  const movedFrom = new Set<string>();
  for (const row of rows) {
    const config = {
      securityGroupId,
      ipProtocol: row.protocol ?? "tcp",
      fromPort: row.port.port,
      toPort: row.port.port,
      description: ruleDescription(row),
      ...peerFields(row.peer),
    };
    const rule = row.direction === "ingress" ? new VpcSecurityGroupIngressRule(scope, ruleId(row), config) : new VpcSecurityGroupEgressRule(scope, ruleId(row), config);
    // A non-default port's rule used to be unnumbered (`ingress_http_from_members` on 8081): a moved block
    // renames that state instead of replacing the rule, once, when nothing here still uses the old id.
    const old = unnumbered(row);
    if (old && !ids.has(old) && !movedFrom.has(old)) {
      movedFrom.add(old);
      const probe = new Construct(scope, old);
      rule.moveFromId(`${rule.terraformResourceType}.${TerraformStack.of(scope).getLogicalId(probe.node)}`);
    }
  }
}
