/**
 * Shapes the readers cannot see through, each an unknown (MP015), never a pass:
 * - cdktf `.dynamic()` on an attribute block, written as a `${[for ...]}` /
 *   `${{for ...}}` expression (the blocks exist only after Terraform expands them);
 * - target groups on a Mimir port whose registrations (attachments,
 *   TargetGroupBindings) are not in the stack;
 * - a hostPort in chart values on a container port that is not a contract
 *   port (a sidecar can relay to localhost; typed and manifest workloads
 *   declare their containers' ports, so there it is a full MP005 finding);
 * - chart values that turn on the chart's own Ingress or route
 *   (`<component>.ingress.enabled`, `<component>.route.enabled`,
 *   `<component>.httproute.enabled`): every path to that component, an edge.
 */
import { isPlainObject, walk } from "../../shared/objects";
import type { TfResource } from "../terraform-json";
import { num } from "../readers/json";
import type { Graph } from "./graph";
import type { K8sObjects } from "./k8s-objects";
import type { MimirScope } from "./mimir-scope";

const FOR_EXPRESSION = /\$\{\s*[[{]\s*for\s/;

function firstForExpression(v: unknown, path: string[], depth: number): string[] | undefined {
  if (typeof v === "string") return FOR_EXPRESSION.test(v) ? path : undefined;
  if (depth > 8) return undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const hit = firstForExpression(v[i], [...path, String(i)], depth + 1);
      if (hit) return hit;
    }
  } else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      if (k === "//") continue;
      const hit = firstForExpression(x, [...path, k], depth + 1);
      if (hit) return hit;
    }
  }
  return undefined;
}

export function addUnseen(g: Graph, relevant: readonly TfResource[], byType: (t: string) => readonly TfResource[], k8s: K8sObjects, scope: MimirScope, ref: (v: unknown) => string): void {
  for (const r of relevant) {
    const at = firstForExpression(r.values, [], 0);
    if (at) g.unknown({ resource: r, reason: `${at.join(".")} is a for expression (a cdktf dynamic block on an attribute): its blocks (ports, sources, actions) exist only after Terraform expands them`, path: [r.address, at.join(".")] });
  }
  const registered = new Set<string>();
  for (const t of ["aws_lb_target_group_attachment", "aws_alb_target_group_attachment"]) for (const a of byType(t)) registered.add(ref(a.values.target_group_arn));
  for (const b of k8s.bindings) registered.add(ref(b.targetGroup));
  for (const t of ["aws_lb_target_group", "aws_alb_target_group"]) {
    for (const tg of byType(t)) {
      const port = num(tg.values.port);
      if (port === undefined || !scope.isContractPort(port) || registered.has(tg.address)) continue;
      if (tg.values.target_type === "lambda") continue;
      const name = scope.ports.find((p) => p.port === port)!;
      g.unknown({ resource: tg, reason: `target group on Mimir's ${name.contractName} port ${port} has no registration in this stack (no attachment or TargetGroupBinding): whatever registers its targets elsewhere may be Mimir's pods`, path: [`tg ${tg.address.replace(/_[0-9A-F]{8}\b/g, "")} ${port}`, "targets not in this stack"] });
    }
  }
}

/** Chart values of a Mimir release: hostPorts on non-contract ports, and the chart's own Ingress / routes turned on. */
export function addChartUnseen(g: Graph, r: TfResource, values: Record<string, unknown>, scope: MimirScope): void {
  for (const [path, value] of walk(values)) {
    const key = path[path.length - 1];
    if (isPlainObject(value) && typeof value.hostPort === "number") {
      const inner = typeof value.containerPort === "number" ? value.containerPort : undefined;
      if (inner === undefined || !scope.isContractPort(inner)) g.unknown({ resource: r, reason: `chart values ${path.join(".")} open hostPort ${value.hostPort} on container port ${inner ?? "?"} of a Mimir pod: what that container serves (it can relay to Mimir's ports on localhost) is not visible`, path: [`node :${value.hostPort}`, `${r.address} values ${path.join(".")}`] });
    }
    if (key === "enabled" && value === true && path.length >= 3 && /^(ingress|route|routes|httproute|httpRoute)$/.test(path[path.length - 2])) {
      const component = path[0] === "nginx" ? "nginx" : path[0];
      const entry = path.slice(0, -1).join(".");
      const src = g.node({ id: `ingress-controller:chart:${r.address}:${entry}`, kind: "source", untrusted: true, label: `the chart's own ${path[path.length - 2]} (${entry})` });
      const svc = `helm-entry:${r.address}:${entry}`;
      g.node({ id: svc, kind: "hop", label: `Service ${scope.fullname}-${component}` });
      g.edge({ from: src.id, to: svc, tls: true, label: `${r.address} values ${entry}.enabled=true (every path)`, resource: r, entry: "helm" });
      g.edge({ from: svc, to: scope.podsNode(component).id, out: scope.ports[0].port, label: "http-metrics" });
    }
  }
}
