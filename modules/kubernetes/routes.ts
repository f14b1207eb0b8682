import type { Component } from "../config/components";

/**
 * The Mimir gateway's route table (DESIGN.md §1): every backend on the http
 * port. `exact` paths are nginx `= /path`; the rest are prefixes. Kubernetes
 * Ingress prefers Exact over Prefix and the longest Prefix, so the ruler's
 * `/prometheus/...` paths beat the query-frontend's `/prometheus`.
 */
export interface Route {
  readonly path: string;
  readonly exact: boolean;
  readonly component: Component;
}

export const GATEWAY_ROUTES: readonly Route[] = [
  { path: "/distributor", exact: false, component: "distributor" },
  { path: "/api/v1/push", exact: true, component: "distributor" },
  { path: "/otlp/v1/metrics", exact: false, component: "distributor" },
  { path: "/alertmanager", exact: false, component: "alertmanager" },
  { path: "/multitenant_alertmanager/status", exact: true, component: "alertmanager" },
  { path: "/multitenant_alertmanager/configs", exact: true, component: "alertmanager" },
  { path: "/api/v1/alerts", exact: true, component: "alertmanager" },
  { path: "/prometheus/config/v1/rules", exact: false, component: "ruler" },
  { path: "/prometheus/api/v1/rules", exact: false, component: "ruler" },
  { path: "/prometheus/api/v1/alerts", exact: false, component: "ruler" },
  { path: "/ruler/ring", exact: true, component: "ruler" },
  { path: "/prometheus", exact: false, component: "query-frontend" },
  { path: "/api/v1/status/buildinfo", exact: true, component: "query-frontend" },
  { path: "/api/v1/upload/block/", exact: false, component: "compactor" },
];
