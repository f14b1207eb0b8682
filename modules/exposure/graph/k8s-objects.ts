/**
 * Kubernetes objects in one shape, whether they come from typed provider
 * resources (`kubernetes_service_v1`, snake_case blocks, lists in plans) or
 * from `kubernetes_manifest` of any kind (the API's own camelCase shape).
 */
import { isPlainObject } from "../../shared/objects";
import type { TfResource } from "../terraform-json";
import { first, list, num, strings } from "../readers/json";

export type Labels = Readonly<Record<string, string>>;

export interface K8sMeta {
  readonly resource: TfResource;
  readonly kind: string;
  readonly name: string;
  /** undefined: not set (the provider's `default`); a `${...}` token stays as written. */
  readonly namespace?: string;
  readonly labels: Labels;
}

export interface KService extends K8sMeta {
  readonly type: string;
  readonly selector?: Labels;
  readonly externalIps: readonly string[];
  readonly internalLb: boolean;
  readonly ports: ReadonlyArray<{ readonly name?: string; readonly port?: number; readonly targetPort?: string | number; readonly nodePort?: number; readonly protocol: string; readonly raw: Record<string, any> }>;
}

export interface KContainerPort {
  readonly name?: string;
  readonly containerPort?: number;
  readonly hostPort?: number;
  readonly protocol: string;
}

export interface KWorkload extends K8sMeta {
  readonly podLabels: Labels;
  readonly hostNetwork: boolean;
  readonly images: readonly string[];
  readonly ports: readonly KContainerPort[];
}

export interface KRouteRule {
  readonly paths?: ReadonlyArray<{ kind: "exact" | "prefix" | "regex"; value: string }>;
  readonly backends: ReadonlyArray<{ readonly name: string; readonly namespace?: string; readonly port?: string | number; readonly kind?: string; readonly filters?: unknown; readonly mirror?: boolean }>;
  /** HTTPRoute rule filters (URLRewrite, RequestRedirect, ...), as written; see ./rewrites.ts. */
  readonly filters?: unknown;
}

export interface KRoute extends K8sMeta {
  /** Ingress, HTTPRoute, GRPCRoute, TCPRoute, TLSRoute, UDPRoute. */
  readonly tls?: boolean;
  readonly className?: string;
  readonly parents: ReadonlyArray<{ readonly name: string; readonly namespace?: string; readonly sectionName?: string }>;
  readonly rules: readonly KRouteRule[];
}

export interface KGateway extends K8sMeta {
  readonly listeners: ReadonlyArray<{ readonly name?: string; readonly port?: number; readonly protocol: string }>;
}

export interface KPolicyPeer {
  readonly ipBlock?: string;
  /** undefined: the policy's own namespace; {} every namespace. */
  readonly namespaceSelector?: Labels;
  /** undefined: every pod (of the selected namespaces). */
  readonly podSelector?: Labels;
}

export interface KNetworkPolicy extends K8sMeta {
  readonly podSelector: Labels;
  /** Expressions in the pod selector we cannot evaluate. */
  readonly selectorExpressions: boolean;
  readonly policyTypes: readonly string[];
  /** undefined rules list: none (deny). `from` undefined or empty: every source. `ports` empty: every port. */
  readonly ingress: ReadonlyArray<{ readonly from: readonly KPolicyPeer[]; readonly ports: ReadonlyArray<{ readonly port?: string | number; readonly endPort?: number; readonly protocol: string }> }>;
}

export interface KTargetGroupBinding extends K8sMeta {
  readonly targetGroup: string;
  readonly serviceName: string;
  readonly servicePort?: string | number;
  readonly targetType?: string;
  /** spec.networking.ingress: what the controller opens on the targets' security group (ipBlock CIDRs, ports). */
  readonly networking: ReadonlyArray<{ readonly cidrs: readonly string[]; readonly ports: ReadonlyArray<{ readonly protocol: string; readonly port?: string | number }> }>;
}

export interface KSecurityGroupPolicy extends K8sMeta {
  readonly podSelector?: Labels;
  readonly groups: readonly string[];
}

