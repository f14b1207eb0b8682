/**
 * The mimir-distributed chart's keys that create exposure, read from the
 * resolved values: `<component>.service.type` LoadBalancer/NodePort,
 * nodePort / externalIPs / loadBalancerIP, any `hostPort` (extraContainers,
 * extraPorts) and `hostNetwork` on Mimir's pods.
 */
import { isPlainObject, walk } from "../../shared/objects";
import type { TfResource } from "../terraform-json";
import type { Graph } from "./graph";
import type { MimirScope } from "./mimir-scope";

const componentOf = (key: string | undefined) => (key ?? "*").replace(/_/g, "-");

export function addHelm(g: Graph, r: TfResource, values: Record<string, unknown>, scope: MimirScope): void {
  const outside = () => g.node({ id: "outside", kind: "source", untrusted: true, label: "outside the cluster (node addresses)" });
  const at = (path: string[]) => `${r.address} values ${path.join(".")}`;
  const toPods = (path: string[]) => scope.podsNode(path.length > 1 && !["global", "mimir"].includes(path[0]) ? componentOf(path[0]) : "*").id;
  const chartService = (path: string[]) => {
    // `<component>.service`: the chart's Service for the component carries http-metrics and grpc.
    const component = componentOf(path[0]);
    const id = `helm-svc:${r.address}:${path.join(".")}`;
    g.node({ id, kind: "hop", label: `Service ${scope.fullname}-${component}` });
    const pods = scope.podsNode(component === "*" ? "*" : component).id;
    g.edge({ from: id, to: pods, out: scope.ports[0].port, label: "http-metrics" });
    g.edge({ from: id, to: pods, out: scope.ports[1].port, label: "grpc" });
    return id;
  };
  for (const [path, value] of walk(values)) {
    const key = path[path.length - 1];
    if (key === "type" && path[path.length - 2] === "service" && (value === "LoadBalancer" || value === "NodePort")) {
      const svc = chartService(path);
      const src = value === "LoadBalancer" ? g.node({ id: "internet", kind: "source", untrusted: true, internet: true, label: "0.0.0.0/0" }) : outside();
      g.edge({ from: src.id, to: svc, label: `${at(path)}=${value}`, resource: r, entry: "helm", tls: false });
    } else if ((key === "nodePort" && typeof value === "number") || (key === "loadBalancerIP" && typeof value === "string" && value !== "") || (key === "externalIPs" && Array.isArray(value) && value.length > 0)) {
      if (path.includes("extraPorts") || path.includes("ports")) continue; // handled with its port object below
      g.edge({ from: outside().id, to: chartService(path), label: `${at(path)}=${JSON.stringify(value)}`, resource: r, entry: "helm", tls: false });
    } else if (key === "hostNetwork" && value === true) {
      g.edge({ from: outside().id, to: toPods(path), label: `${at(path)}=true`, resource: r, entry: "helm", tls: false });
    } else if (isPlainObject(value) && (typeof value.hostPort === "number" || typeof value.nodePort === "number")) {
      const inner = (typeof value.containerPort === "number" ? value.containerPort : typeof value.targetPort === "number" ? value.targetPort : typeof value.port === "number" ? value.port : undefined) as number | undefined;
      const outer = (value.hostPort ?? value.nodePort) as number;
      g.edge({ from: outside().id, to: toPods(path), accept: [outer, outer], out: inner ?? outer, label: `${at(path)} ${typeof value.hostPort === "number" ? "hostPort" : "nodePort"} ${outer}`, resource: r, entry: "helm", tls: false });
    }
  }
}

/** `extraArgs` that move a contract port: `server.grpc-listen-port: 9000` (with or without the leading dash). */
export function movedByExtraArgs(values: Record<string, unknown>, flags: ReadonlyArray<{ flag: string; port: number; name: string }>): Array<{ path: string[]; flag: string; value: unknown; want: number; name: string }> {
  const out: Array<{ path: string[]; flag: string; value: unknown; want: number; name: string }> = [];
  for (const [path, value] of walk(values)) {
    const i = path.indexOf("extraArgs");
    if (i < 0) continue;
    const tail = path.slice(i + 1);
    let flagText: string | undefined;
    let v: unknown = value;
    if (tail.length === 1 && !/^\d+$/.test(tail[0])) flagText = tail[0];
    else if (tail.length === 1 && typeof value === "string") {
      const m = /^-{0,2}([^=]+)=(.*)$/.exec(value);
      if (m) [flagText, v] = [m[1], m[2]];
    }
    if (!flagText) continue;
    const clean = flagText.replace(/^-+/, "");
    for (const f of flags) {
      if (clean === f.flag.replace(/^-+/, "") && Number(v) !== f.port) out.push({ path, flag: clean, value: v, want: f.port, name: f.name });
    }
  }
  return out;
}
