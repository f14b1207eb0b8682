import type { Construct } from "constructs";
import type { Environment } from "../config/environment";
import { ProblemList } from "../contract/problems";
import { commonLabels, releaseSelector } from "../kubernetes/naming";
import { MimirSecurityGroupPolicy } from "./pod-security-group";

/** Whether the environment's pod security group attachment needs the cluster security group as an input. */
export function needsClusterSecurityGroup(env: Pick<Environment, "podSecurityGroups">): boolean {
  return env.podSecurityGroups.mode === "security-group-policy";
}

/**
 * Attach the members security group to Mimir's pods, so it never exists
 * without a user:
 * - `security-group-policy`: a SecurityGroupPolicy selecting the release's
 *   pods with the members group, the cluster group (CoreDNS and the kubelet's
 *   probes reach pods through it) and any additional groups.
 * - `node-group`: nothing to attach. The pods use their nodes' groups, and the
 *   members rules were written on the node group's group (MimirAwsEdge), so
 *   no separate members group exists. Returns undefined.
 */
export function attachMembersGroup(
  scope: Construct,
  id: string,
  props: { readonly environment: Environment; readonly namespace: string; readonly membersGroupId: string; readonly clusterSecurityGroupId?: string },
): MimirSecurityGroupPolicy | undefined {
  const env = props.environment;
  const settings = env.podSecurityGroups;
  if (settings.mode === "node-group") return undefined;
  const problems = new ProblemList(env.name);
  if (!props.clusterSecurityGroupId) {
    problems.add("inputs.clusterSecurityGroupId", props.clusterSecurityGroupId, "is required by podSecurityGroups.mode security-group-policy: pods with their own groups reach CoreDNS and answer kubelet probes through the cluster group", "pass the cluster security group id (TF_VAR_cluster_security_group_id)");
  }
  problems.throwIfAny();
  return new MimirSecurityGroupPolicy(scope, id, {
    env: env.name,
    name: `${env.fullname}-members`,
    namespace: props.namespace,
    podSelector: releaseSelector(env.release),
    securityGroupIds: [props.membersGroupId, props.clusterSecurityGroupId as string, ...settings.additionalGroupIds],
    labels: commonLabels(env),
  });
}
