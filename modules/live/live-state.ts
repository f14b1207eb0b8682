/**
 * The live state of one environment, as the APIs return it: Kubernetes objects
 * (each with apiVersion and kind, as in a `kubectl get -A -o json` List) and
 * AWS descriptions (the EC2 and ELBv2 responses, field names as the API has them).
 * Offline files and the live clients both produce this; one reader reads it.
 */
export type ApiObject = Record<string, any>;

/** What one AWS read returned, keyed by the response field that holds the list. */
export interface AwsState {
  readonly securityGroups?: readonly ApiObject[];
  readonly securityGroupRules?: readonly ApiObject[];
  readonly networkInterfaces?: readonly ApiObject[];
  readonly loadBalancers?: readonly ApiObject[];
  readonly listeners?: readonly ApiObject[];
  readonly rules?: readonly ApiObject[];
  readonly targetGroups?: readonly ApiObject[];
  /** DescribeTargetHealth per target group name (the output does not name its group). */
  readonly targetHealth?: Readonly<Record<string, readonly ApiObject[]>>;
  readonly trustStores?: readonly ApiObject[];
}

/** A part of the state that could not be read: what it would have shown. Never read as "nothing there". */
export interface Missing {
  readonly source: string;
  readonly shows: string;
}

export interface LiveState {
  readonly kube: readonly ApiObject[];
  /** Absent: no AWS state given (the AWS side is unknown). */
  readonly aws?: AwsState;
  readonly missing: readonly Missing[];
  /** Where it came from, for reports: `--kube FILE`, `--aws DIR`, `context NAME`, `region R`. */
  readonly from: readonly string[];
}
