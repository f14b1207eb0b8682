import { Construct } from "constructs";
import { TerraformOutput } from "../platform/cdktf";
import { DataAwsEc2ManagedPrefixList } from "../platform/aws";
import type { Environment } from "../config/environment";
import { clientListeners } from "../config/clients";
import { ProblemList } from "../contract/problems";
import { commonLabels, mimirEntryService } from "../kubernetes/naming";
import type { AccountInputs } from "../config/account-inputs";
import { dataPlaneContainerPort } from "../kubernetes/data-plane/mimir-data-plane";
import { MimirListenerAuth } from "./auth/listener-auth";
import { MimirDnsAlias, MimirWafAssociation } from "./edge-extras";
import { MimirLoadBalancer } from "./load-balancer";
import { Peer } from "./peer";
import { MimirSecurityGroups } from "./security-groups";
import { attachDataPlaneGroup, nodeSecurityGroupOf } from "./pod-security-groups";
import type { MimirSecurityGroupPolicy } from "./pod-security-group";
import { dataPlaneGroupOf } from "../config/data-plane-group";
import { runningNeighbours } from "../helm/chart-pods";
import { MimirTargetGroupBinding } from "./target-registration";
import { recordContractUse } from "../contract/contract-hook";

export interface MimirAwsEdgeProps {
  readonly environment: Environment;
  readonly inputs: AccountInputs;
  /** Mimir's namespace (a token when created in the same stack, so the binding waits for it). Default: the environment's. */
  readonly namespace?: string;
}

/** The STS VPC endpoint the pods reach for IRSA, when the environment names it. */
function stsEndpointPeer(env: Environment): Peer | undefined {
  const identity = env.storage?.identity;
  const sts = identity?.kind === "irsa" ? identity.stsEndpoint : undefined;
  if (!sts) return undefined;
  return sts.kind === "security-group" ? Peer.securityGroup(sts.id, "sts_endpoint") : Peer.prefixList(sts.id, "sts_endpoint");
}

/** AWS load balancer name: `<fullname>-<env>`, at most 32 characters. */
export function edgeName(env: Environment): string {
  return `${env.fullname}-${env.name}`.slice(0, 32).replace(/-+$/, "");
}

/**
 * One environment's AWS edge, all derived from the port contract: security
 * groups, load balancer, listeners, target group, target registration, and
 * the optional DNS alias and WAF association.
 */
export class MimirAwsEdge extends Construct {
  readonly securityGroups: MimirSecurityGroups;
  readonly loadBalancer: MimirLoadBalancer;
  /** Client authentication on the listener (mutual TLS trust store, authenticate-oidc action); empty for other modes. */
  readonly listenerAuth: MimirListenerAuth;
  /** Gives the proxies of the Gateway the stack creates their own group (a SecurityGroupPolicy on the owning-Gateway labels). */
  readonly dataPlaneSecurityGroups?: MimirSecurityGroupPolicy;
  /** The host clients use (ingress host, or the load balancer's DNS name). */
  readonly host: string;

