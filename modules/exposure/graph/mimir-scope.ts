/**
 * What is Mimir's: its namespace, its pods (by the chart's labels, or
 * workloads that carry them or run Mimir's image) and their named ports.
 * Everything else in a stack is someone else's business.
 */
import { admittedPorts, type ContractInfo } from "../terraform-json";
import type { Graph, GNode, PodPort } from "./graph";
import type { K8sObjects, KWorkload, Labels } from "./k8s-objects";

const NAME = "app.kubernetes.io/name";
const INSTANCE = "app.kubernetes.io/instance";
const COMPONENT = "app.kubernetes.io/component";
/** Labels the chart sets per pod that a selector may name with any value. */
const VARYING = new Set([COMPONENT, "app.kubernetes.io/part-of", "app.kubernetes.io/version", "app.kubernetes.io/managed-by", "helm.sh/chart", "name", "rollout-group", "zone", "statefulset.kubernetes.io/pod-name", "pod-template-hash", "controller-revision-hash"]);

export const isToken = (v: unknown): boolean => typeof v === "string" && /\$\{/.test(v);

export class MimirScope {
  readonly namespace?: string;
  readonly release?: string;
  readonly fullname: string;
  /** Contract ports on every Mimir pod: http, grpc, memberlist, neighbours. */
  readonly ports: PodPort[];
  private readonly workloads: KWorkload[];
  private readonly neighbourCount: number;

  constructor(
    private readonly graph: Graph,
    contract: ContractInfo,
    k8s: K8sObjects,
    private readonly resolveNamespace: (ns: string | undefined) => string | undefined,
    helmNamespace?: string,
    helmRelease?: string,
  ) {
    this.namespace = contract.namespace ?? helmNamespace;
    this.release = contract.release ?? helmRelease;
    this.fullname = this.release ? (this.release.includes("mimir") ? this.release : `${this.release}-mimir`) : "mimir";
    const { http, grpc, memberlist } = contract.ports;
    // The listen ports first (index 0-2), then the neighbours; a transition's other number last: mid-rollout
    // some pods listen there, so it is Mimir's port as much as the listen port is.
    const moving = (["http", "grpc", "memberlist"] as const).flatMap((name) => admittedPorts(contract, name).filter((port) => port !== contract.ports[name]).map((port) => ({ contractName: name, k8sName: name === "http" ? "http-metrics" : name, port })));
    this.ports = [
      { contractName: "http", k8sName: "http-metrics", port: http },
      { contractName: "grpc", k8sName: "grpc", port: grpc },
      { contractName: "memberlist", k8sName: "memberlist", port: memberlist },
      ...Object.entries(contract.neighbours).map(([name, port]) => ({ contractName: name, k8sName: name, port })),
      ...moving,
    ];
    this.neighbourCount = Object.keys(contract.neighbours).length;
    this.workloads = k8s.workloads.filter((w) => this.isMimirWorkload(w));
  }

  isMimirWorkload(w: KWorkload): boolean {
    if (!this.namespaceMatches(w.namespace)) return false;
    return w.podLabels[NAME] === "mimir" || w.images.some((i) => /(^|\/)mimir(:|@|$)/.test(i) && i.includes("grafana"));
  }

  /** Could this namespace be Mimir's? Unresolved tokens could. */
  namespaceMatches(ns: string | undefined): boolean {
    if (this.namespace === undefined) return true;
    const resolved = this.resolveNamespace(ns ?? "default");
    if (resolved === undefined) return true; // an unresolved token
    return resolved === this.namespace;
  }

  /** The Mimir component a selector picks, or undefined when it picks no Mimir pod. `*`: several. */
  selects(ns: string | undefined, selector: Labels): string | undefined {
    if (!this.namespaceMatches(ns)) return undefined;
    const keys = Object.keys(selector);
    const chart = keys.every((k) => (k === NAME ? selector[k] === "mimir" : k === INSTANCE ? this.release === undefined || selector[k] === this.release || isToken(selector[k]) : VARYING.has(k)));
    const inMimirNs = this.namespace !== undefined && this.resolveNamespace(ns ?? "default") === this.namespace;
    const chartPicks = chart && (selector[NAME] === "mimir" || selector[INSTANCE] !== undefined || inMimirNs);
    if (chartPicks) return selector[COMPONENT] ?? "*";
    const w = this.workloads.find((x) => keys.every((k) => x.podLabels[k] === selector[k]));
    if (w) return w.podLabels[COMPONENT] ?? w.name;
    return undefined;
  }

  /** Container ports of the selected Mimir pods: the contract's, plus those the workloads in the stack declare. */
  podPorts(component: string): PodPort[] {
    const extra: PodPort[] = [];
    for (const w of this.workloads) {
      if (component !== "*" && (w.podLabels[COMPONENT] ?? w.name) !== component) continue;
      for (const p of w.ports) if (p.containerPort !== undefined && !this.ports.some((x) => x.port === p.containerPort)) extra.push({ contractName: p.name ?? `port ${p.containerPort}`, k8sName: p.name ?? String(p.containerPort), port: p.containerPort });
    }
    return [...this.ports, ...extra];
  }

  /** A container port by name (the chart's names, and the workloads'). */
  portByName(name: string): number | undefined {
    const hit = this.ports.find((p) => p.k8sName === name || p.contractName === name);
    if (hit) return hit.port;
    if (name === "gossip-ring") return this.ports.find((p) => p.contractName === "memberlist")?.port;
    for (const w of this.workloads) for (const p of w.ports) if (p.name === name && p.containerPort !== undefined) return p.containerPort;
    return undefined;
  }

  /** Only contract ports count as Mimir's (a sidecar's own port is not). */
  isContractPort(port: number): boolean {
    return this.ports.some((p) => p.port === port);
  }

  podsNode(component: string): GNode {
    const label = component === "*" ? `${this.fullname}` : `${this.fullname}-${component}`;
    return this.graph.node({ id: `pods:mimir:${component}`, kind: "pods", label, mimir: { component: component === "*" ? undefined : component, ports: this.podPorts(component) } });
  }

  /** A chart-created Service by name (not in the stack): its component and ports. */
  chartService(ns: string | undefined, name: string): { component: string; ports: Array<{ name: string; port: number; target: number }> } | undefined {
    if (!this.namespaceMatches(ns)) return undefined;
    const f = this.fullname;
    const http = this.ports[0].port;
    const grpc = this.ports[1].port;
    const gossip = this.ports[2].port;
    if (name === `${f}-gossip-ring`) return { component: "*", ports: [{ name: "gossip-ring", port: gossip, target: gossip }] };
    const std = [{ name: "http-metrics", port: http, target: http }, { name: "grpc", port: grpc, target: grpc }];
    if (name === f || name === `${f}-headless`) return { component: "all", ports: std };
    // The chart's neighbours (bundled Kafka, memcached caches) run as Mimir pods: their Services carry the neighbour's ports.
    const neighbours = this.ports.slice(3, 3 + this.neighbourCount).filter((p) => name.startsWith(`${f}-`) && (p.contractName === "memcached" ? /cache/.test(name) : name.includes(p.contractName.split("-")[0]))).map((p) => ({ name: p.k8sName, port: p.port, target: p.port }));
    if (neighbours.length > 0) return { component: name.slice(f.length + 1).replace(/-headless$/, ""), ports: [...std, ...neighbours] };
    if (name.startsWith(`${f}-`)) return { component: name.slice(f.length + 1).replace(/-headless$/, ""), ports: std };
    return undefined;
  }
}
