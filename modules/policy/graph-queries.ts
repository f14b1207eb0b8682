/** Questions rules ask of the graph beyond the hits: what reaches Mimir at all, and NetworkPolicy semantics. */
import { isAnywhere } from "../contract/cidr";
import type { ExposureModel } from "../exposure/model";
import { coverInternet } from "../exposure/graph/cidr-cover";
import type { KRoute } from "../exposure/graph/k8s-objects";
import { arrow } from "./reachability";
import type { RawFinding } from "./types";

export const routeNodeId = (r: KRoute) => `route:${r.resource.address}:${r.kind}:${r.name}`;

const memo = new WeakMap<ExposureModel, Map<string, string[] | null>>();

/** A path (labels) from a node to Mimir's pods, ignoring ports; null when none. */
export function pathToMimir(m: ExposureModel, from: string): string[] {
  return findPath(m, from) ?? [];
}

export function reachesMimir(m: ExposureModel, from: string): boolean {
  return findPath(m, from) !== null;
}

function findPath(m: ExposureModel, from: string): string[] | null {
  let cache = memo.get(m);
  if (!cache) memo.set(m, (cache = new Map()));
  const visit = (id: string, depth: number, onStack: Set<string>): string[] | null => {
    if (cache!.has(id)) return cache!.get(id)!;
    const node = m.graph.graph.nodes.get(id);
    if (!node || depth > 12 || onStack.has(id)) return null;
    if (node.kind === "pods" && node.mimir) return [`pods ${node.label}`];
    onStack.add(id);
    let found: string[] | null = null;
    for (const e of m.graph.graph.edgesFrom(id)) {
      const rest = visit(e.to, depth + 1, onStack);
      if (rest) {
        found = [e.label, ...rest];
        break;
      }
    }
    onStack.delete(id);
    cache!.set(id, found);
    return found;
  };
  const p = visit(from, 0, new Set());
  return p ? [m.graph.graph.nodes.get(from)?.label ?? from, ...p] : null;
}

/** NetworkPolicies with Kubernetes' semantics, for policies that select Mimir's pods. */
export function networkPolicyFindings(m: ExposureModel): RawFinding[] {
  const scope = m.graph.scope;
  const out: RawFinding[] = [];
  for (const p of m.graph.k8s.policies) {
    const component = scope.selects(p.namespace, p.podSelector);
    if (component === undefined) continue;
    if (p.policyTypes.length > 0 && !p.policyTypes.includes("Ingress")) continue;
    const pods = scope.podsNode(component);
    const name = `NetworkPolicy ${p.namespace ?? "default"}/${p.name}`;
    p.ingress.forEach((rule, i) => {
      const ports = rule.ports.length === 0 ? pods.mimir!.ports : pods.mimir!.ports.filter((pp) => rule.ports.some((rp) => {
        if (rp.protocol === "UDP" || rp.protocol === "SCTP") return false;
        if (rp.port === undefined) return true;
        const n = typeof rp.port === "number" ? rp.port : scope.portByName(rp.port);
        if (n === undefined) return false;
        return rp.endPort !== undefined ? pp.port >= n && pp.port <= rp.endPort : pp.port === n;
      }));
      if (ports.length === 0) return;
      const blocks = rule.from.filter((f) => f.ipBlock !== undefined).map((f) => f.ipBlock!);
      const everyone = rule.from.length === 0;
      const anyAddress = blocks.some(isAnywhere) || coverInternet(blocks);
      // namespaceSelector: {} admits every namespace whatever podSelector it adds (anyone who can run a pod can label it).
      const anyNamespace = rule.from.find((f) => f.ipBlock === undefined && f.namespaceSelector !== undefined && Object.keys(f.namespaceSelector).length === 0);
      const everyPod = anyNamespace !== undefined;
      let who: string | undefined;
      let hit = ports;
      if (everyone) who = rule.ports.length === 0 ? "every source (ingress: [{}])" : "every source (no from)";
      else if (anyAddress) who = `ip_block ${blocks.join(" + ")}`;
      else if (everyPod) {
        const labelled = anyNamespace.podSelector !== undefined && Object.keys(anyNamespace.podSelector).length > 0;
        who = labelled ? `every pod of every namespace that carries ${Object.entries(anyNamespace.podSelector!).map(([k, v]) => `${k}=${v}`).join(",")} (namespaceSelector: {}; anyone can label a pod)` : "every pod of every namespace (namespaceSelector: {})";
        // http too: a pod reaches every path (operator endpoints included); nothing on this way filters paths.
        hit = ports;
      }
      if (!who || hit.length === 0) return;
      const list = hit.map((pp) => `${pp.contractName} ${pp.port}`).join(", ");
      const path = [who, `${name} ingress[${i}]`, `pods ${pods.label}:${hit[0].k8sName}`];
      out.push({ resource: p.resource, message: `${name} admits ${who} to ${list}; path: ${arrow(path)}`, fix: "name the namespaces, pods or narrow CIDRs that need access; grpc and memberlist only from Mimir's own pods", path });
    });
  }
  return out;
}
