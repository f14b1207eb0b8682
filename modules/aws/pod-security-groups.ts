import type { Construct } from "constructs";
import type { Environment } from "../config/environment";
import type { ProblemList } from "../contract/problems";
import { Token } from "../platform/cdktf";
import { commonLabels, releaseSelector } from "../kubernetes/naming";
import { MimirSecurityGroupPolicy } from "./pod-security-group";
import type { AccountInputs } from "../config/account-inputs";
import { dataPlanePodSelector } from "../kubernetes/data-plane/mimir-data-plane";
import { awsId } from "../config/checks/aws-facts";

const SECURITY_GROUP_ID = awsId("sg");

/** Whether the environment's pod security group attachment needs the nodes' security group as an input. */
export function needsNodeSecurityGroup(env: Pick<Environment, "podSecurityGroups">): boolean {
  return env.podSecurityGroups.mode === "security-group-policy";
}

/** @deprecated the cluster group is no longer attached to Mimir's pods; see needsNodeSecurityGroup. */
export const needsClusterSecurityGroup = needsNodeSecurityGroup;

/**
 * The nodes' security group for the dedicated pods group (security-group-policy
 * mode): `inputs.nodeSecurityGroupId`, else `inputs.clusterSecurityGroupId`
 * (on EKS managed node groups the nodes carry the cluster group). Checked
 * when it is a literal; a Terraform variable checks its own format.
 */
export function nodeSecurityGroupOf(env: Environment, inputs: AccountInputs, problems: ProblemList): string | undefined {
  if (!needsNodeSecurityGroup(env)) return undefined;
  const id = inputs.nodeSecurityGroupId ?? inputs.clusterSecurityGroupId;
  const field = inputs.nodeSecurityGroupId !== undefined ? "inputs.nodeSecurityGroupId" : "inputs.clusterSecurityGroupId";
  if (id === undefined || id === "") {
    problems.add("inputs.nodeSecurityGroupId", id, "is required by podSecurityGroups.mode security-group-policy: Mimir's dedicated pods group admits the kubelet's probes from the nodes' group and sends DNS to it", "pass the security group of the nodes that run Mimir (TF_VAR_node_security_group_id; on managed node groups the cluster security group)");
  } else if (typeof id !== "string" || (!Token.isUnresolved(id) && !SECURITY_GROUP_ID.test(id))) {
    problems.add(field, id, "is not a security group id", "use the nodes' group id, e.g. sg-0123456789abcdef0");
  }
  return id;
}

/**
 * Attach the members security group to Mimir's pods, so it never exists
 * without a user:
 * - `security-group-policy`: a SecurityGroupPolicy selecting the release's
 *   pods with the members group, the dedicated pods group (kubelet probes and
 *   DNS; never the EKS cluster group, which admits everything from itself)
 *   and any additional groups.
 * - `node-group`: nothing to attach. The pods use their nodes' groups, and the
 *   members rules were written on the node group's group (MimirAwsEdge), so
 *   no separate members group exists. Returns undefined.
 */
export function attachMembersGroup(
  scope: Construct,
  id: string,
  props: { readonly environment: Environment; readonly namespace: string; readonly membersGroupId: string; readonly podsGroupId?: string },
): MimirSecurityGroupPolicy | undefined {
  const env = props.environment;
  const settings = env.podSecurityGroups;
  if (settings.mode === "node-group") return undefined;
  if (!props.podsGroupId) throw new Error("attachMembersGroup: security-group-policy mode needs the pods group (MimirSecurityGroups `pods`)");
  return new MimirSecurityGroupPolicy(scope, id, {
    env: env.name,
    name: `${env.fullname}-members`,
    namespace: props.namespace,
    podSelector: releaseSelector(env.release),
    securityGroupIds: [props.membersGroupId, props.podsGroupId, ...settings.additionalGroupIds],
    labels: commonLabels(env),
  });
}

/**
 * The proxies of the Gateway the stack creates get a security group of their own: a SecurityGroupPolicy in the
 * data plane's namespace selecting that Gateway's owning labels (`gateway.envoyproxy.io/owning-gateway-name` /
 * `-namespace`, plus `entry.dataPlane.podLabels`), so no other proxy, pod or node carries it.
 */
export function attachDataPlaneGroup(scope: Construct, id: string, props: { readonly environment: Environment; readonly groupId: string }): MimirSecurityGroupPolicy {
  const env = props.environment;
  const dp = env.entry.dataPlane!;
  return new MimirSecurityGroupPolicy(scope, id, {
    env: env.name,
    name: `${env.fullname}-${env.namespace}-data-plane`,
    namespace: dp.namespace,
    podSelector: dataPlanePodSelector(env, env.namespace),
    securityGroupIds: [props.groupId],
    labels: commonLabels(env),
  });
}
