/**
 * One model of who can reach which port, built from Terraform JSON. It reads
 * any resource of the known types, whoever created it: our constructs, raw
 * provider resources, escape-hatch overrides, or a plan of someone else's code.
 */
import { parseAllDocuments } from "yaml";
import { isAnywhere } from "../contract/cidr";
import { deepMerge, isPlainObject } from "../helm/merge";
import type { ContractInfo, StackDocument, TfResource } from "./terraform-json";
import { unescapeTemplate } from "./terraform-template";

export type Source =
  | { readonly kind: "cidr"; readonly cidr: string }
  | { readonly kind: "prefix-list"; readonly id: string }
  | { readonly kind: "security-group"; readonly ref: string }
  | { readonly kind: "self" };

export interface SgRule {
  readonly resource: TfResource;
  /** Inline blocks share their group's resource; `index` tells them apart. */
  readonly inline: boolean;
  readonly direction: "ingress" | "egress";
  /** Reference to the group the rule belongs to (`aws_security_group.x`) or a literal id. */
  readonly group: string;
  /** `tcp`, `udp`, `icmp` or `all`. */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly peer: Source;
  readonly description?: string;
}

export interface Listener {
  readonly resource: TfResource;
  readonly loadBalancer?: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly sslPolicy?: string;
  readonly actions: ReadonlyArray<{ readonly type: string; readonly redirectProtocol?: string; readonly targetGroup?: string }>;
}

export interface LoadBalancer {
  readonly resource: TfResource;
  readonly ref: string;
  readonly type: string;
  readonly internal: boolean;
  readonly dropInvalidHeaderFields: boolean;
  readonly securityGroups: readonly string[];
}

export interface TargetGroup {
  readonly resource: TfResource;
  readonly ref: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly healthCheckPath?: string;
}

export interface ServicePort {
  readonly name?: string;
  readonly port?: number;
  readonly targetPort?: string;
  readonly nodePort?: number;
  readonly protocol: string;
}

export interface Service {
  readonly resource: TfResource;
  readonly name: string;
  readonly namespace?: string;
  readonly type: string;
  readonly ports: readonly ServicePort[];
  readonly externalIps: readonly string[];
  readonly selector: Readonly<Record<string, string>>;
}

export interface IngressRoute {
  readonly host?: string;
  readonly path: string;
  readonly service?: string;
  readonly port?: number | string;
}

export interface Ingress {
  readonly resource: TfResource;
  readonly name: string;
  readonly namespace?: string;
  readonly tlsHosts: readonly string[];
  readonly hasTls: boolean;
  readonly routes: readonly IngressRoute[];
}

export type PolicyPeer =
  | { readonly kind: "pods"; readonly podLabels: Record<string, string>; readonly namespace?: string; readonly namespaceLabels?: Record<string, string> }
  | { readonly kind: "ip-block"; readonly cidr: string };

export interface NetworkPolicy {
  readonly resource: TfResource;
  readonly name: string;
  readonly namespace?: string;
  readonly podSelector: Readonly<Record<string, string>>;
  readonly policyTypes: readonly string[];
  readonly ingress: ReadonlyArray<{ readonly from: readonly PolicyPeer[]; readonly ports: ReadonlyArray<{ readonly port?: string; readonly protocol: string }> }>;
}

export interface HelmRelease {
  readonly resource: TfResource;
  readonly name: string;
  readonly chart: string;
  readonly namespace?: string;
  /** Values merged in order; undefined when not readable (e.g. computed). */
  readonly values?: Record<string, unknown>;
}

export interface ExposureModel {
  readonly stack: string;
  readonly file: string;
  readonly format: StackDocument["format"];
  readonly contract: ContractInfo;
  readonly resources: readonly TfResource[];
  /** Plans only: what the plan will do, per resource. */
  readonly plannedChanges?: StackDocument["plannedChanges"];
  readonly securityGroups: ReadonlyArray<{ readonly resource: TfResource; readonly ref: string; readonly label: string }>;
  readonly sgRules: readonly SgRule[];
  readonly loadBalancers: readonly LoadBalancer[];
  readonly listeners: readonly Listener[];
  readonly targetGroups: readonly TargetGroup[];
  readonly services: readonly Service[];
  readonly ingresses: readonly Ingress[];
  readonly networkPolicies: readonly NetworkPolicy[];
  readonly helmReleases: readonly HelmRelease[];
}

// --- small readers over provider JSON (blocks are objects in cdktf, one-element lists in plans) ---
const first = (v: unknown): Record<string, any> | undefined => (Array.isArray(v) ? (isPlainObject(v[0]) ? v[0] : undefined) : isPlainObject(v) ? v : undefined);
const list = (v: unknown): Array<Record<string, any>> => (Array.isArray(v) ? v.filter(isPlainObject) : isPlainObject(v) ? [v] : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : undefined);
const labels = (v: unknown): Record<string, string> => (isPlainObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, String(x)])) : {});

