/**
 * Mimir's PUBLIC HTTP API: the only paths that may leave the cluster, each
 * mapped to the component that serves it (microservices) — in monolithic mode
 * every path goes to the one Mimir Service.
 *
 * Source: grafana/mimir docs/sources/mimir/references/http-api/_index.md
 * (commit 341ac272a2d346f4aa54fe292cad464a77b711ea), default prefixes
 * `<prometheus-http-prefix>` = /prometheus, `<alertmanager-http-prefix>` = /alertmanager.
 *
 * Methods (`methods`): what Mimir's router registers for each path, from grafana/mimir pkg/api/api.go
 * (commit 01bfb2eab2ecb7c9c094568f7acecaf784d2a23e: RegisterDistributor, RegisterQueryAPI, RegisterRulerAPI,
 * RegisterAlertmanager, RegisterCompactor); every entry forwards only these. Mimir registers each route with
 * gorilla/mux `Route.Methods`, which compares the method exactly: a GET route answers HEAD with 405, so HEAD is
 * never forwarded. Two narrowings: `/api/v1/series` is also registered for DELETE (Prometheus's series
 * deletion, which its API answers "not implemented"), not forwarded, reading needs GET and POST only;
 * `/alertmanager` is registered as a prefix without methods (the Alertmanager UI and its API v2), forwarded for
 * GET, POST and DELETE, the methods of Alertmanager's API v2 (silences, alerts).
 *
 * Read-only groups: `rules-read` and `alertmanager-read` are the GET forms of `rules` and `alertmanager` (the
 * same paths): list and get rule groups, read the Alertmanager configuration, silences and alerts, change nothing.
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
 * `rules-read` and `alertmanager-read` (the read-only forms of `rules` and
 * `alertmanager`) are served when listed, or when a client class holds one and
 * the entry serves its full group (READ_ONLY_OF).
 */
export type PublicApiGroup = "write" | "read" | "rules" | "rules-read" | "alertmanager" | "alertmanager-read" | "block-upload";
export const PUBLIC_API_GROUPS: readonly PublicApiGroup[] = ["write", "read", "rules", "rules-read", "alertmanager", "alertmanager-read", "block-upload"];
export const DEFAULT_PUBLIC_API_GROUPS: readonly PublicApiGroup[] = ["write", "read", "rules", "alertmanager"];

/** Each read-only group and the group whose paths it reads (the same paths, GET only). */
export const READ_ONLY_OF: Readonly<Partial<Record<PublicApiGroup, PublicApiGroup>>> = { "rules-read": "rules", "alertmanager-read": "alertmanager" };
export type ReadOnlyGroup = "rules-read" | "alertmanager-read";
export const READ_ONLY_GROUPS = Object.keys(READ_ONLY_OF) as ReadOnlyGroup[];
export function isReadOnlyGroup(g: string): g is ReadOnlyGroup {
  return (READ_ONLY_GROUPS as readonly string[]).includes(g);
}

/** The groups an entry serving `listed` may give a class: the listed ones and the read-only forms of those. */
export function servableGroups(listed: readonly PublicApiGroup[]): PublicApiGroup[] {
  return PUBLIC_API_GROUPS.filter((g) => listed.includes(g) || (isReadOnlyGroup(g) && listed.includes(READ_ONLY_OF[g]!)));
}

/** Does holding `groups` give every path and method of `group` (it, or the full group of a read-only one)? */
export function coversGroup(groups: readonly string[], group: PublicApiGroup): boolean {
  return groups.includes(group) || (isReadOnlyGroup(group) && groups.includes(READ_ONLY_OF[group]!));
}

export type PathMatch = "exact" | "prefix";

/** The HTTP methods the public API uses (ALB http-request-method values, Gateway API HTTPRouteMatch.method). */
export type HttpMethod = "GET" | "POST" | "DELETE";
export const HTTP_METHODS: readonly HttpMethod[] = ["GET", "POST", "DELETE"];

export interface PublicRoute {
  readonly path: string;
  readonly match: PathMatch;
  readonly component: PublicApiComponent;
  readonly group: PublicApiGroup;
  /** The methods every entry forwards (what Mimir registers for the path, see the header). */
  readonly methods: readonly HttpMethod[];
  /** What a tenant uses it for (reports, README). */
  readonly purpose: string;
}

