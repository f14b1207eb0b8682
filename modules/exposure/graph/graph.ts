/**
 * The reachability graph: sources (the internet, a CIDR, outside the cluster,
 * an ingress controller), entry points (listeners, Services, hostPorts, routes)
 * and pod sets. Readers only add nodes and edges; rules only read the hits the
 * walk finds. An edge carries the ports it accepts, the port it delivers to,
 * whether it terminates TLS and (HTTP) the path conditions it applies.
 */
import type { TfResource } from "../terraform-json";

export type Proto = "tcp" | "udp" | "all";

/** An HTTP path condition on an edge: `all` when the edge does not look at paths. */
export interface PathCond {
  readonly kind: "exact" | "prefix" | "glob" | "regex";
  readonly value: string;
}

export interface PodPort {
  /** Contract name: http, grpc, memberlist, or a neighbour's name. */
  readonly contractName: string;
  /** Kubernetes container port name, e.g. http-metrics. */
  readonly k8sName: string;
  readonly port: number;
}

export interface GNode {
  readonly id: string;
  readonly kind: "source" | "entry" | "hop" | "pods";
  readonly label: string;
  /** Sources: is this the internet (0.0.0.0/0, ::/0, or outside the cluster on a public address)? */
  readonly internet?: boolean;
  /** Sources: untrusted (a CIDR, a prefix list, outside the cluster); walks start here. */
  readonly untrusted?: boolean;
  /** Pods: Mimir's pods and their ports. */
  readonly mimir?: { readonly component?: string; readonly ports: readonly PodPort[] };
}

export type EntryKind = "security-group" | "listener" | "service" | "host-port" | "ingress" | "route" | "helm" | "network-policy" | "interior" | "interior-probe" | "data-plane";
/** Doors of the interior sources (pods, nodes, members by SecurityGroupPolicy, the data plane reached without the load balancer). */
export const INTERIOR_DOORS: ReadonlySet<EntryKind> = new Set<EntryKind>(["interior", "interior-probe", "data-plane"]);

export interface GEdge {
  readonly from: string;
  readonly to: string;
  /** Ports this edge accepts (inclusive); undefined: any. */
  readonly accept?: readonly [number, number];
  /** Port delivered at `to`; undefined: the same ports. */
  readonly out?: number;
  readonly proto?: Proto;
  /** Set: the edge decides TLS from here on (a listener, an Ingress, a Gateway listener). */
  readonly tls?: boolean;
  /** Set: TLS from here on when this is true or the traffic was already TLS (an Ingress behind a load balancer). */
  readonly tlsOr?: boolean;
  /** HTTP path conditions applied by this edge (undefined: none). */
  readonly paths?: readonly PathCond[];
  /**
   * Route rules only: the conditions the request path matched there, before a rewrite (prefix `/`: every path). What
   * the hop in front forwards reaches this edge only where the two overlap (MP018 judges each route by its ways in).
   */
  readonly matched?: readonly PathCond[];
  /** The path element shown in findings, e.g. `aws_lb.edge:<port> (TCP, no TLS)`. */
  readonly label: string;
  readonly resource?: TfResource;
  /** When this edge is the door in: what kind (decides the rule). */
  readonly entry?: EntryKind;
}

/** The part of a way that lies behind one node: where it lands and what it carries. */
interface Tail {
  readonly pods: GNode;
  readonly port: PodPort;
  readonly tls: boolean;
  /** The most specific path conditions on the way (undefined: every path). */
  readonly paths?: readonly PathCond[];
  readonly proto: Proto;
  readonly edges: readonly GEdge[];
}

/** One way from an untrusted source to a Mimir port. */
export interface Hit extends Tail {
  readonly source: GNode;
  /** The door: the first edge that names an entry kind. */
  readonly entry?: GEdge;
  /** Path elements, source to pods, for the message. */
  readonly path: readonly string[];
}

