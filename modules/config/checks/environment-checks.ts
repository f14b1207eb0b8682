import { canonicalCidr } from "../../contract/cidr";
import type { PortContract } from "../../contract/port-contract";
import type { ProblemList } from "../../contract/problems";
import { HEADLESS_COMPONENTS, type Component } from "../components";
import type { ParsedEnvironment } from "../schema";
import { wafAclArn } from "./arns";
import { LOAD_BALANCER_NAME_MAX, SECURITY_GROUP_RULES_QUOTA, TAGS_PER_RESOURCE } from "./aws-facts";

/** Tags every stack sets on its AWS resources (provider default tags) besides the user's. */
export const DEFAULT_TAG_KEYS = ["app.kubernetes.io/part-of", "environment"] as const;

/** The AWS load balancer name of an environment: `<fullname>-<env>`, cut to 32 characters (see aws/mimir-aws-edge.ts `edgeName`). */
export function loadBalancerName(fullname: string, envName: string): string {
  return `${fullname}-${envName}`.slice(0, LOAD_BALANCER_NAME_MAX).replace(/-+$/, "");
}

/** Names of Kubernetes Services the chart (or we, with external ownership) create for this release. */
export function serviceNames(fullname: string, components: readonly Component[], monolithic: boolean): string[] {
  if (monolithic) return [fullname, `${fullname}-headless`, `${fullname}-gossip-ring`];
  return [
    `${fullname}-gateway`,
    `${fullname}-gossip-ring`,
    ...components.map((c) => `${fullname}-${c}`),
    ...components.filter((c) => HEADLESS_COMPONENTS.includes(c)).map((c) => `${fullname}-${c}-headless`),
  ];
}

type Env = ParsedEnvironment & { readonly serviceOwnership: "helm" | "external" };

/** The same network written twice in one list (after normalising, e.g. 2001:db8::/32 and 2001:0db8:0::/32). */
function duplicateCidrs(problems: ProblemList, field: string, list: readonly string[]): void {
  const seen = new Map<string, number>();
  list.forEach((cidr, i) => {
    const key = canonicalCidr(cidr);
    if (key === undefined) return;
    const first = seen.get(key);
    if (first !== undefined) {
      const same = list[first] === cidr ? "is listed twice" : `is the same network as ${field}[${first}] (${list[first]}), written differently`;
      problems.add(`${field}[${i}]`, cidr, `${same}; AWS refuses duplicate security group rules`, `remove ${field}[${i}]`);
    } else {
      seen.set(key, i);
    }
  });
}

function duplicateIds(problems: ProblemList, field: string, list: readonly string[]): void {
  list.forEach((id, i) => {
    const first = list.indexOf(id);
    if (first !== i) problems.add(`${field}[${i}]`, id, `is listed twice (also ${field}[${first}]); AWS refuses duplicate security group rules`, `remove ${field}[${i}]`);
  });
}

const family = (cidr: string) => (cidr.includes(":") ? "IPv6" : "IPv4");

