/**
 * `--region R`: the same reads the offline files hold, with the AWS SDK v3 clients (EC2, ELBv2), every
 * call a Describe, paginated and bounded. Credentials come from the SDK's default chain (environment,
 * profile, SSO, instance or pod role). `AWS_ENDPOINT_URL` points the clients elsewhere (a test double).
 */
import { InputError } from "../exposure/terraform-json";
import { AWS_READS, TARGET_HEALTH } from "./aws-commands";
import type { ApiObject, AwsState, Missing } from "./live-state";
import { optionalPeer } from "./optional-peer";

/** At most this many pages per call (each up to the API's page size). */
const MAX_PAGES = 100;

async function pages<T>(paginator: AsyncIterable<T>, field: keyof T): Promise<ApiObject[]> {
  const out: ApiObject[] = [];
  let n = 0;
  for await (const page of paginator) {
    out.push(...(((page[field] as unknown as ApiObject[] | undefined) ?? []) as ApiObject[]));
    if (++n >= MAX_PAGES) break;
  }
  return out;
}

export async function readAwsLive(region: string): Promise<{ aws: AwsState; missing: Missing[] }> {
  const ec2 = await optionalPeer(() => import("@aws-sdk/client-ec2"), "@aws-sdk/client-ec2", "--region");
  const elb = await optionalPeer(() => import("@aws-sdk/client-elastic-load-balancing-v2"), "@aws-sdk/client-elastic-load-balancing-v2", "--region");
  const e = new ec2.EC2Client({ region, maxAttempts: 3 });
  const l = new elb.ElasticLoadBalancingV2Client({ region, maxAttempts: 3 });
  const missing: Missing[] = [];
  const shows = (key: string) => AWS_READS.find((a) => a.key === key)!.shows;
  /** A read that fails (AccessDenied, throttled out) is missing, so unknown; a credentials problem stops verify. */
  const read = async (key: string, call: () => Promise<ApiObject[]>): Promise<ApiObject[] | undefined> => {
    try {
      return await call();
    } catch (err) {
      const name = (err as Error).name;
      if (name === "CredentialsProviderError" || /credential/i.test((err as Error).message)) throw new InputError(`--region ${region}: no AWS credentials (${(err as Error).message.split("\n")[0]})`);
      missing.push({ source: `region ${region}: ${AWS_READS.find((a) => a.key === key)?.command ?? key} (${name}: ${(err as Error).message.split("\n")[0]})`, shows: shows(key) });
      return undefined;
    }
  };
  try {
    const securityGroups = await read("securityGroups", () => pages(ec2.paginateDescribeSecurityGroups({ client: e }, {}), "SecurityGroups"));
    const securityGroupRules = await read("securityGroupRules", () => pages(ec2.paginateDescribeSecurityGroupRules({ client: e }, {}), "SecurityGroupRules"));
    const networkInterfaces = await read("networkInterfaces", () => pages(ec2.paginateDescribeNetworkInterfaces({ client: e }, {}), "NetworkInterfaces"));
    const loadBalancers = await read("loadBalancers", () => pages(elb.paginateDescribeLoadBalancers({ client: l }, {}), "LoadBalancers"));
    const listeners = loadBalancers && (await read("listeners", async () => (await Promise.all(loadBalancers.map((lb) => pages(elb.paginateDescribeListeners({ client: l }, { LoadBalancerArn: lb.LoadBalancerArn }), "Listeners")))).flat()));
    const rules = listeners && (await read("rules", async () => (await Promise.all(listeners.map((x) => pages(elb.paginateDescribeRules({ client: l }, { ListenerArn: x.ListenerArn }), "Rules")))).flat()));
    const targetGroups = await read("targetGroups", () => pages(elb.paginateDescribeTargetGroups({ client: l }, {}), "TargetGroups"));
    const targetHealth: Record<string, ApiObject[]> = {};
    for (const tg of targetGroups ?? []) {
      try {
        const res = await l.send(new elb.DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }));
        targetHealth[String(tg.TargetGroupName)] = (res.TargetHealthDescriptions ?? []) as ApiObject[];
      } catch (err) {
        missing.push({ source: `region ${region}: ${TARGET_HEALTH.command} ${String(tg.TargetGroupName)} (${(err as Error).name})`, shows: `${TARGET_HEALTH.shows} ${String(tg.TargetGroupName)}` });
      }
    }
    // Trust stores are optional: a region without them, or a role without the permission, is not a blind spot of the graph.
    const trustStores = await pages(elb.paginateDescribeTrustStores({ client: l }, {}), "TrustStores").catch(() => undefined);
    const aws: AwsState = { securityGroups, securityGroupRules, networkInterfaces, loadBalancers, listeners, rules, targetGroups, targetHealth, trustStores };
    return { aws, missing };
  } finally {
    e.destroy();
    l.destroy();
  }
}
