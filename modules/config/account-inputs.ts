/**
 * Identifiers that only exist in the user's AWS account and cluster. A library
 * user may pass them directly (strings or tokens); the reference app leaves
 * them unset, and the stack reads them from Terraform variables, so synth
 * needs no credentials and `cdktf deploy` needs only `TF_VAR_*` values.
 */
export interface AccountInputs {
  /** VPC that holds the load balancer and the Mimir security groups. */
  readonly vpcId: string;
  /** Subnets for the load balancer (at least two, in different AZs). */
  readonly subnetIds: string[];
  /** ACM certificate for the TLS listener. */
  readonly certificateArn: string;
  /** Kubeconfig file for the kubernetes and helm providers. */
  readonly kubeconfigPath: string;
  /** Kubeconfig context (empty: the file's current context). */
  readonly kubeContext: string;
  /**
   * Security group of the cluster's nodes/pods where the ingress controller
   * runs. Needed only when the load balancer targets an ingress controller.
   */
  readonly clusterSecurityGroupId?: string;
  /**
   * Security group of the nodes that run Mimir's pods (kubelet probes come
   * from it, CoreDNS runs behind it; on EKS managed node groups the cluster
   * security group). Needed by podSecurityGroups.mode security-group-policy,
   * whose dedicated pods group admits it on the http port and sends DNS to it.
   * @default clusterSecurityGroupId
   */
  readonly nodeSecurityGroupId?: string;
}
