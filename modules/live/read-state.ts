/** One reader, two ways in: the offline files, or the live APIs (read-only) producing the same JSON. */
import { readAwsDirs } from "./aws-files";
import { KUBE_SHOWS, readKubeFiles } from "./kube-files";
import type { ApiObject, AwsState, LiveState, Missing } from "./live-state";
import { readKubeLive } from "./kube-live";
import { readAwsLive } from "./aws-live";

export interface ReadOptions {
  readonly kube?: readonly string[];
  readonly aws?: readonly string[];
  readonly kubeContext?: string;
  /** The kubeconfig file for --kube-context (default: $KUBECONFIG, then ~/.kube/config). */
  readonly kubeconfig?: string;
  readonly region?: string;
}

export async function readLiveState(o: ReadOptions): Promise<LiveState> {
  const missing: Missing[] = [];
  const from: string[] = [];
  let kube: ApiObject[] = [];
  let aws: AwsState | undefined;
  if (o.kube !== undefined) {
    const read = readKubeFiles(o.kube);
    kube = read.objects;
    missing.push(...read.missing);
    from.push(...o.kube.map((f) => `--kube ${f}`));
  } else if (o.kubeContext !== undefined) {
    const read = await readKubeLive(o.kubeContext, o.kubeconfig);
    kube = read.objects;
    missing.push(...read.missing);
    from.push(`context ${o.kubeContext}`);
  } else {
    missing.push({ source: "Kubernetes (no --kube FILE or --kube-context NAME)", shows: KUBE_SHOWS });
  }
  if (o.aws !== undefined) {
    const read = readAwsDirs(o.aws);
    aws = read.aws;
    missing.push(...read.missing);
    from.push(...o.aws.map((d) => `--aws ${d}`));
  } else if (o.region !== undefined) {
    const read = await readAwsLive(o.region);
    aws = read.aws;
    missing.push(...read.missing);
    from.push(`region ${o.region}`);
  } else {
    missing.push({ source: "AWS (no --aws DIR or --region R)", shows: "security groups and their rules, network interfaces, load balancers, listeners, rules and target groups" });
  }
  return { kube, aws, missing, from };
}