/** `${aws_security_group.x.id}` → `aws_security_group.x`; literal ids stay as they are. */
export function refOf(value: unknown): string {
  const s = String(value ?? "");
  const m = /^\$\{([a-z0-9_]+\.[^.}]+)(?:\.[a-z_]+)?(?:\[[^\]]*\])?\}$/.exec(s);
  return m ? m[1] : s;
}

function protocolOf(v: unknown): string {
  const p = String(v ?? "").toLowerCase();
  if (p === "-1" || p === "all") return "all";
  if (p === "6") return "tcp";
  if (p === "17") return "udp";
  return p;
}

function portRange(protocol: string, from: unknown, to: unknown): [number, number] {
  if (protocol === "all") return [0, 65535];
  const f = num(from);
  const t = num(to);
  if (f === undefined && t === undefined) return [0, 65535];
  if (f === -1 || f === undefined) return [0, 65535];
  return [f, t ?? f];
}

function sgRulesOf(r: TfResource): SgRule[] {
  const v = r.values;
  const rules: SgRule[] = [];
  const push = (direction: "ingress" | "egress", group: string, block: Record<string, any>, inline: boolean, peers: Source[]) => {
    const protocol = protocolOf(block.ip_protocol ?? block.protocol);
    const [fromPort, toPort] = portRange(protocol, block.from_port, block.to_port);
    for (const peer of peers) rules.push({ resource: r, inline, direction, group, protocol, fromPort, toPort, peer, description: typeof block.description === "string" && block.description.trim() !== "" ? block.description : undefined });
  };
  const peersOfBlock = (b: Record<string, any>): Source[] => [
    ...strings(b.cidr_blocks).map((cidr) => ({ kind: "cidr", cidr }) as Source),
    ...strings(b.ipv6_cidr_blocks).map((cidr) => ({ kind: "cidr", cidr }) as Source),
    ...strings(b.prefix_list_ids).map((id) => ({ kind: "prefix-list", id }) as Source),
    ...strings(b.security_groups).map((ref) => ({ kind: "security-group", ref: refOf(ref) }) as Source),
    ...(b.self === true ? [{ kind: "self" } as Source] : []),
  ];
  switch (r.type) {
    case "aws_security_group":
      for (const dir of ["ingress", "egress"] as const) for (const b of list(v[dir])) push(dir, r.address, b, true, peersOfBlock(b));
      break;
    case "aws_security_group_rule": {
      const peers = peersOfBlock(v);
      if (v.source_security_group_id) peers.push({ kind: "security-group", ref: refOf(v.source_security_group_id) });
      push(v.type === "egress" ? "egress" : "ingress", refOf(v.security_group_id), v, false, peers);
      break;
    }
    case "aws_vpc_security_group_ingress_rule":
    case "aws_vpc_security_group_egress_rule": {
      const peers: Source[] = [];
      if (v.cidr_ipv4) peers.push({ kind: "cidr", cidr: String(v.cidr_ipv4) });
      if (v.cidr_ipv6) peers.push({ kind: "cidr", cidr: String(v.cidr_ipv6) });
      if (v.prefix_list_id) peers.push({ kind: "prefix-list", id: String(v.prefix_list_id) });
      if (v.referenced_security_group_id) {
        const ref = refOf(v.referenced_security_group_id);
        peers.push(ref === refOf(v.security_group_id) ? { kind: "self" } : { kind: "security-group", ref });
      }
      push(r.type.endsWith("ingress_rule") ? "ingress" : "egress", refOf(v.security_group_id), v, false, peers);
      break;
    }
  }
  return rules;
}

function serviceOf(r: TfResource): Service {
  const meta = first(r.values.metadata) ?? {};
  const spec = first(r.values.spec) ?? {};
  return {
    resource: r,
    name: String(meta.name ?? r.name),
    namespace: meta.namespace,
    type: String(spec.type ?? "ClusterIP"),
    ports: list(spec.port).map((p) => ({ name: p.name, port: num(p.port), targetPort: p.target_port === undefined ? undefined : String(p.target_port), nodePort: num(p.node_port), protocol: String(p.protocol ?? "TCP").toUpperCase() })),
    externalIps: strings(spec.external_ips),
    selector: labels(spec.selector),
  };
}

function ingressOf(r: TfResource): Ingress {
  const meta = first(r.values.metadata) ?? {};
  const spec = first(r.values.spec) ?? {};
  const tls = list(spec.tls);
  const routes: IngressRoute[] = [];
  for (const rule of list(spec.rule)) {
    for (const http of list(rule.http)) {
      for (const p of list(http.path)) {
        const backend = first(p.backend) ?? {};
        const svc = first(backend.service);
        const port = first(svc?.port);
        routes.push({ host: rule.host, path: String(p.path ?? "/"), service: svc?.name ?? backend.service_name, port: port?.number ?? port?.name ?? backend.service_port });
      }
    }
  }
  return { resource: r, name: String(meta.name ?? r.name), namespace: meta.namespace, tlsHosts: tls.flatMap((t) => strings(t.hosts)), hasTls: tls.length > 0, routes };
}

