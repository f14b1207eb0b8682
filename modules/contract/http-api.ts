/**
 * Every endpoint of Mimir's HTTP API reference, with a concrete sample path and
 * its audience: `public` (tenant clients; must reach the entry) or `operator`
 * (cluster operators; must never leave the cluster). Used to test that each
 * entry kind lets through exactly the public ones.
 *
 * Source: grafana/mimir docs/sources/mimir/references/http-api/_index.md
 * (commit 341ac272a2d346f4aa54fe292cad464a77b711ea), default path prefixes.
 * `/api/v1/push/influx/write` (experimental Influx write), `/api/v1/user_limits`
 * and `/api/v1/user_stats` are tenant-scoped but not part of the exposed API
 * by default: they are listed as operator here.
 */
export interface HttpApiEndpoint {
  readonly method: string;
  /** A concrete request path (placeholders filled in). */
  readonly path: string;
  readonly service: string;
  readonly audience: "public" | "operator";
  /** Public endpoints only: off unless its group is switched on. */
  readonly optionalGroup?: "block-upload";
}

const op = (method: string, path: string, service: string): HttpApiEndpoint => ({ method, path, service, audience: "operator" });
const pub = (method: string, path: string, service: string): HttpApiEndpoint => ({ method, path, service, audience: "public" });

export const MIMIR_HTTP_API: readonly HttpApiEndpoint[] = Object.freeze([
  op("GET", "/", "all"),
  op("GET", "/config", "all"),
  op("GET", "/api/v1/status/config", "all"),
  op("GET", "/api/v1/status/flags", "all"),
  op("GET", "/runtime_config", "all"),
  op("GET", "/services", "all"),
  op("GET", "/ready", "all"),
  op("GET", "/metrics", "all"),
  op("GET", "/debug/pprof/heap", "all"),
  op("GET", "/debug/pprof/profile", "all"),
  op("GET", "/debug/fgprof", "all"),
  op("GET", "/api/v1/status/buildinfo", "all"),
  op("GET", "/memberlist", "all"),
  op("GET", "/api/v1/user_limits", "all"),
  pub("POST", "/api/v1/push", "distributor"),
  pub("POST", "/otlp/v1/metrics", "distributor"),
  op("POST", "/api/v1/push/influx/write", "distributor"),
  op("GET", "/distributor/all_user_stats", "distributor"),
  op("GET", "/distributor/ha_tracker", "distributor"),
  op("POST", "/ingester/flush", "ingester"),
  op("POST", "/ingester/prepare-shutdown", "ingester"),
  op("POST", "/ingester/shutdown", "ingester"),
  op("POST", "/ingester/prepare-partition-downscale", "ingester"),
  op("POST", "/ingester/prepare-instance-ring-downscale", "ingester"),
  op("GET", "/ingester/ring", "ingester"),
  op("GET", "/ingester/tenants", "ingester"),
  op("GET", "/ingester/tsdb/tenant-1", "ingester"),
  pub("GET", "/prometheus/api/v1/query", "query-frontend"),
  pub("GET", "/prometheus/api/v1/query_range", "query-frontend"),
  pub("GET", "/prometheus/api/v1/query_exemplars", "query-frontend"),
  pub("GET", "/prometheus/api/v1/series", "query-frontend"),
  pub("GET", "/prometheus/api/v1/cardinality/active_series", "query-frontend"),
  pub("GET", "/prometheus/api/v1/labels", "query-frontend"),
  pub("GET", "/prometheus/api/v1/label/job/values", "query-frontend"),
  pub("GET", "/prometheus/api/v1/metadata", "query-frontend"),
  pub("POST", "/prometheus/api/v1/read", "query-frontend"),
  pub("GET", "/prometheus/api/v1/cardinality/label_names", "query-frontend"),
  pub("GET", "/prometheus/api/v1/cardinality/label_values", "query-frontend"),
  pub("GET", "/prometheus/api/v1/status/buildinfo", "query-frontend"),
  pub("GET", "/prometheus/api/v1/format_query", "query-frontend"),
  op("GET", "/api/v1/user_stats", "querier"),
  op("GET", "/query-scheduler/ring", "query-scheduler"),
  op("GET", "/ruler/ring", "ruler"),
  op("GET", "/ruler/rule_groups", "ruler"),
  pub("GET", "/prometheus/api/v1/rules", "ruler"),
  pub("GET", "/prometheus/api/v1/alerts", "ruler"),
  pub("GET", "/prometheus/config/v1/rules", "ruler"),
  pub("GET", "/prometheus/config/v1/rules/team-a", "ruler"),
  pub("GET", "/prometheus/config/v1/rules/team-a/group-1", "ruler"),
  pub("POST", "/prometheus/config/v1/rules/team-a", "ruler"),
  pub("DELETE", "/prometheus/config/v1/rules/team-a/group-1", "ruler"),
  op("POST", "/ruler/delete_tenant_config", "ruler"),
  op("GET", "/multitenant_alertmanager/status", "alertmanager"),
  op("GET", "/multitenant_alertmanager/configs", "alertmanager"),
  op("GET", "/multitenant_alertmanager/ring", "alertmanager"),
  pub("GET", "/alertmanager", "alertmanager"),
  pub("GET", "/alertmanager/api/v1/status/buildinfo", "alertmanager"),
  op("POST", "/multitenant_alertmanager/delete_tenant_config", "alertmanager"),
  pub("GET", "/api/v1/alerts", "alertmanager"),
  pub("POST", "/api/v1/alerts", "alertmanager"),
  pub("DELETE", "/api/v1/alerts", "alertmanager"),
  op("GET", "/store-gateway/ring", "store-gateway"),
  op("GET", "/store-gateway/tenants", "store-gateway"),
  op("GET", "/store-gateway/tenant/tenant-1/blocks", "store-gateway"),
  op("POST", "/store-gateway/prepare-shutdown", "store-gateway"),
  op("GET", "/compactor/ring", "compactor"),
  { ...pub("POST", "/api/v1/upload/block/01HXYZ/start", "compactor"), optionalGroup: "block-upload" },
  { ...pub("POST", "/api/v1/upload/block/01HXYZ/files", "compactor"), optionalGroup: "block-upload" },
  { ...pub("POST", "/api/v1/upload/block/01HXYZ/finish", "compactor"), optionalGroup: "block-upload" },
  { ...pub("GET", "/api/v1/upload/block/01HXYZ/check", "compactor"), optionalGroup: "block-upload" },
  op("POST", "/compactor/delete_tenant", "compactor"),
  op("GET", "/compactor/delete_tenant_status", "compactor"),
  op("GET", "/compactor/tenants", "compactor"),
  op("GET", "/compactor/tenant/tenant-1/planned_jobs", "compactor"),
  op("GET", "/overrides-exporter/ring", "overrides-exporter"),
]);
