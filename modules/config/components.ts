/** Mimir components as named by the mimir-distributed chart. */
export const COMPONENTS = [
  "distributor",
  "ingester",
  "querier",
  "query-frontend",
  "query-scheduler",
  "store-gateway",
  "compactor",
  "ruler",
  "alertmanager",
  "overrides-exporter",
] as const;
export type Component = (typeof COMPONENTS)[number];

/** Components that need a headless Service in the chart (DESIGN.md §1). */
export const HEADLESS_COMPONENTS: readonly Component[] = [
  "distributor",
  "ingester",
  "store-gateway",
  "query-scheduler",
  "query-frontend",
  "alertmanager",
  "ruler",
];

/** Headless Services that publish not-ready addresses (schedulers/frontends discover each other early; chart 6 does it for alertmanager too). */
export const PUBLISH_NOT_READY_HEADLESS: readonly Component[] = ["query-scheduler", "query-frontend", "alertmanager"];

/** Components that join the memberlist ring (carry `app.kubernetes.io/part-of: memberlist`). */
export const RING_MEMBERS: readonly Component[] = [
  "distributor",
  "ingester",
  "querier",
  "store-gateway",
  "compactor",
  "ruler",
  "alertmanager",
];

/** Components the mimir-distributed chart always runs (the rest can be switched off). */
export const CORE_COMPONENTS: readonly Component[] = ["distributor", "ingester", "querier", "query-frontend", "store-gateway", "compactor"];