function networkPolicyOf(r: TfResource): NetworkPolicy {
  const meta = first(r.values.metadata) ?? {};
  const spec = first(r.values.spec) ?? {};
  const podSelector = labels(first(spec.pod_selector)?.match_labels);
  return {
    resource: r,
    name: String(meta.name ?? r.name),
    namespace: meta.namespace,
    podSelector,
    policyTypes: strings(spec.policy_types),
    ingress: list(spec.ingress).map((rule) => ({
      from: list(rule.from).flatMap((f): PolicyPeer[] => {
        const ip = first(f.ip_block);
        if (ip) return [{ kind: "ip-block", cidr: String(ip.cidr) }];
        const ns = first(f.namespace_selector);
        return [{ kind: "pods", podLabels: labels(first(f.pod_selector)?.match_labels), namespaceLabels: ns ? labels(ns.match_labels) : undefined }];
      }),
      ports: list(rule.ports).map((p) => ({ port: p.port === undefined ? undefined : String(p.port), protocol: String(p.protocol ?? "TCP").toUpperCase() })),
    })),
  };
}


function helmReleaseOf(r: TfResource, format: StackDocument["format"]): HelmRelease {
  const v = r.values;
  let values: Record<string, unknown> | undefined = {};
  for (const raw of strings(v.values)) {
    const text = format === "cdktf" ? unescapeTemplate(raw) : raw;
    try {
      for (const doc of parseAllDocuments(text)) {
        const parsed = doc.toJS();
        if (isPlainObject(parsed)) values = deepMerge(values ?? {}, parsed);
      }
    } catch {
      values = undefined;
      break;
    }
  }
  return { resource: r, name: String(v.name ?? r.name), chart: String(v.chart ?? ""), namespace: v.namespace, values };
}

export function buildModel(doc: StackDocument): ExposureModel {
  const of = (...types: string[]) => doc.resources.filter((r) => types.includes(r.type));
  return {
    stack: doc.stack,
    file: doc.file,
    format: doc.format,
    contract: doc.contract,
    resources: doc.resources,
    ...(doc.plannedChanges ? { plannedChanges: doc.plannedChanges } : {}),
    securityGroups: of("aws_security_group").map((r) => ({ resource: r, ref: r.address, label: String(r.values.name ?? r.values.name_prefix ?? r.name) })),
    sgRules: of("aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule").flatMap(sgRulesOf),
    loadBalancers: of("aws_lb", "aws_alb").map((r) => ({
      resource: r,
      ref: r.address,
      type: String(r.values.load_balancer_type ?? "application"),
      internal: r.values.internal === true,
      dropInvalidHeaderFields: r.values.drop_invalid_header_fields === true,
      securityGroups: strings(r.values.security_groups).map(refOf),
    })),
    listeners: of("aws_lb_listener", "aws_alb_listener").map((r) => ({
      resource: r,
      loadBalancer: r.values.load_balancer_arn ? refOf(r.values.load_balancer_arn) : undefined,
      port: num(r.values.port),
      protocol: r.values.protocol ? String(r.values.protocol).toUpperCase() : undefined,
      sslPolicy: r.values.ssl_policy,
      actions: list(r.values.default_action).map((a) => ({
        type: String(a.type),
        redirectProtocol: first(a.redirect)?.protocol ? String(first(a.redirect)!.protocol).toUpperCase() : undefined,
        targetGroup: a.target_group_arn ? refOf(a.target_group_arn) : undefined,
      })),
    })),
    targetGroups: of("aws_lb_target_group", "aws_alb_target_group").map((r) => ({
      resource: r,
      ref: r.address,
      port: num(r.values.port),
      protocol: r.values.protocol ? String(r.values.protocol).toUpperCase() : undefined,
      healthCheckPath: first(r.values.health_check)?.path,
    })),
    services: of("kubernetes_service_v1", "kubernetes_service").map(serviceOf),
    ingresses: of("kubernetes_ingress_v1", "kubernetes_ingress").map(ingressOf),
    networkPolicies: of("kubernetes_network_policy_v1", "kubernetes_network_policy").map(networkPolicyOf),
    helmReleases: of("helm_release").map((r) => helmReleaseOf(r, doc.format)),
  };
}

/** Every members-only port as [name, port] pairs: http, grpc, memberlist, then the chart's neighbours. */
export function internalPorts(model: ExposureModel): Array<[string, number]> {
  const { http, grpc, memberlist } = model.contract.ports;
  return [["http", http], ["grpc", grpc], ["memberlist", memberlist], ...Object.entries(model.contract.neighbours)];
}

export function covers(rule: { fromPort: number; toPort: number }, port: number): boolean {
  return rule.fromPort <= port && port <= rule.toPort;
}

export function describeSource(s: Source): string {
  switch (s.kind) {
    case "cidr":
      return isAnywhere(s.cidr) ? `${s.cidr} (anywhere)` : s.cidr;
    case "prefix-list":
      return `prefix list ${s.id}`;
    case "security-group":
      return `group ${s.ref}`;
    case "self":
      return "itself";
  }
}
