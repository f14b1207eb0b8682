import { TerraformVariable } from "../platform/cdktf";
import type { Construct } from "constructs";
import type { AccountInputs } from "../config/account-inputs";
import { awsId } from "../config/checks/aws-facts";

export type { AccountInputs } from "../config/account-inputs";

/**
 * A condition in Terraform JSON: a string there is a template, so an
 * expression must be wrapped in `${...}` (a bare `can(...)` would be a string,
 * not a bool).
 */
const expression = (hcl: string) => `\${${hcl}}`;

/** A string variable whose format Terraform checks before planning. */
function checkedString(scope: Construct, name: string, description: string, pattern: string, looksLike: string): TerraformVariable {
  return new TerraformVariable(scope, name, {
    type: "string",
    description: `${description} (TF_VAR_${name}).`,
    validation: [{ condition: expression(`can(regex("${pattern}", var.${name}))`), errorMessage: `${name} must look like ${looksLike}.` }],
  });
}

/** Terraform variables, with validation blocks where Terraform can check the format. */
export function accountInputsFromVariables(
  scope: Construct,
  options: {
    readonly clusterSecurityGroup: boolean;
    readonly nodeSecurityGroup?: boolean;
    /**
     * The kube context: `given` (the environment names it, no variable) or `required` (a variable with no default
     * that Terraform refuses empty). Never the file's current context, in any stage.
     * @default "required"
     */
    readonly kubeContext?: { readonly given: string } | "required";
  },
): AccountInputs {
  const vpc = checkedString(scope, "vpc_id", "VPC id for the load balancer and Mimir security groups", "^vpc-[0-9a-f]{8,17}$", "vpc-0123456789abcdef0");
  const subnets = new TerraformVariable(scope, "subnet_ids", {
    type: "list(string)",
    description: "Subnets for the load balancer, at least two AZs (TF_VAR_subnet_ids='[\"subnet-...\",\"subnet-...\"]').",
    validation: [
      {
        condition: expression('length(var.subnet_ids) >= 2 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])'),
        errorMessage: "subnet_ids must list at least two ids like subnet-0123456789abcdef0.",
      },
    ],
  });
  const cert = checkedString(scope, "certificate_arn", "ACM certificate ARN for the TLS listener", "^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", "arn:aws:acm:<region>:<account>:certificate/<id>");
  const kubeconfig = new TerraformVariable(scope, "kubeconfig_path", {
    type: "string",
    default: "~/.kube/config",
    description: "Kubeconfig for the kubernetes and helm providers (TF_VAR_kubeconfig_path).",
  });
  const contextMode = options.kubeContext ?? "required";
  const context =
    typeof contextMode === "object"
      ? undefined
      : new TerraformVariable(scope, "kube_context", {
          type: "string",
          description: "Kubeconfig context of this environment's cluster; required, never the file's current context (TF_VAR_kube_context).",
          validation: [{ condition: expression('length(trimspace(var.kube_context)) > 0'), errorMessage: "kube_context must name the kubeconfig context of this environment's cluster (kubectl config get-contexts); an empty context would use whichever cluster is current." }],
        });
  const clusterSg = options.clusterSecurityGroup
    ? checkedString(scope, "cluster_security_group_id", "Security group of the cluster nodes/pods running the ingress controller", awsId("sg").source, "sg-0123456789abcdef0")
    : undefined;
  const nodeSg = options.nodeSecurityGroup
    ? checkedString(scope, "node_security_group_id", "Security group of the nodes running Mimir's pods (kubelet probes, CoreDNS; on managed node groups the cluster security group)", awsId("sg").source, "sg-0123456789abcdef0")
    : undefined;
  return {
    ...(clusterSg ? { clusterSecurityGroupId: clusterSg.stringValue } : {}),
    ...(nodeSg ? { nodeSecurityGroupId: nodeSg.stringValue } : {}),
    vpcId: vpc.stringValue,
    subnetIds: subnets.listValue,
    certificateArn: cert.stringValue,
    kubeconfigPath: kubeconfig.stringValue,
    kubeContext: context ? context.stringValue : (contextMode as { given: string }).given,
  };
}
