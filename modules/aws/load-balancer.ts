import { Construct } from "constructs";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import type { PortContract } from "../contract/port-contract";
import { ProblemList } from "../contract/problems";
import { recordContractUse } from "../contract/contract-hook";

export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface MimirLoadBalancerProps {
  readonly contract: PortContract;
  /** Load balancer and target group name (at most 32 characters). */
  readonly name: string;
  readonly type: "application" | "network";
  readonly internal: boolean;
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** ACM certificate for the TLS listener: required. */
  readonly certificateArn: string;
  /** Default ELBSecurityPolicy-TLS13-1-2-2021-06. */
  readonly sslPolicy?: string;
  /** Plain-HTTP listener that only redirects to HTTPS (application only). Default true for ALB. */
  readonly httpRedirect?: boolean;
  readonly deletionProtection: boolean;
  readonly accessLogsBucket?: string;
  /**
   * What the target group sends traffic to. `mimir`: Mimir's HTTP entry pods
   * (gateway or monolithic), on the contract's http port, health `GET /ready`.
   * `ingress-controller`: a controller on its own port and health path.
   */
  readonly target:
    | { readonly kind: "mimir"; readonly port?: number }
    | { readonly kind: "ingress-controller"; readonly port: number; readonly protocol: "HTTP" | "HTTPS"; readonly healthCheckPath: string };
  readonly env?: string;
}

/**
 * The only way in: a TLS listener on the public https port, an optional HTTP
 * listener whose only action is a 301 to HTTPS, and one IP target group. No
 * listener ever uses an internal contract port.
 */
export class MimirLoadBalancer extends Construct {
  readonly lb: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly httpsListener: LbListener;
  readonly redirectListener?: LbListener;
  readonly targetPort: number;

  constructor(scope: Construct, id: string, props: MimirLoadBalancerProps) {
    super(scope, id);
    const { contract } = props;
    recordContractUse(this, { contract });
    const alb = props.type === "application";
    const problems = new ProblemList(props.env);
    if (typeof props.certificateArn !== "string" || props.certificateArn.trim() === "") {
      problems.add("certificateArn", props.certificateArn, "is required: the HTTPS/TLS listener cannot start without a certificate", "pass an ACM certificate ARN (the reference app reads TF_VAR_certificate_arn)");
    }
    if (props.name.length > 32 || !/^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(props.name)) {
      problems.add("name", props.name, "must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen (an AWS load balancer name)", "use a shorter name, e.g. mimir-prod");
    }
    if (props.target.kind === "mimir" && props.target.port !== undefined && props.target.port !== contract.http.port) {
      problems.add("target.port", props.target.port, `is not the contract's http port ${contract.http.port}; Mimir pods only listen there`, `omit target.port or set it to ${contract.http.port}`);
    }
    if (props.httpRedirect && !alb) {
      problems.add("httpRedirect", true, "needs an application load balancer", "remove httpRedirect or use type application");
    }
    const targetPort = props.target.kind === "mimir" ? contract.http.port : props.target.port;
    problems.throwIfAny();

    this.targetPort = targetPort;
    this.lb = new Lb(this, "lb", {
      name: props.name,
      loadBalancerType: props.type,
      internal: props.internal,
      subnets: props.subnetIds,
      securityGroups: props.securityGroupIds,
      enableDeletionProtection: props.deletionProtection,
      ...(alb ? { dropInvalidHeaderFields: true, desyncMitigationMode: "defensive" } : {}),
      ...(props.accessLogsBucket ? { accessLogs: { bucket: props.accessLogsBucket, prefix: props.name, enabled: true } } : {}),
    });

    const targetsMimir = props.target.kind === "mimir";
    const targetProtocol = targetsMimir ? "HTTP" : (props.target as { protocol: "HTTP" | "HTTPS" }).protocol;
    this.targetGroup = new LbTargetGroup(this, "targets", {
      // A port change (e.g. a new contract http port) replaces the target group while
      // the listener still uses it: a generated name and create-before-destroy let
      // Terraform create the new one, repoint the listener, then delete the old one.
      namePrefix: "mimir-",
      tags: { Name: props.name },
      lifecycle: { createBeforeDestroy: true },
      port: targetPort,
      // NLB passes TCP (or TLS to an HTTPS controller); ALB speaks HTTP(S) to its targets.
      protocol: alb ? targetProtocol : targetProtocol === "HTTPS" ? "TLS" : "TCP",
      targetType: "ip",
      vpcId: props.vpcId,
      healthCheck: {
        enabled: true,
        path: targetsMimir ? "/ready" : (props.target as { healthCheckPath: string }).healthCheckPath,
        port: "traffic-port",
        protocol: targetProtocol,
        matcher: "200",
      },
    });

    this.httpsListener = new LbListener(this, "https", {
      loadBalancerArn: this.lb.arn,
      port: contract.public.https,
      protocol: alb ? "HTTPS" : "TLS",
      sslPolicy: props.sslPolicy ?? DEFAULT_SSL_POLICY,
      certificateArn: props.certificateArn,
      defaultAction: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
    });
    if (alb && (props.httpRedirect ?? true)) {
      this.redirectListener = new LbListener(this, "http-redirect", {
        loadBalancerArn: this.lb.arn,
        port: contract.public.httpRedirect,
        protocol: "HTTP",
        defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: String(contract.public.https), statusCode: "HTTP_301" } }],
      });
    }
  }
}
