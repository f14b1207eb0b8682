import type { Environment } from "../../config/environment";
import { PUBLIC_API_GROUPS } from "../../contract/public-api";
import { heldBackendRoutes, operatorBackendRoutes, type BackendRoute } from "../routes";

/**
 * Gateway API v1 objects (standard channel, gateway.networking.k8s.io/v1; field
 * names checked against the v1.6.1 CRDs vendored in
 * __tests__/fixtures/gateway-api/, and validated there in tests).
 */
export const GATEWAY_API_VERSION = "gateway.networking.k8s.io/v1";
export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";
/** HTTPRoute limits from the CRD: 16 rules per route, 64 matches per rule (a match has one method: path x method). */
export const MAX_RULES = 16;
export const MAX_MATCHES_PER_RULE = 64;

export interface ParentRef {
  readonly name: string;
  readonly namespace?: string;
  readonly sectionName?: string;
}

export interface HttpRouteSpecInput {
  readonly parentRef: ParentRef;
  readonly hostnames: readonly string[];
  readonly routes: readonly BackendRoute[];
}

/**
 * An HTTPRoute spec: one rule per backend Service, whose matches are that
 * Service's paths (`Exact`, or `PathPrefix`, which Gateway API matches
 * element-wise), one match per path and method (`method`: a request of another
 * method matches nothing here, so the Gateway answers 404). Gateway API picks the
 * most specific match across all rules (Exact, then the longest prefix, then a
 * method match), so the ruler's /prometheus/... paths win over nothing broader:
 * there is no catch-all.
 */
export function httpRouteSpec(input: HttpRouteSpecInput): Record<string, unknown> {
  const byService = new Map<string, BackendRoute[]>();
  for (const r of input.routes) byService.set(`${r.service}:${r.port}`, [...(byService.get(`${r.service}:${r.port}`) ?? []), r]);
  const keys = [...byService.keys()].sort();
  if (keys.length > MAX_RULES) throw new Error(`HTTPRoute would need ${keys.length} rules (at most ${MAX_RULES})`);
  const rules = keys.map((key) => {
    const routes = byService.get(key)!;
    const matches = routes.reduce((n, r) => n + (r.methods?.length ?? 1), 0);
    if (matches > MAX_MATCHES_PER_RULE) throw new Error(`HTTPRoute rule for ${key} would need ${matches} matches, one per path and method (at most ${MAX_MATCHES_PER_RULE})`);
    return {
      matches: routes.flatMap((r) => (r.methods ?? [undefined]).map((method) => ({ path: { type: r.match === "exact" ? "Exact" : "PathPrefix", value: r.path }, ...(method ? { method } : {}) }))),
      backendRefs: [{ group: "", kind: "Service", name: routes[0].service, port: routes[0].port }],
    };
  });
  const { name, namespace, sectionName } = input.parentRef;
  return {
    parentRefs: [{ group: GATEWAY_API_GROUP, kind: "Gateway", name, ...(namespace ? { namespace } : {}), ...(sectionName ? { sectionName } : {}) }],
    ...(input.hostnames.length > 0 ? { hostnames: [...input.hostnames] } : {}),
    rules,
  };
}

export interface EntryHttpRoute {
  /** `<fullname>-<group>`. */
  readonly name: string;
  readonly group: BackendRoute["group"];
  readonly routes: readonly BackendRoute[];
}

/**
 * The environment's HTTPRoutes: one per public API group the entry serves and a client class holds
 * (`<fullname>-write`, `-read`, `-rules`, `-rules-read`, `-alertmanager`, `-alertmanager-read`, `-block-upload`), so each group carries the SecurityPolicy of the class that may use it, and
 * `<fullname>-operator` with entry.operatorAccess. Gateway API picks the most specific match across all routes of a
 * listener, so splitting the table by group changes no path's backend.
 */
export function entryHttpRoutes(env: Environment): EntryHttpRoute[] {
  // A group no client class may use gets no route (its paths are 404 at the load balancer too).
  const held = heldBackendRoutes(env);
  const all = [...held, ...operatorBackendRoutes(env)];
  // In the contract's group order (write, read, rules, alertmanager, block-upload), then operator.
  const order = (g: string) => (PUBLIC_API_GROUPS as readonly string[]).indexOf(g) >>> 0;
  const groups = [...new Set(all.map((r) => r.group))].sort((a, b) => order(a) - order(b));
  return groups.map((group) => ({ name: `${env.fullname}-${group}`, group, routes: all.filter((r) => r.group === group) }));
}

/** The names of the environment's HTTPRoutes. */
export function entryRouteNames(env: Environment): string[] {
  return entryHttpRoutes(env).map((r) => r.name);
}

export interface GatewaySpecInput {
  readonly className: string;
  /** `spec.infrastructure.parametersRef` (e.g. Envoy Gateway's EnvoyProxy), local to the Gateway's namespace. */
  readonly parametersRef?: { readonly group: string; readonly kind: string; readonly name: string };
  readonly protocol: "HTTP" | "HTTPS";
  readonly port: number;
  readonly hostname?: string;
  readonly tlsSecretName?: string;
}

/** A Gateway with one listener (HTTPS with a TLS Secret, else HTTP behind the load balancer's TLS), routes from its own namespace only. */
export function gatewaySpec(input: GatewaySpecInput): Record<string, unknown> {
  return {
    gatewayClassName: input.className,
    ...(input.parametersRef ? { infrastructure: { parametersRef: { ...input.parametersRef } } } : {}),
    listeners: [
      {
        name: input.protocol.toLowerCase(),
        port: input.port,
        protocol: input.protocol,
        ...(input.hostname ? { hostname: input.hostname } : {}),
        ...(input.protocol === "HTTPS" ? { tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: input.tlsSecretName }] } } : {}),
        allowedRoutes: { namespaces: { from: "Same" }, kinds: [{ group: GATEWAY_API_GROUP, kind: "HTTPRoute" }] },
      },
    ],
  };
}