export interface K8sObjects {
  readonly services: KService[];
  readonly workloads: KWorkload[];
  readonly routes: KRoute[];
  readonly gateways: KGateway[];
  readonly policies: KNetworkPolicy[];
  readonly bindings: KTargetGroupBinding[];
  readonly sgPolicies: KSecurityGroupPolicy[];
  /** Manifests of kinds we do not read (CRDs etc.). */
  readonly other: K8sMeta[];
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);
const labelsOf = (v: unknown): Labels => (isPlainObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {});
/** Typed blocks use snake_case, manifests camelCase: read either. */
const pick = (o: Record<string, any> | undefined, ...keys: string[]): any => {
  if (!o) return undefined;
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
};
const portValue = (v: unknown): string | number | undefined => (typeof v === "number" ? v : typeof v === "string" ? (/^\d+$/.test(v) ? Number(v) : v) : undefined);

function metaOf(r: TfResource, kind: string, meta: Record<string, any> | undefined): K8sMeta {
  return { resource: r, kind, name: String(meta?.name ?? r.name), namespace: str(meta?.namespace), labels: labelsOf(meta?.labels) };
}

/** A label selector: matchLabels (both spellings); expressions make it unreadable. */
function selectorOf(v: unknown): { labels: Labels; expressions: boolean } | undefined {
  const s = first(v);
  if (!s) return undefined;
  const labels = labelsOf(pick(s, "matchLabels", "match_labels"));
  const exprs = pick(s, "matchExpressions", "match_expressions");
  return { labels, expressions: Array.isArray(exprs) ? exprs.length > 0 : isPlainObject(exprs) };
}

function serviceFrom(r: TfResource, kind: string, meta: any, spec: any): KService {
  const ann = labelsOf(meta?.annotations);
  const internalLb = Object.entries(ann).some(([k, v]) => (k.endsWith("aws-load-balancer-scheme") && v === "internal") || (k.endsWith("aws-load-balancer-internal") && v !== "false"));
  const sel = pick(spec, "selector");
  return {
    ...metaOf(r, kind, meta),
    type: String(pick(spec, "type") ?? "ClusterIP"),
    selector: sel === undefined ? undefined : labelsOf(sel),
    externalIps: strings(pick(spec, "externalIPs", "external_ips")),
    internalLb,
    ports: list(pick(spec, "ports", "port")).map((p) => ({ name: str(p.name), port: num(p.port), targetPort: portValue(pick(p, "targetPort", "target_port")), nodePort: num(pick(p, "nodePort", "node_port")), protocol: String(p.protocol ?? "TCP").toUpperCase(), raw: p })),
  };
}

function podSpecOf(spec: any): any {
  const template = first(pick(spec, "template"));
  const jobTemplate = first(pick(spec, "jobTemplate", "job_template"));
  if (jobTemplate) return podSpecOf(first(pick(jobTemplate, "spec")));
  if (template) return { meta: first(pick(template, "metadata")), spec: first(pick(template, "spec")) };
  return undefined;
}

function workloadFrom(r: TfResource, kind: string, meta: any, podMeta: any, podSpec: any): KWorkload {
  const containers = [...list(pick(podSpec, "containers", "container")), ...list(pick(podSpec, "initContainers", "init_container"))];
  return {
    ...metaOf(r, kind, meta),
    podLabels: labelsOf(podMeta?.labels),
    hostNetwork: pick(podSpec, "hostNetwork", "host_network") === true,
    images: containers.map((c) => String(c.image ?? "")),
    ports: containers.flatMap((c) => list(pick(c, "ports", "port")).map((p) => ({ name: str(p.name), containerPort: num(pick(p, "containerPort", "container_port")), hostPort: num(pick(p, "hostPort", "host_port")), protocol: String(p.protocol ?? "TCP").toUpperCase() }))),
  };
}