  constructor(scope: Construct, id: string, props: MimirAwsEdgeProps) {
    super(scope, id);
    const env = props.environment;
    recordContractUse(this, env);
    const lbSettings = env.loadBalancer;
    const target = lbSettings.target;
    const name = edgeName(env);

    const problems = new ProblemList(env.name);
    const dataPlaneGroup = dataPlaneGroupOf(env);
    if (target.kind === "ingress-controller" && dataPlaneGroup.kind === "cluster" && !props.inputs.clusterSecurityGroupId) {
      problems.add("inputs.clusterSecurityGroupId", props.inputs.clusterSecurityGroupId, "is required when the load balancer targets an ingress controller (its pods' security group receives the traffic)", "pass the cluster or node security group id");
    }
    const nodeSg = nodeSecurityGroupOf(env, props.inputs, problems);
    const listeners = clientListeners(env.clients);
    problems.throwIfAny();

    const objectStorage = env.objectStorage.cidrs
      ? env.objectStorage.cidrs.map((c, i) => Peer.cidr(c, `objectStorage.cidrs[${i}]`))
      : [
          Peer.prefixList(
            env.objectStorage.prefixListId ?? new DataAwsEc2ManagedPrefixList(this, "s3-prefix-list", { name: `com.amazonaws.${env.region}.s3` }).id,
            "s3",
          ),
        ];
    const clients = [
      ...lbSettings.allowedCidrs.map((c, i) => Peer.cidr(c, `loadBalancer.allowedCidrs[${i}]`)),
      ...lbSettings.allowedPrefixListIds.map((id) => Peer.prefixList(id)),
    ];
    const redirect = lbSettings.redirectHttp;
    const clusterSg = props.inputs.clusterSecurityGroupId;

    this.securityGroups = new MimirSecurityGroups(this, "security-groups", {
      env: env.name,
      contract: env.contract,
      namePrefix: name,
      vpcId: props.inputs.vpcId,
      clients,
      httpRedirect: redirect,
      classListenerPorts: listeners.length > 1 ? [env.contract.public.secondClassHttps] : [],
      // IP targets: the load balancer sends to the pods' container port (a Gateway data plane's may differ from its Service port).
      target:
        target.kind === "mimir"
          ? { kind: "members" }
          : dataPlaneGroup.kind !== "cluster"
            ? { kind: "data-plane", port: dataPlaneContainerPort(env) ?? env.targetPort, group: dataPlaneGroup, identityProviders: identityProviderPeers(env) }
            : { kind: "security-group", id: clusterSg as string, label: "cluster", port: dataPlaneContainerPort(env) ?? env.targetPort },
      ingressControllers: target.kind === "ingress-controller" && dataPlaneGroup.kind === "cluster" ? Peer.securityGroup(clusterSg as string, "cluster") : undefined,
      monitoring: (env.monitoring?.securityGroupIds ?? []).map((id) => Peer.securityGroup(id, id)),
      objectStorage,
      existingMembersGroupId: env.podSecurityGroups.mode === "node-group" ? env.podSecurityGroups.nodeSecurityGroupId : undefined,
      neighbours: runningNeighbours(env),
      ...(nodeSg ? { pods: { nodeSecurityGroupId: nodeSg, awsApiEgress: env.storage?.identity.kind === "irsa", stsEndpoint: stsEndpointPeer(env) } } : {}),
    });

    if (this.securityGroups.dataPlane) this.dataPlaneSecurityGroups = attachDataPlaneGroup(this, "data-plane-security-group", { environment: env, groupId: this.securityGroups.dataPlane.id });

    // Client classes: the first listener on the https port, the second on its own (each mtls/oidc class its own
    // authentication; the classes that authenticate at the Gateway share one). Each forwards only its classes' groups.
    const [first, ...others] = listeners;
    const routesOf = (groups: readonly string[]) => env.entry.routes.filter((r) => groups.includes(r.group));
    this.listenerAuth = new MimirListenerAuth(this, "auth", { auth: first.auth, name });
    const classListeners = others.map((l, i) => {
      const c = l.classes[0];
      const auth = new MimirListenerAuth(this, `auth-${c.name}`, { auth: l.auth, name: `${name}-${i + 2}`.slice(0, 32) });
      return { name: c.name, port: env.contract.public.secondClassHttps, routes: routesOf(l.groups), mutualAuthentication: auth.mutualAuthentication, actions: auth.actions };
    });
    this.loadBalancer = new MimirLoadBalancer(this, "load-balancer", {
      listenerAuth: { mutualAuthentication: this.listenerAuth.mutualAuthentication, actions: this.listenerAuth.actions },
      env: env.name,
      contract: env.contract,
      name,
      type: lbSettings.type,
      internal: lbSettings.scheme === "internal",
      vpcId: props.inputs.vpcId,
      subnetIds: props.inputs.subnetIds,
      securityGroupIds: [this.securityGroups.loadBalancer.id],
      certificateArn: props.inputs.certificateArn,
      sslPolicy: lbSettings.sslPolicy,
      httpRedirect: redirect,
      deletionProtection: env.deletionProtection,
      accessLogsBucket: lbSettings.accessLogsBucket,
      connectionLogsBucket: lbSettings.connectionLogsBucket,
      desyncMitigationMode: lbSettings.desyncMitigationMode,
      target: target.kind === "mimir" ? { kind: "mimir" } : { kind: "ingress-controller", port: env.targetPort, protocol: target.protocol, healthCheckPath: target.healthCheckPath },
      publicApi: { routes: routesOf(first.groups), operatorAccess: env.entry.operatorAccess },
      classListeners,
    });

    if (lbSettings.targetRegistration === "target-group-binding") {
      new MimirTargetGroupBinding(this, "target-group-binding", {
        name: `${name}-edge`,
        namespace: target.kind === "mimir" ? (props.namespace ?? env.namespace) : target.namespace,
        targetGroupArn: this.loadBalancer.targetGroup.arn,
        serviceName: target.kind === "mimir" ? mimirEntryService(env) : target.serviceName,
        servicePort: target.kind === "mimir" ? env.contract.http.k8sName : env.targetPort,
        labels: commonLabels(env),
      });
    }

    const lb = this.loadBalancer.lb;
    this.host = env.entry.hosts[0] ?? lb.dnsName;
    if (env.dns && env.entry.hosts.length > 0) new MimirDnsAlias(this, "dns", { zoneId: env.dns.hostedZoneId, host: env.entry.hosts[0], lb });
    if (env.wafAclArn) new MimirWafAssociation(this, "waf", { webAclArn: env.wafAclArn, lb });

    const outputs: Array<[string, string, string]> = [
      ["load_balancer_dns_name", lb.dnsName, "DNS name of the Mimir load balancer"],
      ["remote_write_url", `https://${this.host}/api/v1/push`, "Prometheus remote-write URL"],
      ["query_url", `https://${this.host}/prometheus`, "Prometheus-compatible query URL"],
    ];
    for (const [outputName, value, description] of outputs) {
      // Plain output names: `cdktf output` / `terraform output remote_write_url`.
      new TerraformOutput(this, outputName, { value, description }).overrideLogicalId(outputName);
    }
  }
}

/** Where jwt classes' proxies fetch the JWKS (`auth.jwksEgress`): HTTPS egress of the data plane's own group. */
function identityProviderPeers(env: Environment): Peer[] {
  // One rule per CIDR or prefix list: jwt classes of one identity provider list the same ones (labelled by the first).
  const seen = new Set<string>();
  const once = (key: string) => !seen.has(key) && seen.add(key) !== undefined;
  return env.clients.flatMap((c) => {
    if (c.auth.mode !== "jwt" || !c.auth.jwksEgress) return [];
    const e = c.auth.jwksEgress;
    return [
      ...(e.cidrs ?? []).flatMap((cidr, i) => (once(`cidr ${cidr}`) ? [Peer.cidr(cidr, `${c.name}_jwks_${i}`)] : [])),
      ...(e.prefixListId && once(`pl ${e.prefixListId}`) ? [Peer.prefixList(e.prefixListId, `${c.name}_jwks`)] : []),
    ];
  });
}