const P = "/prometheus";
const READ = `${P}/api/v1`;
const GET: readonly HttpMethod[] = ["GET"];
const POST: readonly HttpMethod[] = ["POST"];
const GET_POST: readonly HttpMethod[] = ["GET", "POST"];
const GET_POST_DELETE: readonly HttpMethod[] = ["GET", "POST", "DELETE"];

export const PUBLIC_ROUTES: readonly PublicRoute[] = Object.freeze([
  // write
  { path: "/api/v1/push", match: "exact", component: "distributor", group: "write", methods: POST, purpose: "Prometheus remote write" },
  { path: "/otlp/v1/metrics", match: "exact", component: "distributor", group: "write", methods: POST, purpose: "OTLP metrics" },
  // read (query-frontend): explicit endpoints, no catch-all under /prometheus
  { path: `${READ}/query`, match: "exact", component: "query-frontend", group: "read", methods: GET_POST, purpose: "instant query" },
  { path: `${READ}/query_range`, match: "exact", component: "query-frontend", group: "read", methods: GET_POST, purpose: "range query" },
  { path: `${READ}/query_exemplars`, match: "exact", component: "query-frontend", group: "read", methods: GET_POST, purpose: "exemplar query" },
  { path: `${READ}/series`, match: "exact", component: "query-frontend", group: "read", methods: GET_POST, purpose: "series by label matchers" },
  { path: `${READ}/labels`, match: "exact", component: "query-frontend", group: "read", methods: GET_POST, purpose: "label names" },
  { path: `${READ}/label`, match: "prefix", component: "query-frontend", group: "read", methods: GET, purpose: "label values (/label/{name}/values)" },
  { path: `${READ}/metadata`, match: "exact", component: "query-frontend", group: "read", methods: GET, purpose: "metric metadata" },
  { path: `${READ}/read`, match: "exact", component: "query-frontend", group: "read", methods: POST, purpose: "Prometheus remote read" },
  { path: `${READ}/format_query`, match: "exact", component: "query-frontend", group: "read", methods: GET_POST, purpose: "format query" },
  { path: `${READ}/status/buildinfo`, match: "exact", component: "query-frontend", group: "read", methods: GET, purpose: "build information" },
  { path: `${READ}/cardinality/label_names`, match: "exact", component: "query-frontend", group: "read", methods: GET_POST, purpose: "label names cardinality" },
  { path: `${READ}/cardinality/label_values`, match: "exact", component: "query-frontend", group: "read", methods: GET_POST, purpose: "label values cardinality" },
  { path: `${READ}/cardinality/active_series`, match: "exact", component: "query-frontend", group: "read", methods: GET_POST, purpose: "active series" },
  // rule and alert listings (ruler): reading, like queries (a class with `read` sees them; only `rules` changes them)
  { path: `${READ}/rules`, match: "exact", component: "ruler", group: "read", methods: GET, purpose: "list Prometheus rules" },
  { path: `${READ}/alerts`, match: "exact", component: "ruler", group: "read", methods: GET, purpose: "list Prometheus alerts" },
  // rules (ruler): configuration (GET lists and gets, POST sets a rule group, DELETE deletes a group or namespace)
  { path: `${P}/config/v1/rules`, match: "prefix", component: "ruler", group: "rules", methods: GET_POST_DELETE, purpose: "ruler configuration API" },
  { path: `${P}/config/v1/rules`, match: "prefix", component: "ruler", group: "rules-read", methods: GET, purpose: "ruler configuration API, read only (list and get rule groups)" },
  // alertmanager
  { path: "/alertmanager", match: "prefix", component: "alertmanager", group: "alertmanager", methods: GET_POST_DELETE, purpose: "Alertmanager UI and API" },
  { path: "/api/v1/alerts", match: "exact", component: "alertmanager", group: "alertmanager", methods: GET_POST_DELETE, purpose: "Alertmanager configuration" },
  { path: "/alertmanager", match: "prefix", component: "alertmanager", group: "alertmanager-read", methods: GET, purpose: "Alertmanager UI and API, read only (silences and alerts listed)" },
  { path: "/api/v1/alerts", match: "exact", component: "alertmanager", group: "alertmanager-read", methods: GET, purpose: "Alertmanager configuration, read only" },
  // block upload (compactor), off by default (start, files and finish are POST; check is GET)
  { path: "/api/v1/upload/block", match: "prefix", component: "compactor", group: "block-upload", methods: GET_POST, purpose: "block upload (backfill)" },
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
