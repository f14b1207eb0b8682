import { ACCOUNT_ID, type Check } from "./formats";
import { partitionOf } from "./aws-facts";

/** The parts of an ARN: arn:partition:service:region:account:resource. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(v: string): Arn | undefined {
  const parts = v.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  const [, partition, service, region, account, ...rest] = parts;
  return { partition, service, region, account, resource: rest.join(":") };
}

/**
 * A WAFv2 web ACL that can be associated with this environment's load
 * balancer: service `wafv2` (not classic `waf`/`waf-regional`), scope
 * `regional` (a `global` ACL is CloudFront's and cannot attach to an ALB),
 * the environment's region and partition, resource type `webacl`.
 */
export function wafAclArn(v: string, region: string): Check | undefined {
  const example = `arn:${partitionOf(region) ?? "aws"}:wafv2:${region}:111122223333:regional/webacl/<name>/<id>`;
  const arn = parseArn(v);
  if (!arn) return { rule: "is not an ARN", fix: `use the web ACL's ARN, ${example}` };
  if (arn.service === "waf" || arn.service === "waf-regional") return { rule: `is a classic AWS WAF (${arn.service}) ARN; only WAFv2 web ACLs attach through this setting`, fix: `migrate the ACL to WAFv2 and use its ARN, ${example}` };
  if (arn.service !== "wafv2") return { rule: `is an ARN of the ${arn.service || "(empty)"} service, not of a WAFv2 web ACL`, fix: `use the web ACL's ARN, ${example}` };
  const [scope, type, name, id, ...extra] = arn.resource.split("/");
  if (scope === "global") return { rule: "is a CloudFront-scope (global) web ACL, which cannot be associated with a load balancer", fix: `create the web ACL with scope REGIONAL in ${region} and use its ARN` };
  if (scope !== "regional") return { rule: `has scope ${JSON.stringify(scope)}; a load balancer takes a regional web ACL`, fix: `use ${example}` };
  if (type !== "webacl") return { rule: `names a WAFv2 ${type || "resource"}, not a web ACL`, fix: `use the web ACL's ARN, ${example}` };
  if (!name || !id || extra.length > 0 || !/^[\w-]{1,128}$/.test(name) || !/^[0-9a-f-]{1,36}$/.test(id)) return { rule: "has a malformed web ACL name or id", fix: `use ${example}` };
  if (arn.region !== region) return { rule: `is in region ${arn.region || "(empty)"}, but this environment's load balancer is in ${region}; a web ACL only attaches in its own region`, fix: `use a web ACL created in ${region}` };
  if (partitionOf(region) !== undefined && arn.partition !== partitionOf(region)) return { rule: `is in partition ${arn.partition}, but ${region} is in ${partitionOf(region)}`, fix: `use ${example}` };
  if (!ACCOUNT_ID.test(arn.account)) return { rule: `has account ${JSON.stringify(arn.account)}; an account id is 12 digits`, fix: `use ${example}` };
  return undefined;
}
