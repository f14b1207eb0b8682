import { Construct } from "constructs";
import { Lb } from "../platform/aws";
import { LbListener, type LbListenerDefaultAction, type LbListenerMutualAuthentication } from "../platform/aws";
import { LbTargetGroup } from "../platform/aws";
import type { LbListenerRuleAction } from "../platform/aws";
import type { PortContract } from "../contract/port-contract";
import { publicRoutes } from "../contract/public-api";
import { MimirListenerRules, type PathRoute } from "./listener-rules";
import { ProblemList } from "../contract/problems";
import { recordContractUse } from "../contract/contract-hook";

import { DEFAULT_SSL_POLICY } from "../config/checks/aws-facts";

export { DEFAULT_SSL_POLICY };

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
  /** Default ELBSecurityPolicy-TLS13-1-2-Res-2021-06 (no CBC cipher). */
  readonly sslPolicy?: string;
  /** ALB desync mitigation. Default strictest. */
  readonly desyncMitigationMode?: "strictest" | "defensive" | "monitor";
  /** ALB connection logs (TLS handshakes, client certificates with mutual TLS) to this bucket. */
  readonly connectionLogsBucket?: string;
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
  /**
   * ALB only: the request paths the HTTPS listener forwards (listener rules,
   * most specific first); everything else gets a fixed 404. Default: Mimir's
   * public API with the default groups (modules/contract/public-api.ts).
   * `operatorAccess` adds separate rules limited to the operators' CIDRs.
   * A network load balancer cannot filter paths: the entry behind it must.
   */
  readonly publicApi?: {
    readonly routes: readonly PathRoute[];
    readonly operatorAccess?: { readonly cidrs: readonly string[]; readonly routes: readonly PathRoute[] };
    /** Actions each forwarding rule runs before the forward (e.g. authenticate-oidc). */
    readonly actionsBeforeForward?: readonly LbListenerRuleAction[];
  };
  /**
   * ALB only: more client classes, each on its own HTTPS listener (its own port, trust store or authenticate
   * actions) forwarding only its routes; the main listener carries `publicApi`'s routes for the first class.
   */
  readonly classListeners?: ReadonlyArray<{
    readonly name: string;
    readonly port: number;
    readonly routes: readonly PathRoute[];
    readonly mutualAuthentication?: LbListenerMutualAuthentication;
    readonly actions?: readonly LbListenerDefaultAction[];
  }>;
  /** Client authentication on the HTTPS listener (ALB only): mutual TLS, and/or actions (authenticate-oidc) run before forwarding. See aws/auth. */
  readonly listenerAuth?: { readonly mutualAuthentication?: LbListenerMutualAuthentication; readonly actions?: readonly LbListenerDefaultAction[] };
}

/** The HTTPS listener's answer to any path outside the public API. */
export const NOT_FOUND_ACTION = { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "404 page not found", statusCode: "404" } };

/**
 * The only way in: a TLS listener on the public https port, an optional HTTP
 * listener whose only action is a 301 to HTTPS, and one IP target group. No
 * listener ever uses an internal contract port. On an ALB the HTTPS listener
 * forwards only Mimir's public API (listener rules) and answers 404 otherwise.
 */
export class MimirLoadBalancer extends Construct {
  readonly lb: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly httpsListener: LbListener;
  readonly redirectListener?: LbListener;
  /** ALB: the listener rules that forward the public API (and operator access). */
  readonly listenerRules?: MimirListenerRules;
  readonly targetPort: number;
  /** ALB: one HTTPS listener and its rules per further client class. */
  readonly classListeners: Array<{ readonly listener: LbListener; readonly rules: MimirListenerRules }> = [];

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
    if (props.target.kind === "mimir" && !alb) {
      problems.add("type", props.type, "cannot filter request paths, so every Mimir endpoint (/config, /ingester/shutdown, ...) would be reachable through it", "use type application (its listener rules carry only the public API), or put an in-cluster entry (Gateway API, Ingress) behind the network load balancer");
    }
    if (props.httpRedirect && !alb) {
      problems.add("httpRedirect", true, "needs an application load balancer", "remove httpRedirect or use type application");
    }
    const authActions = props.listenerAuth?.actions ?? [];
    if (!alb && (props.listenerAuth?.mutualAuthentication || authActions.length > 0)) {
      problems.add("listenerAuth", props.listenerAuth?.mutualAuthentication ? "mutual TLS" : authActions.map((a) => a.type).join(", "), "needs an application load balancer (a network load balancer cannot verify client certificates or run authenticate actions)", "use type application, or authenticate at the Gateway API entry");
    }
    // Mimir target: the http port, held at a transition's `from` until it closes (a target group's port change replaces it).
    const targetPort = props.target.kind === "mimir" ? contract.stablePort("http") : props.target.port;
    problems.throwIfAny();

    this.targetPort = targetPort;
    this.lb = new Lb(this, "lb", {
      name: props.name,
      loadBalancerType: props.type,
      internal: props.internal,
      subnets: props.subnetIds,
      securityGroups: props.securityGroupIds,
      enableDeletionProtection: props.deletionProtection,
      ...(alb ? { dropInvalidHeaderFields: true, desyncMitigationMode: props.desyncMitigationMode ?? "strictest" } : {}),
      ...(props.accessLogsBucket ? { accessLogs: { bucket: props.accessLogsBucket, prefix: props.name, enabled: true } } : {}),
      ...(alb && props.connectionLogsBucket ? { connectionLogs: { bucket: props.connectionLogsBucket, prefix: props.name, enabled: true } } : {}),
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
      // ALB: only the listener rules forward (after the entry's authenticate actions); the rest of Mimir's HTTP API gets a 404.
      defaultAction: alb ? [NOT_FOUND_ACTION] : [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
      ...(props.listenerAuth?.mutualAuthentication ? { mutualAuthentication: props.listenerAuth.mutualAuthentication } : {}),
    });
    if (alb) {
      this.listenerRules = new MimirListenerRules(this, "rules", {
        listenerArn: this.httpsListener.arn,
        targetGroupArn: this.targetGroup.arn,
        routes: props.publicApi?.routes ?? publicRoutes(),
        operatorAccess: props.publicApi?.operatorAccess,
        actionsBeforeForward: props.publicApi?.actionsBeforeForward ?? (authActions as readonly LbListenerRuleAction[]),
      });
    }
    for (const c of alb ? (props.classListeners ?? []) : []) {
      const listener = new LbListener(this, `https-${c.name}`, {
        loadBalancerArn: this.lb.arn,
        port: c.port,
        protocol: "HTTPS",
        sslPolicy: props.sslPolicy ?? DEFAULT_SSL_POLICY,
        certificateArn: props.certificateArn,
        defaultAction: [NOT_FOUND_ACTION],
        ...(c.mutualAuthentication ? { mutualAuthentication: c.mutualAuthentication } : {}),
      });
      const rules = new MimirListenerRules(this, `rules-${c.name}`, {
        listenerArn: listener.arn,
        targetGroupArn: this.targetGroup.arn,
        routes: c.routes,
        actionsBeforeForward: (c.actions ?? []) as readonly LbListenerRuleAction[],
      });
      this.classListeners.push({ listener, rules });
    }
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
