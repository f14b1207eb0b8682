/**
 * What a change risks, in words a reviewer acts on. A table meant to be
 * extended (a new resource type is a new row, not new logic):
 *  - RISK_RULES: per resource type and action (create, update, replace,
 *    destroy), optionally per changed attribute, a level and a sentence;
 *  - moving a contract port is judged in migration.ts (phases of a port migration, one-step moves).
 */
import type { ExposureModel } from "../exposure/model";

export type RiskLevel = "critical" | "high" | "medium" | "low";
export const RISK_LEVELS: readonly RiskLevel[] = ["critical", "high", "medium", "low"];
export const riskRank = (l: RiskLevel) => RISK_LEVELS.length - RISK_LEVELS.indexOf(l);

export type ChangeAction = "create" | "update" | "replace" | "destroy";

/** One resource's change between base and head (or in a plan). */
export interface ResourceChange {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  readonly action: ChangeAction;
  /** Top-level attributes that differ (update, replace); empty when unknown (plans). */
  readonly attributes: readonly string[];
  readonly before?: Readonly<Record<string, unknown>>;
  readonly after?: Readonly<Record<string, unknown>>;
}

/** What the rules may look at besides the change: the base and head models of its stack. */
export interface RiskContext {
  readonly base?: ExposureModel;
  readonly head?: ExposureModel;
}

export interface RiskRule {
  readonly types: readonly string[];
  readonly actions: readonly ChangeAction[];
  /** Only when one of these attributes changed. */
  readonly attributes?: readonly string[];
  readonly when?: (change: ResourceChange, context: RiskContext) => boolean;
  readonly level: RiskLevel;
  /** Rules sharing a group: only the first that matches a change applies. */
  readonly group?: string;
  readonly says: (change: ResourceChange) => string;
}

export interface Risk {
  readonly level: RiskLevel;
  readonly stack: string;
  readonly address: string;
  readonly says: string;
}

export const LOAD_BALANCER_TYPES = ["aws_lb", "aws_alb"];
export const LISTENER_TYPES = ["aws_lb_listener", "aws_alb_listener"];
export const TARGET_GROUP_TYPES = ["aws_lb_target_group", "aws_alb_target_group"];
export const SECURITY_GROUP_TYPES = ["aws_security_group"];
/** Where Mimir keeps its blocks, rules and alertmanager state. */
export const STORAGE_TYPES = ["aws_s3_bucket"];

/** Is this address the group Mimir members use to reach each other (a self rule on grpc or memberlist)? */
export function isMembersGroup(address: string, model: ExposureModel | undefined): boolean {
  if (!model) return false;
  const { grpc, memberlist } = model.contract.ports;
  return model.sgRules.some((r) => r.group === address && r.direction === "ingress" && r.peer.kind === "self" && [grpc, memberlist].some((p) => r.fromPort <= p && p <= r.toPort));
}

const becomesPublic = (c: ResourceChange) => c.after?.internal === false && c.before?.internal !== false;

const SG_RULE_TYPES = ["aws_vpc_security_group_ingress_rule", "aws_security_group_rule"];
/** An ingress rule of the head that lets addresses (a CIDR or prefix list) reach one of the load balancers' groups. */
function loadBalancerSourceRule(c: ResourceChange, ctx: RiskContext) {
  const m = ctx.head;
  const rule = m?.sgRules.find((r) => r.resource.address === c.address && !r.inline && r.direction === "ingress");
  if (!m || !rule || (rule.peer.kind !== "cidr" && rule.peer.kind !== "prefix-list")) return undefined;
  return m.loadBalancers.some((lb) => lb.securityGroups.map(m.graph.ref).includes(m.graph.ref(rule.group))) ? rule : undefined;
}

export const RISK_RULES: readonly RiskRule[] = [
  {
    types: STORAGE_TYPES,
    actions: ["destroy", "replace"],
    level: "critical",
    says: (c) => `object storage \`${c.address}\` is ${c.action === "destroy" ? "destroyed" : "replaced"}: Mimir's blocks, rules or alertmanager state stored in it are lost`,
  },
  {
    types: SECURITY_GROUP_TYPES,
    actions: ["destroy", "replace"],
    when: (c, ctx) => isMembersGroup(c.address, ctx.base ?? ctx.head),
    level: "critical",
    group: "security-group",
    says: (c) => `the Mimir members security group is ${c.action === "destroy" ? "destroyed" : "replaced"}: pods and nodes attached to the old group lose grpc, memberlist and http between members (the ring breaks) until they are attached to the new one`,
  },
  {
    types: SECURITY_GROUP_TYPES,
    actions: ["destroy", "replace"],
    level: "high",
    group: "security-group",
    says: (c) => `security group \`${c.address}\` is ${c.action === "destroy" ? "destroyed" : "replaced"}: whatever references the old group id loses its rules`,
  },
  {
    types: LOAD_BALANCER_TYPES,
    actions: ["update", "replace", "create"],
    when: becomesPublic,
    level: "high",
    says: () => "the load balancer becomes internet-facing: anyone on the internet the allowed CIDRs admit can reach Mimir's entry",
  },
  {
    types: LOAD_BALANCER_TYPES,
    actions: ["replace", "destroy"],
    level: "high",
    says: (c) => (c.action === "destroy" ? "the load balancer is destroyed: Mimir's entry and its DNS name disappear, clients break" : "the load balancer is replaced: its DNS name changes, clients and DNS records that use the old name break until they follow"),
  },
  {
    // Who may reach the entry widens (e.g. a CIDR added to loadBalancer.allowedCidrs): within the contract, so no finding.
    types: SG_RULE_TYPES,
    actions: ["create", "update", "replace"],
    when: (c, ctx) => loadBalancerSourceRule(c, ctx) !== undefined,
    level: "medium",
    says: (c) => `\`${c.address}\` lets ${String(c.after?.cidr_ipv4 ?? c.after?.prefix_list_id ?? (Array.isArray(c.after?.cidr_blocks) ? (c.after!.cidr_blocks as string[]).join(", ") : "new sources"))} reach the load balancer on port ${String(c.after?.from_port ?? "?")}: more clients can try to authenticate at Mimir's entry`,
  },
  {
    types: LISTENER_TYPES,
    actions: ["destroy"],
    level: "high",
    says: (c) => `listener \`${c.address}\` is destroyed: traffic through it stops`,
  },
  {
    types: TARGET_GROUP_TYPES,
    actions: ["replace", "destroy"],
    level: "medium",
    says: (c) => `target group \`${c.address}\` is ${c.action === "destroy" ? "destroyed" : "replaced"}: targets re-register, expect a short burst of errors`,
  },
  {
    types: LISTENER_TYPES,
    actions: ["replace"],
    level: "medium",
    says: (c) => `listener \`${c.address}\` is replaced: connections drop while it is recreated`,
  },
];

/** Every risk of one change, one per rule group. */
export function risksOf(change: ResourceChange, context: RiskContext, rules: readonly RiskRule[] = RISK_RULES): Risk[] {
  const out: Risk[] = [];
  const groups = new Set<string>();
  for (const rule of rules) {
    if (!rule.types.includes(change.type) || !rule.actions.includes(change.action)) continue;
    if (rule.attributes && !rule.attributes.some((a) => change.attributes.includes(a))) continue;
    if (rule.group && groups.has(rule.group)) continue;
    if (rule.when && !rule.when(change, context)) continue;
    if (rule.group) groups.add(rule.group);
    out.push({ level: rule.level, stack: change.stack, address: change.address, says: rule.says(change) });
  }
  return out;
}