/** Something the readers could not see; never assumed safe. */
export interface Unknown {
  readonly resource: TfResource;
  readonly reason: string;
  readonly path: readonly string[];
}

export class Graph {
  readonly nodes = new Map<string, GNode>();
  private readonly out = new Map<string, GEdge[]>();
  readonly unknowns: Unknown[] = [];

  node(n: GNode): GNode {
    const had = this.nodes.get(n.id);
    if (had) return had;
    this.nodes.set(n.id, n);
    return n;
  }

  edge(e: GEdge): void {
    const list = this.out.get(e.from);
    if (list) list.push(e);
    else this.out.set(e.from, [e]);
  }

  edgesFrom(id: string): readonly GEdge[] {
    return this.out.get(id) ?? [];
  }

  unknown(u: Unknown): void {
    this.unknowns.push(u);
  }

  /**
   * Every path from an untrusted source to a Mimir port. Depth-first with the
   * tails memoised per (node, ports, protocol, TLS, path conditions), so many
   * sources in front of one load balancer cost one walk behind it: linear in
   * the edges, not sources × edges.
   */
  walk(): Hit[] {
    const hits: Hit[] = [];
    const memo = new Map<string, Tail[]>();
    for (const source of this.nodes.values()) {
      if (source.kind !== "source" || !source.untrusted) continue;
      for (const first of this.edgesFrom(source.id)) {
        for (const t of this.follow(first, [0, 65535], "all", false, undefined, memo, new Set())) {
          const edges = t.edges;
          hits.push({ source, pods: t.pods, port: t.port, tls: t.tls, paths: t.paths, proto: t.proto, edges, entry: edges.find((x) => x.entry), path: [source.label, ...edges.map((x) => x.label), `pods ${t.pods.label}:${t.port.k8sName}`].filter((x) => x !== "") });
        }
      }
    }
    return hits;
  }

  private pathIds = new WeakMap<object, number>();
  private pathKey(paths: readonly PathCond[] | undefined): number {
    if (!paths) return 0;
    let id = this.pathIds.get(paths);
    if (id === undefined) this.pathIds.set(paths, (id = this.pathIds_next++));
    return id;
  }
  private pathIds_next = 1;

  /** The tails (edges from `e` on) that reach a Mimir port from this state. */
  private follow(e: GEdge, range: [number, number], proto: Proto, tls: boolean, paths: readonly PathCond[] | undefined, memo: Map<string, Tail[]>, onStack: Set<string>): Tail[] {
    let r: [number, number] = range;
    if (e.accept) {
      r = [Math.max(r[0], e.accept[0]), Math.min(r[1], e.accept[1])];
      if (r[0] > r[1]) return [];
    }
    let p = proto;
    if (e.proto && e.proto !== "all") {
      if (p !== "all" && p !== e.proto) return [];
      p = e.proto;
    }
    if (e.out !== undefined) r = [e.out, e.out];
    const t = e.tls ?? (e.tlsOr !== undefined ? e.tlsOr || tls : tls);
    const ps = e.paths ?? paths;
    const key = `${e.to}|${r[0]}-${r[1]}|${p}|${t}|${this.pathKey(ps)}`;
    let tails = memo.get(key);
    if (!tails) {
      if (onStack.has(key) || onStack.size > 16) return [];
      onStack.add(key);
      tails = [];
      const to = this.nodes.get(e.to);
      if (to?.kind === "pods" && to.mimir) {
        for (const port of to.mimir.ports) {
          if (port.port < r[0] || port.port > r[1] || (p === "udp" && port.contractName !== "memberlist")) continue;
          tails.push({ pods: to, port, tls: t, paths: ps, proto: p, edges: [] });
        }
      }
      if (to) for (const next of this.edgesFrom(to.id)) tails.push(...this.follow(next, r, p, t, ps, memo, onStack));
      onStack.delete(key);
      memo.set(key, tails);
    }
    return tails.map((x) => ({ ...x, edges: [e, ...x.edges] }));
  }
}
