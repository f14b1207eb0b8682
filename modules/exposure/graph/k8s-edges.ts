/**
 * Kubernetes into the graph: Services (type, nodePorts, externalIPs, ports
 * resolved by name or number to the selected pods' container ports),
 * hostPort / hostNetwork on Mimir's workloads, Ingress and Gateway API routes
 * to their backends, and TargetGroupBindings from target groups to Services.
 */
import type { Graph } from "./graph";
import { addRouteRule } from "./route-rules";
import { readReferenceGrants, referencePermitted } from "./reference-grants";
import type { K8sObjects, KService } from "./k8s-objects";
import { isAnywhere } from "../../contract/cidr";
import { isToken, type MimirScope } from "./mimir-scope";

interface SvcPort {
  readonly id: string;
  readonly name?: string;
  readonly port?: number;
}

/**
 * Services that front Ingresses and routes (ingress controllers, Gateway data planes) outside the stack: the one the
 * contract output declares (`entry.loadBalancerTarget`), proven by the stack's own configuration; none when the load
 * balancer targets Mimir's own Service (entry kinds direct, chart-gateway). Only an output that declares neither
 * (older stacks, plans without the contract) falls back to the usual names.
 */
const CONTROLLER_NAMES = /ingress|gateway|controller|envoy|traefik|contour|haproxy|kong|istio|nginx/i;
export type FrontDoorJudge = (namespace: string | undefined, name: string) => boolean;
export function frontDoorJudge(services: ServiceIndex, entry: { readonly kind: string; readonly loadBalancerTarget?: string } | undefined): FrontDoorJudge {
  const declared = entry?.loadBalancerTarget;
  // The load balancer targets Mimir's own Service (in the stack): nothing outside it is the front door.
  if (declared === undefined && (entry?.kind === "direct" || entry?.kind === "chart-gateway")) return () => false;
  if (declared === undefined) return (namespace, name) => CONTROLLER_NAMES.test(`${namespace ?? ""}/${name}`);
  const slash = declared.indexOf("/");
  const key = services.key(declared.slice(0, slash), declared.slice(slash + 1));
  return (namespace, name) => services.key(namespace, name) === key;
}

export class ServiceIndex {
  private readonly ports = new Map<string, SvcPort[]>();
  constructor(
    private readonly g: Graph,
    private readonly scope: MimirScope,
    private readonly ns: (v: string | undefined) => string | undefined,
  ) {}

  key(namespace: string | undefined, name: string): string {
    return `${this.ns(namespace ?? "default") ?? namespace}/${name}`;
  }

  /** A namespace as written (undefined: "default"), resolved; undefined when only apply knows it. */
  readonly resolve = (namespace: string | undefined): string | undefined => this.ns(namespace ?? "default");

  add(s: KService): void {
    const key = this.key(s.namespace, s.name);
    const component = s.selector === undefined ? undefined : this.scope.selects(s.namespace, s.selector);
    const list: SvcPort[] = [];
    s.ports.forEach((p, i) => {
      const id = `svcport:${key}:${i}`;
      this.g.node({ id, kind: "hop", label: `Service ${key}:${p.port ?? "?"}${p.name ? ` (${p.name})` : ""}` });
      list.push({ id, name: p.name, port: p.port });
      if (component === undefined) {
        // Selectorless Services: their endpoints are read by ./endpoint-slices.ts.
        return;
      }
      if ([p.raw.port, p.raw.targetPort, p.raw.target_port, p.raw.nodePort, p.raw.node_port].some(isToken)) {
        this.g.unknown({ resource: s.resource, reason: `a port of Service ${s.name} is not known until apply`, path: [`Service ${key}`, `pods ${this.scope.podsNode(component).label}`] });
      }
      const target = p.targetPort === undefined ? p.port : typeof p.targetPort === "number" ? p.targetPort : this.scope.portByName(p.targetPort);
      if (target === undefined) {
        if (typeof p.targetPort === "string" && isToken(p.targetPort)) this.g.unknown({ resource: s.resource, reason: `target port ${p.targetPort} is not known until apply`, path: [`Service ${key}`] });
        return;
      }
      this.g.edge({ from: id, to: this.scope.podsNode(component).id, out: target, proto: p.protocol === "UDP" ? "udp" : "tcp", label: `targetPort ${p.targetPort ?? p.port}` });
    });
    if (component !== undefined && isToken(s.type)) {
      const reached = s.ports.map((p) => (typeof p.targetPort === "number" ? this.scope.ports.find((x) => x.port === p.targetPort)?.k8sName ?? String(p.targetPort) : p.targetPort ?? String(p.port ?? "?")));
      this.g.unknown({ resource: s.resource, reason: `Service ${s.name} type ${s.type} is not known until apply (it may be LoadBalancer or NodePort); it selects Mimir's pods ${this.scope.podsNode(component).label} on port(s) ${reached.join(", ")}`, path: [`Service ${key} (type ${s.type})`, `pods ${this.scope.podsNode(component).label}`] });
    }
    this.ports.set(key, list);
  }