function ingressFrom(r: TfResource, kind: string, meta: any, spec: any): KRoute {
  const rules: KRouteRule[] = [];
  const backendOf = (b: any) => {
    const svc = first(pick(b, "service"));
    const port = first(pick(svc, "port"));
    const name = pick(svc, "name") ?? pick(b, "serviceName", "service_name");
    return name === undefined ? [] : [{ name: String(name), port: portValue(pick(port, "number") ?? pick(port, "name") ?? pick(b, "servicePort", "service_port")) }];
  };
  const def = first(pick(spec, "defaultBackend", "default_backend", "backend"));
  if (def) rules.push({ backends: backendOf(def) });
  for (const rule of list(pick(spec, "rules", "rule"))) {
    for (const http of list(pick(rule, "http"))) {
      for (const p of list(pick(http, "paths", "path"))) {
        const type = String(pick(p, "pathType", "path_type") ?? "ImplementationSpecific");
        const value = String(p.path ?? "/");
        rules.push({ paths: [{ kind: type === "Exact" ? "exact" : type === "Prefix" ? "prefix" : "regex", value: type === "ImplementationSpecific" ? `^${value.replace(/[.+^${}()|[\]\\]/g, "\\$&")}` : value }], backends: backendOf(first(p.backend)) });
      }
    }
  }
  const tls = list(pick(spec, "tls"));
  return { ...metaOf(r, kind, meta), tls: tls.length > 0, className: str(pick(spec, "ingressClassName", "ingress_class_name")), parents: [], rules };
}

function gatewayRouteFrom(r: TfResource, kind: string, meta: any, spec: any): KRoute {
  const rules: KRouteRule[] = list(spec?.rules).map((rule) => {
    const matches = list(rule.matches);
    const paths = matches.map((m) => first(m.path)).filter((p): p is Record<string, any> => p !== undefined).map((p) => {
      const type = String(p.type ?? "PathPrefix");
      return { kind: type === "Exact" ? ("exact" as const) : type === "RegularExpression" ? ("regex" as const) : ("prefix" as const), value: String(p.value ?? "/") };
    });
    // A match list with a match that has no path matches every path.
    const everyPath = matches.length === 0 || matches.some((m) => first(m.path) === undefined);
    return {
      paths: kind === "HTTPRoute" && !everyPath ? paths : undefined,
      backends: [
        ...list(rule.backendRefs).filter((b) => b.kind === undefined || b.kind === "Service").map((b) => ({ name: String(b.name), namespace: str(b.namespace), port: portValue(b.port), ...(b.filters !== undefined ? { filters: b.filters } : {}) })),
        // RequestMirror sends a copy of each request to its backend: a way in like any backendRef.
        ...[...list(rule.filters), ...list(rule.backendRefs).flatMap((b) => list(b.filters))]
          .filter((f) => f.type === "RequestMirror")
          .map((f) => first(first(f.requestMirror)?.backendRef))
          .filter((b): b is Record<string, any> => b !== undefined && (b.kind === undefined || b.kind === "Service"))
          .map((b) => ({ name: String(b.name), namespace: str(b.namespace), port: portValue(b.port), mirror: true })),
      ],
      ...(rule.filters !== undefined ? { filters: rule.filters } : {}),
    };
  });
  return { ...metaOf(r, kind, meta), parents: list(spec?.parentRefs).map((p) => ({ name: String(p.name), namespace: str(p.namespace), sectionName: str(p.sectionName) })), rules };
}

function policyFrom(r: TfResource, kind: string, meta: any, spec: any): KNetworkPolicy {
  const sel = selectorOf(pick(spec, "podSelector", "pod_selector"));
  const peerOf = (f: any): KPolicyPeer => {
    const ip = first(pick(f, "ipBlock", "ip_block"));
    if (ip) return { ipBlock: String(ip.cidr) };
    const ns = selectorOf(pick(f, "namespaceSelector", "namespace_selector"));
    const pods = selectorOf(pick(f, "podSelector", "pod_selector"));
    return { namespaceSelector: ns ? (ns.expressions ? {} : ns.labels) : undefined, podSelector: pods ? (pods.expressions ? {} : pods.labels) : undefined };
  };
  return {
    ...metaOf(r, kind, meta),
    podSelector: sel?.labels ?? {},
    selectorExpressions: sel?.expressions ?? false,
    policyTypes: strings(pick(spec, "policyTypes", "policy_types")),
    ingress: list(pick(spec, "ingress")).map((rule) => ({
      from: list(pick(rule, "from")).map(peerOf),
      ports: list(pick(rule, "ports")).map((p) => ({ port: portValue(p.port), endPort: num(pick(p, "endPort", "end_port")), protocol: String(p.protocol ?? "TCP").toUpperCase() })),
    })),
  };
}

