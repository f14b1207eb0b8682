import { Construct } from "constructs";
import { Manifest } from "../platform/kubernetes";
import { ProblemList } from "../contract/problems";

/** The VPC resource controller takes at most five groups per pod (GroupIds: MaxItems=5). */
export const MAX_POD_SECURITY_GROUPS = 5;

export interface MimirSecurityGroupPolicyProps {
  readonly name: string;
  readonly namespace: string;
  /** Labels of the pods that get the groups (Mimir's release: name + instance). */
  readonly podSelector: Readonly<Record<string, string>>;
  /** The members group first, then the dedicated pods group (kubelet probes, DNS; never the EKS cluster group) and any extras. */
  readonly securityGroupIds: readonly string[];
  readonly labels?: Record<string, string>;
  /** Environment name for error messages. */
  readonly env?: string;
}

/**
 * Attaches security groups to Mimir's pods: an EKS `SecurityGroupPolicy`
 * (`vpcresources.k8s.aws/v1beta1`, security groups for pods). Each selected
 * pod gets a branch network interface carrying exactly these groups, so the
 * members group's rules are what reach Mimir. Needs the Amazon VPC CNI with
 * `ENABLE_POD_ENI=true` on Nitro instances; pods started before the policy
 * keep their node's groups until they are recreated.
 */
export class MimirSecurityGroupPolicy extends Construct {
  readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: MimirSecurityGroupPolicyProps) {
    super(scope, id);
    const problems = new ProblemList(props.env);
    if (Object.keys(props.podSelector).length === 0) {
      problems.add("podSelector", props.podSelector, "is empty and would give every pod of the namespace Mimir's groups", "select Mimir's pods by app.kubernetes.io/name and app.kubernetes.io/instance");
    }
    if (props.securityGroupIds.length === 0 || props.securityGroupIds.length > MAX_POD_SECURITY_GROUPS) {
      problems.add("podSecurityGroups.additionalGroupIds", props.securityGroupIds.length, `gives Mimir's pods ${props.securityGroupIds.length} security groups; a SecurityGroupPolicy takes 1 to ${MAX_POD_SECURITY_GROUPS}`, "list fewer additional groups");
    }
    problems.throwIfAny();
    this.manifest = new Manifest(this, "policy", {
      manifest: {
        apiVersion: "vpcresources.k8s.aws/v1beta1",
        kind: "SecurityGroupPolicy",
        metadata: { name: props.name, namespace: props.namespace, labels: props.labels ?? {} },
        spec: {
          podSelector: { matchLabels: { ...props.podSelector } },
          securityGroups: { groupIds: [...props.securityGroupIds] },
        },
      },
    });
  }
}