/** Security group rules per group, per direction and address family, against AWS's default quota. */
function ruleQuotas(problems: ProblemList, e: Env, contract: PortContract | undefined): void {
  const lb = e.loadBalancer;
  const listenerPorts = lb.type === "application" && (lb.redirectHttp ?? true) ? 2 : 1;
  const prefixLists = lb.allowedPrefixListIds.length;
  for (const fam of ["IPv4", "IPv6"] as const) {
    const cidrs = lb.allowedCidrs.filter((c) => family(c) === fam).length;
    const rules = (cidrs + prefixLists) * listenerPorts;
    if (cidrs > 0 && rules > SECURITY_GROUP_RULES_QUOTA) {
      problems.add(
        "loadBalancer.allowedCidrs",
        `${cidrs} ${fam} CIDRs`,
        `would put ${rules} ${fam} inbound rules on the load balancer's security group (${cidrs} CIDRs${prefixLists ? ` + ${prefixLists} prefix lists` : ""} × ${listenerPorts} listener port(s)); AWS allows ${SECURITY_GROUP_RULES_QUOTA} per group by default`,
        `merge the CIDRs into fewer, larger ranges (at most ${Math.floor(SECURITY_GROUP_RULES_QUOTA / listenerPorts) - prefixLists}), or put them in a managed prefix list and use loadBalancer.allowedPrefixListIds`,
      );
    }
  }
  if (!contract) return;
  // The members group: every members-only port from itself, plus http from the load balancer / controllers / monitoring.
  const sgRefs = contract.membersOnly.length + (lb.target.kind === "mimir" ? 1 : 0) + (lb.target.kind === "ingress-controller" ? 1 : 0);
  const monitoring = e.monitoring?.securityGroupIds.length ?? 0;
  if (sgRefs + monitoring > SECURITY_GROUP_RULES_QUOTA) {
    problems.add(
      "monitoring.securityGroupIds",
      `${monitoring} security groups`,
      `would put ${sgRefs + monitoring} inbound rules on Mimir's members security group (${sgRefs} for the contract + ${monitoring} monitoring groups); AWS allows ${SECURITY_GROUP_RULES_QUOTA} per group by default`,
      `list at most ${SECURITY_GROUP_RULES_QUOTA - sgRefs} monitoring groups, e.g. one shared group for all scrapers`,
    );
  }
  const storage = e.objectStorage.cidrs ?? [];
  for (const fam of ["IPv4", "IPv6"] as const) {
    const n = storage.filter((c) => family(c) === fam).length;
    if (n > 0 && contract.membersOnly.length + n > SECURITY_GROUP_RULES_QUOTA) {
      problems.add("objectStorage.cidrs", `${n} ${fam} CIDRs`, `would put ${contract.membersOnly.length + n} ${fam} outbound rules on Mimir's members security group; AWS allows ${SECURITY_GROUP_RULES_QUOTA} per group by default`, "use the region's S3 prefix list (leave objectStorage unset) or fewer, larger ranges");
    }
  }
}

/**
 * Checks of one environment that need several fields or the rules of the
 * receiving system: duplicates, quotas, derived names, the WAF ARN's region,
 * the host used for URLs and DNS.
 */
