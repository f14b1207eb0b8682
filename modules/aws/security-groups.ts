import { Construct } from "constructs";
import { SecurityGroup } from "../platform/aws";
import { isAnywhere } from "../contract/cidr";
import { INTERNAL_PORT_NAMES, type InternalPortName, type NeighbourPortName, type PortContract } from "../contract/port-contract";
import { ProblemList } from "../contract/problems";
import { Peer } from "./peer";
import { contractRulePort, writeRules, type RuleRow } from "./security-group-rules";
import { ENVOY_GATEWAY_PORTS } from "../contract/envoy-ports";

const isInternalPortName = (name: string): name is InternalPortName => (INTERNAL_PORT_NAMES as readonly string[]).includes(name);
import { recordContractUse } from "../contract/contract-hook";

export interface MimirSecurityGroupsProps {
  readonly contract: PortContract;
  /** Name prefix for both groups, e.g. `mimir-prod`. */
  readonly namePrefix: string;
  readonly vpcId: string;
  /** Client sources (CIDRs, prefix lists) allowed on the public listener ports. */
  readonly clients: readonly Peer[];
  /** Also open the plain-HTTP redirect listener port to the clients. */
  readonly httpRedirect: boolean;
  /** Listener ports of further client classes (contract `public.secondClassHttps`), open to the clients like https. */
  readonly classListenerPorts?: readonly number[];
  /**
   * Where the load balancer sends traffic. `members`: Mimir pods on the
   * contract's http port. Otherwise a security group (e.g. the cluster's, for
   * an ingress controller) on `port`; its ingress rule is written too.
   */
  readonly target:
    | { readonly kind: "members" }
    | { readonly kind: "security-group"; readonly id: string; readonly label: string; readonly port: number }
    | {
        /**
         * The Gateway API data plane with a group of its own: `created` here (needs `pods`: the kubelet's readiness
         * probes, DNS and Envoy Gateway's xDS go to the nodes' group), or `given` (a shared Gateway's; only the rule
         * admitting the load balancer on `port` is written on it). Mimir's http admits that group.
         */
        readonly kind: "data-plane";
        readonly port: number;
        readonly group: { readonly kind: "created" } | { readonly kind: "given"; readonly id: string };
        /** HTTPS egress of a created data-plane group to identity providers (the JWKS of jwt client classes). */
        readonly identityProviders?: readonly Peer[];
      };
  /** Where ingress controllers run (their security group): http from there. */
  readonly ingressControllers?: Peer;
  /** Extra sources for the http port only (e.g. Prometheus): security groups, never CIDRs. */
  readonly monitoring?: readonly Peer[];
  /** Object storage destinations for HTTPS egress (an S3 prefix list, or CIDRs). */
  readonly objectStorage: readonly Peer[];
  /** Environment name for error messages. */
  readonly env?: string;
  /**
   * Use this existing group as the members group instead of creating one
   * (e.g. the node group's, when Mimir's pods use their nodes' groups); the
   * members rules are written on it.
   */
  readonly existingMembersGroupId?: string;
  /**
   * The chart neighbours (Kafka, memcached) that run as Mimir pods and so need
   * their members-only ports between members.
   * @default every neighbour in the contract
   */
  readonly neighbours?: readonly NeighbourPortName[];
  /**
   * Security groups for pods: create the dedicated `pods` group Mimir's pods
   * carry instead of the EKS cluster group. It admits the kubelet's probes
   * (from the nodes' group, http port only) and allows DNS to the nodes' group
   * (CoreDNS runs there; the nodes' group gets the matching ingress rule), and,
   * with `awsApiEgress`, HTTPS to AWS APIs (STS for IRSA): to `stsEndpoint` (the STS VPC endpoint's group or
   * prefix list) when given, else to any address.
   */
  readonly pods?: { readonly nodeSecurityGroupId: string; readonly awsApiEgress: boolean; readonly stsEndpoint?: Peer };
}

/**
 * Two security groups that carry the contract: the *members* group (Mimir pods)
 * and the *load balancer* group. Every rule is a per-rule resource whose
 * description names the contract port and the reason. No internal port is
 * ever opened to a CIDR; gossip is TCP only.
 */
export class MimirSecurityGroups extends Construct {
  /** The members group: created here, or the existing group named by `existingMembersGroupId`. */
  readonly members: { readonly id: string };
  /** The members group resource, when created here. */
  readonly membersGroup?: SecurityGroup;
  readonly loadBalancer: SecurityGroup;
  /** The dedicated group for Mimir's pods (kubelet probes, DNS), when `pods` is set. */
  readonly pods?: SecurityGroup;
  /** The entry data plane's own group, when created here (target kind data-plane, group created). */
  readonly dataPlane?: SecurityGroup;
  /** The id of the entry data plane's group (created or given), for target kind data-plane. */
  readonly dataPlaneId?: string;

