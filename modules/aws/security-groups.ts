import { Construct } from "constructs";
import { SecurityGroup } from "../platform/aws";
import { isAnywhere } from "../contract/cidr";
import { INTERNAL_PORT_NAMES, type InternalPortName, type NeighbourPortName, type PortContract } from "../contract/port-contract";
import { ProblemList } from "../contract/problems";
import { Peer } from "./peer";
import { contractRulePort, writeRules, type RuleRow } from "./security-group-rules";

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
  /**
   * Where the load balancer sends traffic. `members`: Mimir pods on the
   * contract's http port. Otherwise a security group (e.g. the cluster's, for
   * an ingress controller) on `port`; its ingress rule is written too.
   */
  readonly target: { readonly kind: "members" } | { readonly kind: "security-group"; readonly id: string; readonly label: string; readonly port: number };
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
    for (const http of https) {
      if (props.target.kind === "members") members.push({ direction: "ingress", port: http, peer: lb, reason: "from the load balancer" });
      if (props.ingressControllers) members.push({ direction: "ingress", port: http, peer: props.ingressControllers, reason: "from the ingress controllers" });
      for (const peer of props.monitoring ?? []) members.push({ direction: "ingress", port: http, peer, reason: `from monitoring (${peer.label})` });
    }
    const objectStoragePort = { name: "object_storage", port: contract.dependencies.objectStorage };
    for (const peer of props.objectStorage) members.push({ direction: "egress", port: objectStoragePort, peer, reason: `to object storage (${peer.label})` });

    const lbRows: RuleRow[] = [];
    const publicPorts = [{ name: "https", port: contract.public.https }, ...(props.httpRedirect ? [{ name: "http_redirect", port: contract.public.httpRedirect }] : [])];
    for (const port of publicPorts) for (const peer of props.clients) lbRows.push({ direction: "ingress", port, peer, reason: `from clients (${peer.label})` });
    const targetRows: RuleRow[] = [];
    if (props.target.kind === "members") {
      for (const http of https) lbRows.push({ direction: "egress", port: http, peer: self, reason: "to mimir targets" });
    } else {
      const port = { name: "target", port: props.target.port };
      lbRows.push({ direction: "egress", port, peer: Peer.securityGroup(props.target.id, props.target.label), reason: `to the ingress targets (${props.target.label})` });
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
      writeRules(new Construct(this, "nodes"), props.pods.nodeSecurityGroupId, [
        { direction: "ingress", port: dns, peer: podsPeer, reason: "from mimir pods (cluster DNS)" },
        { direction: "ingress", port: dns, peer: podsPeer, reason: "from mimir pods (cluster DNS)", protocol: "udp" },
      ]);
    }
    writeRules(membersScope, this.members.id, members);
    writeRules(this.loadBalancer, this.loadBalancer.id, lbRows);
    if (props.target.kind === "security-group") writeRules(new Construct(this, "target"), props.target.id, targetRows);
  }
}