export function checkEnvironment(problems: ProblemList, e: Env, contract: PortContract | undefined, components: readonly Component[], fullname: string): void {
  const lb = e.loadBalancer;
  duplicateCidrs(problems, "loadBalancer.allowedCidrs", lb.allowedCidrs);
  duplicateCidrs(problems, "networkPolicy.loadBalancerCidrs", e.networkPolicy.loadBalancerCidrs);
  duplicateCidrs(problems, "loadBalancer.subnetCidrs", lb.subnetCidrs);
  if (e.objectStorage.cidrs) duplicateCidrs(problems, "objectStorage.cidrs", e.objectStorage.cidrs);
  if (e.objectStorage.cidrs?.length === 0) problems.add("objectStorage.cidrs", [], "is empty, so Mimir could not reach object storage (no HTTPS egress)", "list the object storage CIDRs, or leave objectStorage unset for the region's S3 prefix list");
  duplicateIds(problems, "loadBalancer.allowedPrefixListIds", lb.allowedPrefixListIds);
  if (e.monitoring) duplicateIds(problems, "monitoring.securityGroupIds", e.monitoring.securityGroupIds);
  ruleQuotas(problems, e, contract);

  // Names derived from several settings, after every prefix and truncation.
  const lbName = loadBalancerName(fullname, e.name);
  if (lbName.startsWith("internal-")) {
    problems.add("release", e.release, `makes the load balancer name ${JSON.stringify(lbName)}, and AWS refuses load balancer names starting with "internal-"`, "choose a release name that does not start with internal-, e.g. mimir");
  }
  const longest = serviceNames(fullname, components, e.deploymentMode === "monolithic").reduce((a, b) => (b.length > a.length ? b : a), "");
  if (longest.length > 63) {
    problems.add("release", e.release, `makes the Kubernetes Service name ${JSON.stringify(longest)} (${longest.length} characters); Service names allow at most 63`, `shorten the release to at most ${e.release.length - (longest.length - 63)} characters`);
  }
  const stateKey = `${e.state.keyPrefix}/${e.name}/terraform.tfstate`;
  if (Buffer.byteLength(stateKey) > 1024) problems.add("state.keyPrefix", e.state.keyPrefix, `makes the state key ${Buffer.byteLength(stateKey)} bytes; S3 keys allow at most 1024`, "shorten state.keyPrefix");

  // The first host builds the output URLs and the Route 53 alias: it must be one concrete name.
  const hosts = e.ingress?.hosts ?? [];
  if (hosts[0]?.startsWith("*.")) {
    problems.add("ingress.hosts[0]", hosts[0], `is a wildcard, but the first host builds remote_write_url and query_url${e.dns ? " and the Route 53 alias record" : ""}`, `put a concrete host first, e.g. ${JSON.stringify(hosts[0].replace(/^\*/, "mimir"))}, and keep the wildcard after it`);
  }
  hosts.forEach((h, i) => {
    const first = hosts.indexOf(h);
    if (first !== i) problems.add(`ingress.hosts[${i}]`, h, `is listed twice (also ingress.hosts[${first}])`, `remove ingress.hosts[${i}]`);
  });

  if (e.wafAclArn !== undefined) {
    const why = wafAclArn(e.wafAclArn, e.region);
    if (why) problems.add("wafAclArn", e.wafAclArn, why.rule, why.fix);
  }

  const userTags = Object.keys(e.tags);
  const total = new Set([...DEFAULT_TAG_KEYS, ...userTags]).size;
  if (total > TAGS_PER_RESOURCE) {
    problems.add("tags", `${userTags.length} tags`, `gives every AWS resource ${total} tags (with the ${DEFAULT_TAG_KEYS.length} this stack sets); AWS allows ${TAGS_PER_RESOURCE}`, `keep at most ${TAGS_PER_RESOURCE - DEFAULT_TAG_KEYS.length} tags`);
  }

  const acks = new Map<string, number>();
  e.acknowledgements.forEach((a, i) => {
    const key = `${a.rule} ${a.resource.trim()}`;
    const first = acks.get(key);
    if (first !== undefined) problems.add(`acknowledgements[${i}]`, { rule: a.rule, resource: a.resource }, `repeats acknowledgements[${first}] (same rule and resource)`, `remove acknowledgements[${i}] or merge the reasons`);
    else acks.set(key, i);
  });
}

/**
 * Checks across environments: two environments must not map to the same
 * AWS load balancer name in one region (names are cut to 32 characters).
 */
export function checkAcrossEnvironments(envs: ReadonlyArray<{ readonly name: string; readonly region: string; readonly fullname: string }>): Array<{ env: string; field: string; value: unknown; rule: string; fix: string }> {
  const out: Array<{ env: string; field: string; value: unknown; rule: string; fix: string }> = [];
  const seen = new Map<string, string>();
  for (const e of envs) {
    const lbName = loadBalancerName(e.fullname, e.name);
    const key = `${e.region} ${lbName}`;
    const other = seen.get(key);
    if (other !== undefined && other !== e.name) {
      out.push({
        env: e.name,
        field: "name",
        value: e.name,
        rule: `gives the load balancer the name ${JSON.stringify(lbName)} (<fullname>-<name> cut to ${LOAD_BALANCER_NAME_MAX} characters), the same as environment ${JSON.stringify(other)} in ${e.region}`,
        fix: `make the two names differ within the first ${Math.max(1, LOAD_BALANCER_NAME_MAX - e.fullname.length - 1)} characters, or shorten the release`,
      });
    } else if (other === undefined) {
      seen.set(key, e.name);
    }
  }
  return out;
}
