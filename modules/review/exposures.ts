/**
 * The exposure table: every way in to a port, from the model, with a verdict
 * taken from the policy's findings on the same resource.
 */
import { covers, describeSource, internalPorts, type ExposureModel } from "../exposure/model";
import type { Finding } from "../policy/types";

export interface Exposure {
  /** What the traffic enters through, e.g. `internal listener :<https> HTTPS (forwards)`. */
  readonly entry: string;
  /** The port, named when it is a contract port: `http <port>`. */
  readonly port: string;
  /** Who may connect, in words. */
  readonly sources: string;
  /** `ok`, `acknowledged (MP001)` or `MP001 critical`. */
  readonly verdict: string;
  readonly address: string;
}

/** Drop cdktf's 8-hex-digit logical-id suffix for readability: `aws_security_group.edge_members`. */
export const short = (text: string) => text.replace(/_[0-9A-F]{8}\b/g, "");

function verdictFor(address: string, findings: readonly Finding[]): string {
  const mine = findings.filter((f) => f.address === address);
  const open = mine.filter((f) => !f.acknowledged);
  if (open.length > 0) return open.map((f) => `${f.ruleId} ${f.severity}`).join(", ");
  if (mine.length > 0) return `acknowledged (${mine.map((f) => f.ruleId).join(", ")})`;
  return "ok";
}

export function exposuresOf(model: ExposureModel, findings: readonly Finding[]): Exposure[] {
  const out: Exposure[] = [];
  const portName = (port: number | undefined) => {
    const hit = internalPorts(model).find(([, p]) => p === port);
    return hit ? `${hit[0]} ${port}` : String(port ?? "?");
  };

  // Load balancer listeners and who may reach them (ingress rules of the LB's groups on that port).
  for (const l of model.listeners) {
    const lb = model.loadBalancers.find((x) => x.ref === l.loadBalancer);
    const groups = new Set(lb?.securityGroups ?? []);
    const sources = model.sgRules.filter((r) => r.direction === "ingress" && groups.has(r.group) && l.port !== undefined && covers(r, l.port)).map((r) => describeSource(r.peer));
    const action = l.actions.every((a) => a.type === "redirect") ? `redirects to ${l.actions[0]?.redirectProtocol ?? "?"}` : "forwards";
    const scheme = lb ? (lb.internal ? "internal" : "internet-facing") : "load balancer";
    out.push({ entry: `${scheme} listener :${l.port ?? "?"} ${l.protocol ?? ""} (${action})`.replace(/\s+/g, " "), port: portName(l.port), sources: sources.length ? short([...new Set(sources)].join(", ")) : lb ? "nobody (no rule)" : "unknown", verdict: verdictFor(l.resource.address, findings), address: l.resource.address });
  }
  // Security group rules that open an internal port.
  for (const r of model.sgRules) {
    if (r.direction !== "ingress") continue;
    for (const [name, port] of internalPorts(model)) {
      if (!covers(r, port) || (r.protocol !== "tcp" && r.protocol !== "all" && r.protocol !== "udp")) continue;
      out.push({ entry: `security group ${short(r.group)}${r.inline ? " (inline)" : ""}`, port: `${name} ${port}${r.protocol === "udp" ? "/udp" : ""}`, sources: short(describeSource(r.peer)), verdict: verdictFor(r.resource.address, findings), address: r.resource.address });
    }
  }
  // Services that carry contract ports.
  const ports = new Set(internalPorts(model).map(([, p]) => p));
  for (const s of model.services) {
    for (const p of s.ports.filter((x) => x.port !== undefined && ports.has(x.port))) {
      const reach = s.type === "ClusterIP" && s.externalIps.length === 0 ? "in-cluster, per NetworkPolicy" : `outside the cluster (${s.type}${s.externalIps.length ? ", external IPs" : ""})`;
      out.push({ entry: `Service ${s.name} (${s.type})`, port: portName(p.port), sources: reach, verdict: verdictFor(s.resource.address, findings), address: s.resource.address });
    }
  }
  // Ingress routes, grouped per backend.
  for (const i of model.ingresses) {
    const backends = [...new Set(i.routes.map((r) => r.service ?? "?"))];
    const port = i.routes.find((r) => typeof r.port === "number")?.port as number | undefined;
    out.push({ entry: `Ingress ${i.name}${i.hasTls ? " (TLS)" : " (no TLS)"}`, port: portName(port), sources: `ingress controller → ${backends.join(", ")}`, verdict: verdictFor(i.resource.address, findings), address: i.resource.address });
  }
  // NetworkPolicies: what each admits.
  for (const p of model.networkPolicies) {
    for (const rule of p.ingress) {
      const from = rule.from.map((f) => (f.kind === "ip-block" ? f.cidr : [f.namespaceLabels ? `ns ${Object.values(f.namespaceLabels).join(",") || "any"}` : "", Object.keys(f.podLabels).length ? `pods ${Object.entries(f.podLabels).map(([k, v]) => `${k.replace("app.kubernetes.io/", "")}=${v}`).join(",")}` : "all pods"].filter(Boolean).join(" / ")));
      out.push({ entry: `NetworkPolicy ${p.name}`, port: rule.ports.map((x) => portName(Number(x.port))).join(", ") || "all", sources: from.join("; ") || "every source (no from)", verdict: verdictFor(p.resource.address, findings), address: p.resource.address });
    }
  }
  return out;
}