  /** The node of a Service port by number or name; chart Services (not in the stack) by their names. */
  find(namespace: string | undefined, name: string, port: string | number | undefined): SvcPort[] {
    const key = this.key(namespace, name);
    let list = this.ports.get(key);
    if (!list) {
      const chart = this.scope.chartService(namespace, name);
      if (!chart) return [];
      list = chart.ports.map((p, i) => {
        const id = `svcport:${key}:${i}`;
        this.g.node({ id, kind: "hop", label: `Service ${key}:${p.port} (${p.name})` });
        // A binding registers pod IPs: the load balancer's protocol (UDP for gossip) goes straight to the pod.
        this.g.edge({ from: id, to: this.scope.podsNode(chart.component).id, out: p.target, label: `targetPort ${p.name}` });
        return { id, name: p.name, port: p.port };
      });
      this.ports.set(key, list);
    }
    if (port === undefined) return list;
    return list.filter((p) => p.port === port || p.name === port);
  }
}

/**
 * `selectsDataPlane`: does a Service select the data plane's pods (an entry proxy or ingress controller, by the
 * labels the stack states or trusts, never by its name)? Such a Service leads to every route.
 */
export function addKubernetes(g: Graph, k8s: K8sObjects, scope: MimirScope, services: ServiceIndex, ref: (v: unknown) => string, selectsDataPlane: (s: KService) => boolean = () => false, frontDoor: FrontDoorJudge = frontDoorJudge(services, undefined)): void {
  const outside = () => g.node({ id: "outside", kind: "source", untrusted: true, label: "outside the cluster (node addresses)" });
  for (const s of k8s.services) services.add(s);
  for (const s of k8s.services) {
    const key = services.key(s.namespace, s.name);
    s.ports.forEach((p, i) => {
      const id = `svcport:${key}:${i}`;
      if (s.type === "LoadBalancer") {
        const src = g.node(s.internalLb ? { id: "vpc", kind: "source", untrusted: true, label: "the VPC" } : { id: "internet", kind: "source", untrusted: true, internet: true, label: "0.0.0.0/0" });
        g.edge({ from: src.id, to: id, label: `Service ${key} (LoadBalancer${s.internalLb ? ", internal" : ""}) :${p.port ?? "?"}`, resource: s.resource, entry: "service", tls: false });
      }
      if (s.type === "LoadBalancer" || s.type === "NodePort") {
        g.edge({ from: outside().id, to: id, accept: p.nodePort === undefined ? undefined : [p.nodePort, p.nodePort], label: `Service ${key} (${s.type}) nodePort ${p.nodePort ?? "(any)"}`, resource: s.resource, entry: "service", tls: false });
      }
      for (const ip of s.externalIps) g.edge({ from: outside().id, to: id, label: `Service ${key} externalIP ${ip}:${p.port ?? "?"}`, resource: s.resource, entry: "service", tls: false });
    });
  }

  for (const w of k8s.workloads) {
    if (!scope.isMimirWorkload(w)) continue;
    const component = w.podLabels["app.kubernetes.io/component"] ?? w.name;
    const pods = scope.podsNode(component);
    if (w.hostNetwork) g.edge({ from: outside().id, to: pods.id, label: `${w.kind} ${w.name} hostNetwork`, resource: w.resource, entry: "host-port", tls: false });
    for (const p of w.ports) {
      if (p.hostPort === undefined) continue;
      g.edge({ from: outside().id, to: pods.id, accept: [p.hostPort, p.hostPort], out: p.containerPort ?? p.hostPort, label: `${w.kind} ${w.name} hostPort ${p.hostPort}`, resource: w.resource, entry: "host-port", tls: false });
    }
  }

  const gateways = new Map(k8s.gateways.map((x) => [services.key(x.namespace, x.name), x]));
  const grants = readReferenceGrants(k8s.other);
  const fronted = k8s.bindings.some((b) => frontDoor(b.namespace, b.serviceName) && services.find(b.namespace, b.serviceName, b.servicePort).length === 0);
  for (const r of k8s.routes) {
    const routeNs = r.namespace;
    const routeId = `route:${r.resource.address}:${r.kind}:${r.name}`;
    g.node({ id: routeId, kind: "hop", label: `${r.kind} ${services.key(routeNs, r.name)}` });
    if (r.kind === "Ingress") {
      const src = g.node({ id: `ingress-controller:${r.className ?? "default"}`, kind: "source", untrusted: true, label: `ingress controller (${r.className ?? "default class"})` });
      g.edge({ from: src.id, to: routeId, tls: r.tls === true, label: `Ingress ${services.key(routeNs, r.name)} (${r.tls ? "TLS" : "no TLS"})`, resource: r.resource, entry: "ingress" });
    } else {
      const parents = r.parents.length > 0 ? r.parents : [{ name: "(no parent)", namespace: undefined, sectionName: undefined }];
      for (const p of parents) {
        const gw = gateways.get(services.key(p.namespace ?? routeNs, p.name));
        const listeners = gw ? gw.listeners.filter((l) => p.sectionName === undefined || l.name === p.sectionName) : [];
        const src = g.node({ id: `gateway:${p.namespace ?? routeNs}/${p.name}`, kind: "source", untrusted: true, label: `Gateway ${p.name}${gw ? "" : " (not in this stack)"}` });
        // A Gateway's data plane usually sits behind the load balancer's TLS listener (TargetGroupBinding), where
        // plaintext is judged (MP002); on its own the route is judged by what it reaches (ports, paths).
        // A Gateway in this stack decides by its listeners: a plain HTTP (or TCP) listener is not TLS, unless the load
        // balancer fronts the Gateway data plane (a TargetGroupBinding to it), where its listener is judged (MP002).
        const tls = fronted || listeners.length === 0 || listeners.every((l) => l.protocol === "HTTPS" || l.protocol === "TLS");
        const via = listeners.map((l) => `:${l.port ?? "?"} ${l.protocol}`).join(", ");
        g.edge({ from: src.id, to: routeId, tls, label: `${r.kind} ${services.key(routeNs, r.name)}${via ? ` via ${via}` : ""}`, resource: r.resource, entry: "route" });
      }
    }
    const parents = r.kind === "Ingress" ? [] : (r.parents.length > 0 ? r.parents : [{ name: "(no parent)", namespace: undefined }]).map((p) => `gateway:${p.namespace ?? routeNs}/${p.name}`);
    // A backendRef into another namespace counts only where a ReferenceGrant there permits it (else RefNotPermitted).
    const fromNs = r.kind === "Ingress" ? undefined : services.resolve(routeNs);
    const find = (ns: string | undefined, name: string, port: string | number | undefined) => (referencePermitted(grants, services.resolve, r.kind, fromNs, services.resolve(ns), name) ? services.find(ns, name, port) : []);
    for (const rule of r.rules) addRouteRule(g, r, rule, { find, parents, routeId, routeLabel: `${r.kind} ${services.key(routeNs, r.name)}` });
  }

  // Ingress controllers and Gateway data planes: their Service leads to every Ingress / route (matched by name, see README).
  const routeNodes = k8s.routes.map((r) => ({ id: `route:${r.resource.address}:${r.kind}:${r.name}`, r }));
  const linkController = (from: string, label: string) => {
    for (const { id, r } of routeNodes) g.edge({ from, to: id, tlsOr: r.kind === "Ingress" ? r.tls === true : undefined, label: `${label ? `${label} → ` : ""}${r.kind} ${services.key(r.namespace, r.name)}${r.kind === "Ingress" ? (r.tls ? " (TLS)" : " (no TLS)") : ""}` });
  };
  for (const s of k8s.services) {
    if (!selectsDataPlane(s) || (s.selector !== undefined && scope.selects(s.namespace, s.selector) !== undefined)) continue;
    s.ports.forEach((_p, i) => linkController(`svcport:${services.key(s.namespace, s.name)}:${i}`, `Service ${services.key(s.namespace, s.name)} selects the data plane's pods`));
  }
  for (const b of k8s.bindings) {
    const tgRef = ref(b.targetGroup);
    const tgId = `tg:${tgRef}`;
    if (!g.nodes.has(tgId)) g.node({ id: tgId, kind: "hop", label: `tg ${tgRef}` });
    if (isToken(b.servicePort) || isToken(b.serviceName)) {
      g.unknown({ resource: b.resource, reason: `TargetGroupBinding ${b.name} registers Service ${services.key(b.namespace, b.serviceName)} port ${b.servicePort ?? "?"}, not known until apply: it may put any port of Mimir's pods behind ${tgRef}`, path: [`tg ${tgRef}`, `TargetGroupBinding ${b.name} → Service ${services.key(b.namespace, b.serviceName)}:${b.servicePort ?? "?"}`] });
    }
    const found = services.find(b.namespace, b.serviceName, b.servicePort);
    for (const sp of found) {
      g.edge({ from: tgId, to: sp.id, label: `TargetGroupBinding ${b.name} (${b.targetType ?? "ip"}) → ${g.nodes.get(sp.id)?.label}`, resource: b.resource });
    }
    // spec.networking: the controller opens these ports on the targets' security group, i.e. to every pod on them.
    const targetsMimir = found.some((sp) => g.edgesFrom(sp.id).some((e) => g.nodes.get(e.to)?.mimir !== undefined));
    if (targetsMimir) {
      for (const rule of b.networking) {
        for (const cidr of rule.cidrs) {
          const src = g.node({ id: `cidr:${cidr}`, kind: "source", untrusted: true, internet: isAnywhere(cidr), label: cidr });
          const ports = rule.ports.length > 0 ? rule.ports : [{ protocol: "TCP", port: undefined }];
          for (const p of ports) {
            const n = typeof p.port === "string" ? scope.portByName(p.port) : p.port;
            if (p.port !== undefined && n === undefined) continue;
            g.edge({ from: src.id, to: scope.podsNode("*").id, accept: n === undefined ? undefined : [n, n], proto: p.protocol === "UDP" ? "udp" : "tcp", label: `TargetGroupBinding ${b.name} networking ${cidr} ${p.protocol} ${p.port ?? "(every port)"}`, resource: b.resource, entry: "security-group", tls: false });
          }
        }
      }
    }
    if (found.length === 0 && frontDoor(b.namespace, b.serviceName)) {
      const id = `controller:${services.key(b.namespace, b.serviceName)}`;
      g.node({ id, kind: "hop", label: `Service ${services.key(b.namespace, b.serviceName)} (ingress controller)` });
      g.edge({ from: tgId, to: id, label: `TargetGroupBinding ${b.name} (${b.targetType ?? "ip"})`, resource: b.resource });
      linkController(id, "");
    } else if (found.length === 0 && !isToken(b.serviceName) && scope.namespaceMatches(b.namespace)) {
      // A Service outside the stack, in a namespace that may be Mimir's (a Service selects pods of its own namespace),
      // that is not the entry's declared front door: what its pods serve is not known.
      g.unknown({ resource: b.resource, reason: `TargetGroupBinding ${b.name} registers Service ${services.key(b.namespace, b.serviceName)}, which is not in this stack and not the entry's data plane the contract declares: whatever its pods are (Mimir's included) sits behind ${tgRef}`, path: [`tg ${tgRef}`, `TargetGroupBinding ${b.name} → Service ${services.key(b.namespace, b.serviceName)}:${b.servicePort ?? "?"}`] });
    }
  }
}
