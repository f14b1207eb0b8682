/**
 * Where AWS puts a security group on something (issue 30, item 2): whatever carries Mimir's members group is a
 * member, by any attachment. Each entry reads the groups one resource type places on its network interfaces.
 * An unknown type whose attribute places a group is read by `placedGroups` (MP015: never silence).
 */
import { list, strings } from "../readers/json";
import type { TfResource } from "../terraform-json";

export interface Attachment {
  /** What carries the group, as printed. */
  readonly who: (r: TfResource) => string;
  readonly groups: (r: TfResource) => string[];
}

const vpcConfig = (r: TfResource) => list(r.values.vpc_config).flatMap((c) => strings(c.security_group_ids));

export const ATTACHMENTS: Readonly<Record<string, Attachment>> = {
  aws_instance: { who: (r) => `EC2 instance ${r.address}`, groups: (r) => [...strings(r.values.vpc_security_group_ids), ...strings(r.values.security_groups)] },
  aws_launch_template: { who: (r) => `nodes launched from ${r.address} (and every pod on them without its own group)`, groups: (r) => [...strings(r.values.vpc_security_group_ids), ...strings(r.values.security_group_names), ...list(r.values.network_interfaces).flatMap((n) => strings(n.security_groups))] },
  aws_launch_configuration: { who: (r) => `instances launched from ${r.address}`, groups: (r) => strings(r.values.security_groups) },
  aws_network_interface: { who: (r) => (typeof r.values.owner === "string" ? `${r.address} (${r.values.owner})` : `whatever uses network interface ${r.address}`), groups: (r) => strings(r.values.security_groups) },
  aws_network_interface_sg_attachment: { who: (r) => `network interface ${String(r.values.network_interface_id ?? "?")} (attached by ${r.address})`, groups: (r) => strings(r.values.security_group_id) },
  aws_lambda_function: { who: (r) => `Lambda function ${r.address} (vpc_config)`, groups: vpcConfig },
  aws_ecs_service: { who: (r) => `ECS tasks of ${r.address}`, groups: (r) => list(r.values.network_configuration).flatMap((c) => strings(c.security_groups)) },
  aws_ecs_task_set: { who: (r) => `ECS tasks of ${r.address}`, groups: (r) => list(r.values.network_configuration).flatMap((c) => strings(c.security_groups)) },
  aws_batch_compute_environment: { who: (r) => `Batch instances of ${r.address}`, groups: (r) => list(r.values.compute_resources).flatMap((c) => strings(c.security_group_ids)) },
  aws_sagemaker_notebook_instance: { who: (r) => `notebook instance ${r.address}`, groups: (r) => strings(r.values.security_groups) },
  aws_db_instance: { who: (r) => `database ${r.address}`, groups: (r) => strings(r.values.vpc_security_group_ids) },
  aws_vpc_endpoint: { who: (r) => `VPC endpoint ${r.address} (its network interfaces)`, groups: (r) => strings(r.values.security_group_ids) },
};

/** Types that name groups without placing them on anything (rules reference peers; groups define themselves). */
const NOT_PLACING = /^aws_(security_group|security_group_rule|vpc_security_group_(ingress|egress)_rule|default_security_group)$/;
/** Attribute names that place a group on the resource's interfaces (not `source_`/`referenced_` peers). */
const PLACES = /^(?!source_|referenced_)([a-z_]*_)?security_group(s|_ids?|_names?)?$/;

/** Groups an unknown resource type places (attributes named like security groups, two levels deep). */
export function placedGroups(r: TfResource): string[] {
  if (NOT_PLACING.test(r.type) || !r.type.startsWith("aws_")) return [];
  const out: string[] = [];
  const visit = (o: Record<string, unknown>, depth: number) => {
    for (const [k, v] of Object.entries(o)) {
      if (PLACES.test(k)) out.push(...strings(v));
      else if (depth < 2 && v !== null && typeof v === "object") for (const x of Array.isArray(v) ? v : [v]) if (x && typeof x === "object" && !Array.isArray(x)) visit(x as Record<string, unknown>, depth + 1);
    }
  };
  visit(r.values, 0);
  return out;
}
