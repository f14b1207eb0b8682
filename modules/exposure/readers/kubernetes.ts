/** Kubernetes Services, Ingresses and NetworkPolicies (v1 and legacy resource types). */
import type { TfResource } from "../terraform-json";
import { first, labels, list, num, strings } from "./json";

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


export function serviceOf(r: TfResource): Service {
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

export function ingressOf(r: TfResource): Ingress {
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

export function networkPolicyOf(r: TfResource): NetworkPolicy {
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