  constructor(scope: Construct, id: string, props: MimirSecurityGroupsProps) {
    super(scope, id);
    recordContractUse(this, { contract: props.contract });
    const problems = new ProblemList(props.env);
    if (props.ingressControllers && props.ingressControllers.kind !== "security-group") {
      problems.add("ingressControllers", props.ingressControllers.label, "must be a security group: internal ports are never opened to a CIDR", "pass Peer.securityGroup(id, label)");
    }
    (props.monitoring ?? []).forEach((peer, i) => {
      if (peer.kind !== "security-group") {
        const anywhere = peer.kind === "cidr" && isAnywhere(peer.cidr);
        problems.add(
          `monitoring[${i}]`,
          peer.kind === "cidr" ? peer.cidr : peer.id,
          anywhere ? "would open Mimir's internal http port to the whole internet" : "would open Mimir's internal http port to a CIDR or prefix list; internal ports are reachable from security groups only",
          "give the scraper a security group and pass Peer.securityGroup(id, label)",
        );
      }
    });
    if (props.clients.length === 0) problems.add("clients", [], "is empty, so nobody could reach the load balancer", "pass client CIDRs or prefix lists");
    if (props.target.kind === "data-plane" && props.target.group.kind === "created" && !props.pods) {
      problems.add("target.group", "created", "needs the nodes' group (pods): the data plane's readiness probes, DNS and xDS go there", "pass pods { nodeSecurityGroupId }, or name the data plane's group (kind given)");
    }
    problems.throwIfAny();

    const { contract } = props;
    const group = (name: string, description: string) =>
      new SecurityGroup(this, name, {
        namePrefix: `${props.namePrefix}-${name}-`,
        description,
        vpcId: props.vpcId,
        tags: { Name: `${props.namePrefix}-${name}` },
        // name_prefix + create_before_destroy: a replacement never leaves Mimir without a group.
        lifecycle: { createBeforeDestroy: true },
      });
    // Descriptions are fixed: changing a group's description makes AWS replace the group.
    const membersScope = props.existingMembersGroupId
      ? new Construct(this, "members")
      : (this.membersGroup = group("members", "Mimir pods: grpc and gossip between members only; http from the load balancer and monitoring"));
    this.members = props.existingMembersGroupId ? { id: props.existingMembersGroupId } : (this.membersGroup as SecurityGroup);
    this.loadBalancer = group("lb", "Mimir load balancer: TLS from clients, forwards to its targets only");

    const self = Peer.securityGroup(this.members.id, "members");
    const lb = Peer.securityGroup(this.loadBalancer.id, "load_balancer");
    // During a port transition both numbers are admitted (old and new pods run side by side in the rollout).
    const https = contract.admitted("http").map((port) => contractRulePort("http", port));
    const members: RuleRow[] = [];
    // Members-only ports (grpc, memberlist, http, the chart's neighbours) from and to the group itself.
    const running = (p: { name: string }) => contract.internal.some((i) => i.name === p.name) || (props.neighbours ?? contract.neighbours.map((n) => n.name)).some((n) => n === p.name);
    for (const p of contract.membersOnly.filter(running)) {
      const port = isInternalPortName(p.name) ? contractRulePort(p.name, p.port) : { name: p.name.replace(/-/g, "_"), port: p.port };
      members.push({ direction: "ingress", port, peer: self, reason: "from mimir members" });
      // Terraform strips AWS's default allow-all egress, so members need egress to each other too.
      members.push({ direction: "egress", port, peer: self, reason: "to mimir members" });
    }
    const target = props.target;
    if (target.kind === "data-plane") {
      this.dataPlane = target.group.kind === "created" ? group("data-plane", "Mimir entry data plane (Gateway proxies): the proxy port from the load balancer only") : undefined;
      this.dataPlaneId = this.dataPlane ? this.dataPlane.id : (target.group as { id: string }).id;
    }
    const dataPlane = this.dataPlaneId ? Peer.securityGroup(this.dataPlaneId, "data_plane") : undefined;
    for (const http of https) {
      if (props.target.kind === "members") members.push({ direction: "ingress", port: http, peer: lb, reason: "from the load balancer" });
      if (dataPlane) members.push({ direction: "ingress", port: http, peer: dataPlane, reason: "from the entry's data plane" });
      if (props.ingressControllers) members.push({ direction: "ingress", port: http, peer: props.ingressControllers, reason: "from the ingress controllers" });
      for (const peer of props.monitoring ?? []) members.push({ direction: "ingress", port: http, peer, reason: `from monitoring (${peer.label})` });
    }
    const objectStoragePort = { name: "object_storage", port: contract.dependencies.objectStorage };
    for (const peer of props.objectStorage) members.push({ direction: "egress", port: objectStoragePort, peer, reason: `to object storage (${peer.label})` });

    const lbRows: RuleRow[] = [];
    const publicPorts = [
      { name: "https", port: contract.public.https },
      ...(props.httpRedirect ? [{ name: "http_redirect", port: contract.public.httpRedirect }] : []),
      ...(props.classListenerPorts ?? []).map((port) => ({ name: `https_${port}`, port })),
    ];
    for (const port of publicPorts) for (const peer of props.clients) lbRows.push({ direction: "ingress", port, peer, reason: `from clients (${peer.label})` });
    const targetRows: RuleRow[] = [];
    const dataPlaneRows: RuleRow[] = [];
    const nodeRows: RuleRow[] = [];
    if (props.target.kind === "members") {
      for (const http of https) lbRows.push({ direction: "egress", port: http, peer: self, reason: "to mimir targets" });
    } else if (target.kind === "data-plane" && dataPlane) {
      const port = { name: "data_plane", port: target.port };
      lbRows.push({ direction: "egress", port, peer: dataPlane, reason: "to the entry's data plane" });
      dataPlaneRows.push({ direction: "ingress", port, peer: lb, reason: "from the mimir load balancer" });
      if (this.dataPlane) {
        const idp = { name: "identity_provider", port: contract.dependencies.identityProvider };
        for (const peer of target.identityProviders ?? []) dataPlaneRows.push({ direction: "egress", port: idp, peer, reason: `to the identity provider (JWKS of jwt client classes, ${peer.label})` });
      }
      if (this.dataPlane && props.pods) {
        const nodes = Peer.securityGroup(props.pods.nodeSecurityGroupId, "nodes");
        const dns = { name: "dns", port: contract.dependencies.dns };
        const readiness = { name: "envoy_readiness", port: ENVOY_GATEWAY_PORTS.readiness };
        const xds = { name: "envoy_xds", port: ENVOY_GATEWAY_PORTS.xds };
        dataPlaneRows.push(
          { direction: "ingress", port: readiness, peer: nodes, reason: "from the kubelet on the nodes (readiness probes)" },
          ...https.map((http): RuleRow => ({ direction: "egress", port: http, peer: self, reason: "to mimir (the routes' backends)" })),
          { direction: "egress", port: dns, peer: nodes, reason: "to cluster DNS (CoreDNS on the nodes)" },
          { direction: "egress", port: dns, peer: nodes, reason: "to cluster DNS (CoreDNS on the nodes)", protocol: "udp" },
          { direction: "egress", port: xds, peer: nodes, reason: "to the Envoy Gateway control plane (xDS)" },
        );
        nodeRows.push(
          { direction: "ingress", port: dns, peer: dataPlane, reason: "from the entry's data plane (cluster DNS)" },
          { direction: "ingress", port: dns, peer: dataPlane, reason: "from the entry's data plane (cluster DNS)", protocol: "udp" },
          { direction: "ingress", port: xds, peer: dataPlane, reason: "from the entry's data plane (Envoy Gateway xDS)" },
        );
      }
    } else if (target.kind === "security-group") {
      const port = { name: "target", port: target.port };
      lbRows.push({ direction: "egress", port, peer: Peer.securityGroup(target.id, target.label), reason: `to the ingress targets (${target.label})` });
      targetRows.push({ direction: "ingress", port, peer: lb, reason: "from the mimir load balancer" });
    }

    if (props.pods) {
      const pods = (this.pods = group("pods", "Mimir pods: kubelet probes on http from the nodes, DNS to the nodes; replaces the EKS cluster group"));
      const nodes = Peer.securityGroup(props.pods.nodeSecurityGroupId, "nodes");
      const podsPeer = Peer.securityGroup(pods.id, "mimir_pods");
      const dns = { name: "dns", port: contract.dependencies.dns };
      const podRows: RuleRow[] = [
        ...https.map((http): RuleRow => ({ direction: "ingress", port: http, peer: nodes, reason: "from the kubelet on the nodes (probes)" })),
        { direction: "egress", port: dns, peer: nodes, reason: "to cluster DNS (CoreDNS on the nodes)" },
        { direction: "egress", port: dns, peer: nodes, reason: "to cluster DNS (CoreDNS on the nodes)", protocol: "udp" },
      ];
      if (props.pods.stsEndpoint) {
        podRows.push({ direction: "egress", port: { name: "sts", port: contract.dependencies.objectStorage }, peer: props.pods.stsEndpoint, reason: "to the STS VPC endpoint (IRSA)" });
      } else if (props.pods.awsApiEgress) {
        podRows.push({ direction: "egress", port: { name: "aws_api", port: contract.dependencies.objectStorage }, peer: Peer.cidr("0.0.0.0/0", "aws_apis"), reason: "to AWS APIs (STS for IRSA)" });
      }
      writeRules(pods, pods.id, podRows);
      nodeRows.unshift(
        { direction: "ingress", port: dns, peer: podsPeer, reason: "from mimir pods (cluster DNS)" },
        { direction: "ingress", port: dns, peer: podsPeer, reason: "from mimir pods (cluster DNS)", protocol: "udp" },
      );
      writeRules(new Construct(this, "nodes"), props.pods.nodeSecurityGroupId, nodeRows);
    }
    if (this.dataPlaneId) writeRules(this.dataPlane ?? new Construct(this, "data-plane"), this.dataPlaneId, dataPlaneRows);
    writeRules(membersScope, this.members.id, members);
    writeRules(this.loadBalancer, this.loadBalancer.id, lbRows);
    if (props.target.kind === "security-group") writeRules(new Construct(this, "target"), props.target.id, targetRows);
  }
}
