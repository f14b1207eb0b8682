/**
 * Mimir's PUBLIC HTTP API: the only paths that may leave the cluster, each
 * mapped to the component that serves it (microservices) — in monolithic mode
 * every path goes to the one Mimir Service.
 *
 * Source: grafana/mimir docs/sources/mimir/references/http-api/_index.md
 * (commit 341ac272a2d346f4aa54fe292cad464a77b711ea), default prefixes
 * `<prometheus-http-prefix>` = /prometheus, `<alertmanager-http-prefix>` = /alertmanager.
 * Everything not matched here is an operator endpoint (see ./http-api.ts) and
 * never leaves the cluster.
 *
 * Match semantics (the same as Kubernetes Ingress / Gateway API HTTPRoute):
 *  - `exact`: the request path equals `path`;
 *  - `prefix`: element-wise prefix: `path` itself or `path/...`
 *    (`/alertmanager` matches `/alertmanager/api/v2/alerts`, not `/alertmanagerx`).
 * Each entry kind translates these itself (ALB: `path` and `path/*`).
 */

/** Components that serve public paths (names as in the mimir-distributed chart). */
export type PublicApiComponent = "distributor" | "query-frontend" | "ruler" | "alertmanager" | "compactor";

/**
 * Groups a team can switch on or off. `write`, `read`, `rules`, `alertmanager`
 * are on by default; `block-upload` (backfill through the compactor) is off.
 */
export type PublicApiGroup = "write" | "read" | "rules" | "alertmanager" | "block-upload";
export const PUBLIC_API_GROUPS: readonly PublicApiGroup[] = ["write", "read", "rules", "alertmanager", "block-upload"];
export const DEFAULT_PUBLIC_API_GROUPS: readonly PublicApiGroup[] = ["write", "read", "rules", "alertmanager"];

export type PathMatch = "exact" | "prefix";

export interface PublicRoute {
  readonly path: string;
  readonly match: PathMatch;
  readonly component: PublicApiComponent;
  readonly group: PublicApiGroup;
  /** What a tenant uses it for (reports, README). */
  readonly purpose: string;
}

const P = "/prometheus";
const READ = `${P}/api/v1`;

export const PUBLIC_ROUTES: readonly PublicRoute[] = Object.freeze([
  // write
  { path: "/api/v1/push", match: "exact", component: "distributor", group: "write", purpose: "Prometheus remote write" },
  { path: "/otlp/v1/metrics", match: "exact", component: "distributor", group: "write", purpose: "OTLP metrics" },
  // read (query-frontend): explicit endpoints, no catch-all under /prometheus
  { path: `${READ}/query`, match: "exact", component: "query-frontend", group: "read", purpose: "instant query" },
  { path: `${READ}/query_range`, match: "exact", component: "query-frontend", group: "read", purpose: "range query" },
  { path: `${READ}/query_exemplars`, match: "exact", component: "query-frontend", group: "read", purpose: "exemplar query" },
  { path: `${READ}/series`, match: "exact", component: "query-frontend", group: "read", purpose: "series by label matchers" },
  { path: `${READ}/labels`, match: "exact", component: "query-frontend", group: "read", purpose: "label names" },
  { path: `${READ}/label`, match: "prefix", component: "query-frontend", group: "read", purpose: "label values (/label/{name}/values)" },
  { path: `${READ}/metadata`, match: "exact", component: "query-frontend", group: "read", purpose: "metric metadata" },
  { path: `${READ}/read`, match: "exact", component: "query-frontend", group: "read", purpose: "Prometheus remote read" },
  { path: `${READ}/format_query`, match: "exact", component: "query-frontend", group: "read", purpose: "format query" },
  { path: `${READ}/status/buildinfo`, match: "exact", component: "query-frontend", group: "read", purpose: "build information" },
  { path: `${READ}/cardinality/label_names`, match: "exact", component: "query-frontend", group: "read", purpose: "label names cardinality" },
  { path: `${READ}/cardinality/label_values`, match: "exact", component: "query-frontend", group: "read", purpose: "label values cardinality" },
  { path: `${READ}/cardinality/active_series`, match: "exact", component: "query-frontend", group: "read", purpose: "active series" },
  // rule and alert listings (ruler): reading, like queries (a class with `read` sees them; only `rules` changes them)
  { path: `${READ}/rules`, match: "exact", component: "ruler", group: "read", purpose: "list Prometheus rules" },
  { path: `${READ}/alerts`, match: "exact", component: "ruler", group: "read", purpose: "list Prometheus alerts" },
  // rules (ruler): configuration
  { path: `${P}/config/v1/rules`, match: "prefix", component: "ruler", group: "rules", purpose: "ruler configuration API" },
  // alertmanager
  { path: "/alertmanager", match: "prefix", component: "alertmanager", group: "alertmanager", purpose: "Alertmanager UI and API" },
  { path: "/api/v1/alerts", match: "exact", component: "alertmanager", group: "alertmanager", purpose: "Alertmanager configuration" },
  // block upload (compactor), off by default
  { path: "/api/v1/upload/block", match: "prefix", component: "compactor", group: "block-upload", purpose: "block upload (backfill)" },
] satisfies PublicRoute[]);

/** The public routes of the given groups (default: the default groups), in table order. */
export function publicRoutes(groups: readonly PublicApiGroup[] = DEFAULT_PUBLIC_API_GROUPS): PublicRoute[] {
  return PUBLIC_ROUTES.filter((r) => groups.includes(r.group));
}

/** Does `requestPath` match `route` (element-wise prefix, or exact)? Query strings are ignored. */
export function routeMatches(route: Pick<PublicRoute, "path" | "match">, requestPath: string): boolean {
  const path = requestPath.split("?")[0];
  if (route.match === "exact") return path === route.path;
  const base = route.path.endsWith("/") ? route.path.slice(0, -1) : route.path;
  return path === base || path.startsWith(`${base}/`);
}

/** The route a request path takes: exact beats prefix, then the longest prefix (Ingress / HTTPRoute precedence). */
export function routeFor(requestPath: string, routes: readonly PublicRoute[] = publicRoutes()): PublicRoute | undefined {
  const hits = routes.filter((r) => routeMatches(r, requestPath));
  return hits.sort((a, b) => (a.match === b.match ? b.path.length - a.path.length : a.match === "exact" ? -1 : 1))[0];
}

/** Is this request path part of the public API (with the given groups on)? */
export function isPublicPath(requestPath: string, groups: readonly PublicApiGroup[] = DEFAULT_PUBLIC_API_GROUPS): boolean {
  return routeFor(requestPath, publicRoutes(groups)) !== undefined;
}