const TYPED: Record<string, string> = {
  kubernetes_service: "Service", kubernetes_service_v1: "Service",
  kubernetes_ingress: "Ingress", kubernetes_ingress_v1: "Ingress",
  kubernetes_network_policy: "NetworkPolicy", kubernetes_network_policy_v1: "NetworkPolicy",
  kubernetes_pod: "Pod", kubernetes_pod_v1: "Pod",
  kubernetes_deployment: "Deployment", kubernetes_deployment_v1: "Deployment",
  kubernetes_stateful_set: "StatefulSet", kubernetes_stateful_set_v1: "StatefulSet",
  kubernetes_daemonset: "DaemonSet", kubernetes_daemon_set_v1: "DaemonSet",
  kubernetes_replication_controller: "ReplicationController", kubernetes_replication_controller_v1: "ReplicationController",
  kubernetes_job: "Job", kubernetes_job_v1: "Job", kubernetes_cron_job: "CronJob", kubernetes_cron_job_v1: "CronJob",
};

export const KUBERNETES_TYPES = new Set([...Object.keys(TYPED), "kubernetes_manifest"]);

export function readK8s(resources: readonly TfResource[]): K8sObjects {
  const out: K8sObjects = { services: [], workloads: [], routes: [], gateways: [], policies: [], bindings: [], sgPolicies: [], other: [] };
  for (const r of resources) {
    let kind: string;
    let meta: any;
    let spec: any;
    if (r.type === "kubernetes_manifest") {
      const m = first(r.values.manifest) ?? {};
      kind = String(m.kind ?? "");
      meta = first(m.metadata);
      spec = first(m.spec);
    } else {
      kind = TYPED[r.type];
      meta = first(r.values.metadata);
      spec = first(r.values.spec);
    }
    switch (kind) {
      case "Service":
        out.services.push(serviceFrom(r, kind, meta, spec));
        break;
      case "Pod":
        out.workloads.push(workloadFrom(r, kind, meta, meta, spec));
        break;
      case "Deployment":
      case "StatefulSet":
      case "DaemonSet":
      case "ReplicaSet":
      case "ReplicationController":
      case "Job":
      case "CronJob": {
        const pod = podSpecOf(spec);
        out.workloads.push(workloadFrom(r, kind, meta, pod?.meta, pod?.spec));
        break;
      }
      case "Ingress":
        out.routes.push(ingressFrom(r, kind, meta, spec));
        break;
      case "HTTPRoute":
      case "GRPCRoute":
      case "TCPRoute":
      case "TLSRoute":
      case "UDPRoute":
        out.routes.push(gatewayRouteFrom(r, kind, meta, spec));
        break;
      case "Gateway":
        out.gateways.push({ ...metaOf(r, kind, meta), listeners: list(spec?.listeners).map((l) => ({ name: str(l.name), port: num(l.port), protocol: String(l.protocol ?? "").toUpperCase() })) });
        break;
      case "NetworkPolicy":
        out.policies.push(policyFrom(r, kind, meta, spec));
        break;
      case "TargetGroupBinding": {
        const ref = first(spec?.serviceRef) ?? {};
        out.bindings.push({ ...metaOf(r, kind, meta), targetGroup: String(spec?.targetGroupARN ?? spec?.targetGroupName ?? ""), serviceName: String(ref.name ?? ""), servicePort: portValue(ref.port), targetType: str(spec?.targetType), networking: list(first(spec?.networking)?.ingress).map((i) => ({ cidrs: list(i.from).flatMap((f) => strings(first(f.ipBlock)?.cidr)), ports: list(i.ports).map((x) => ({ protocol: String(x.protocol ?? "TCP").toUpperCase(), port: portValue(x.port) })) })) });
        break;
      }
      case "SecurityGroupPolicy": {
        const sel = selectorOf(spec?.podSelector);
        out.sgPolicies.push({ ...metaOf(r, kind, meta), podSelector: sel?.labels, groups: strings(first(spec?.securityGroups)?.groupIds) });
        break;
      }
      default:
        if (r.type === "kubernetes_manifest") out.other.push(metaOf(r, kind, meta));
    }
  }
  return out;
}
