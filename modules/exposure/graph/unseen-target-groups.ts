/**
 * Target groups the stack cannot see (issue 30, item 6): a TargetGroupBinding that registers a Service of
 * Mimir's pods (or the entry's data plane in front of them) into a target group given as a literal ARN, a data
 * source or a name of no target group in the stack. Every listener, rule and source of that load balancer is
 * invisible, so every port it registers is an unknown (MP015), never a pass.
 */
import type { Graph } from "./graph";
import type { K8sObjects } from "./k8s-objects";
import type { ServiceIndex } from "./k8s-edges";


/** The hops into Mimir's pods reachable from this node (edge labels naming the port), empty when none; memoized. */
function mimirHops(g: Graph, from: string, memo: Map<string, string[]>): string[] {
  const known = memo.get(from);
  if (known !== undefined) return known;
  const seen = new Set<string>();
  const todo = [from];
  const hops = new Set<string>();
  while (todo.length > 0) {
    const id = todo.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of g.edgesFrom(id)) {
      if (g.nodes.get(e.to)?.mimir !== undefined) hops.add(`${e.label} → ${g.nodes.get(e.to)?.label ?? e.to}`);
      else todo.push(e.to);
    }
  }
  const out = [...hops].sort();
  memo.set(from, out);
  return out;
}

export function addUnseenTargetGroups(g: Graph, k8s: K8sObjects, services: ServiceIndex, ref: (v: unknown) => string, isTargetGroup: (address: string) => boolean): void {
  const memo = new Map<string, string[]>();
  for (const b of k8s.bindings) {
    const tg = ref(b.targetGroup);
    if (isTargetGroup(tg)) continue;
    const key = services.key(b.namespace, b.serviceName);
    const starts = [...services.find(b.namespace, b.serviceName, b.servicePort).map((s) => s.id), ...(g.nodes.has(`controller:${key}`) ? [`controller:${key}`] : [])];
    const hops = [...new Set(starts.flatMap((id) => mimirHops(g, id, memo)))];
    if (hops.length === 0) continue;
    const what = tg === "" ? "no target group" : /\bdata\./.test(tg) ? `target group ${tg} (a data source, not in this stack)` : `target group ${tg} (not in this stack)`;
    const shown = hops.length > 3 ? [...hops.slice(0, 3), `${hops.length - 3} more`] : hops;
    g.unknown({
      resource: b.resource,
      reason: `TargetGroupBinding ${b.name} registers Service ${key} port ${b.servicePort ?? "?"} into ${what}, and Mimir's pods are behind it (${shown.join("; ")}): the load balancer, its listeners and sources are not visible, so whoever reaches it is unknown`,
      path: [what, `TargetGroupBinding ${b.name} → Service ${key}:${b.servicePort ?? "?"}`, ...shown],
    });
  }
}
