/** The mimir-distributed chart this library derives values for (chart 6.0 ships Mimir 3.0). */
export const MIMIR_CHART = Object.freeze({
  name: "mimir-distributed",
  repository: "https://grafana.github.io/helm-charts",
  version: "6.0.0",
});

/** The Mimir image of the pinned chart's release (chart 6.0.0, appVersion 3.0.0); dev's monolithic workload runs the same version. */
export const MIMIR_IMAGE = "grafana/mimir:3.0.0";

/** Chart values keys of components that can be switched off (core components always run). */
export const OPTIONAL_COMPONENT_KEYS = Object.freeze({
  ruler: "ruler",
  alertmanager: "alertmanager",
  "overrides-exporter": "overrides_exporter",
  "query-scheduler": "query_scheduler",
} as const);
