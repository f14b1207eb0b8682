import type { Environment } from "../config/environment-types";
import type { InternalPort, NeighbourPortName } from "../contract/port-contract";
import { mimirValues } from "./values";
import { isPlainObject } from "../shared/objects";

/**
 * What the mimir-distributed 6 chart runs beside Mimir's own components, read
 * from the values we pass it, and the chart's pod names and labels, so our
 * Services and NetworkPolicies reach exactly the pods the chart renders.
 */

/**
 * The chart's container port name for a contract port. http and grpc use the
 * same name on Services and containers; the gossip ring Service calls its port
 * `gossip-ring` but the containers name it `memberlist`.
 */
export function containerPortName(port: InternalPort): string {
  return port.name === "memberlist" ? "memberlist" : port.k8sName;
}

/** The rollout-operator subchart's pod labels (alias rollout_operator, chart name rollout-operator). */
export function rolloutOperatorSelector(release: string): Record<string, string> {
  return { "app.kubernetes.io/name": "rollout-operator", "app.kubernetes.io/instance": release };
}

/** Components whose zone StatefulSets carry `grafana.com/prepare-downscale` in chart 6 (ingester and store-gateway zones). */
export const PREPARE_DOWNSCALE_COMPONENTS = ["ingester", "store-gateway"] as const;

/** The chart's memcached caches (values key = component label). */
export const CACHE_COMPONENTS = ["chunks-cache", "index-cache", "metadata-cache", "results-cache"] as const;

export interface ChartNeighbours {
  /** The chart's own Kafka (never on: refused in helm.values). */
  readonly kafka: boolean;
  /** Memcached caches that run. */
  readonly caches: string[];
  /** The memcached exporter sidecar runs beside each cache. */
  readonly memcachedExporter: boolean;
  /** The rollout-operator runs and prepares downscales of these components. */
  readonly prepareDownscale: string[];
  /** The rollout-operator runs (in Mimir's namespace). */
  readonly rolloutOperator: boolean;
}

const enabled = (values: Record<string, unknown>, key: string, byDefault: boolean): boolean => {
  const v = values[key];
  return isPlainObject(v) && typeof v.enabled === "boolean" ? v.enabled : byDefault;
};

// Environments are frozen: the chart's values (merged and checked) are read once per environment, not by every construct that asks.
const NEIGHBOURS = new WeakMap<Environment, ChartNeighbours>();

/** Neighbours the chart runs for this environment; none outside the chart (monolithic, external ownership). */
export function chartNeighbours(env: Environment): ChartNeighbours {
  let known = NEIGHBOURS.get(env);
  if (!known) NEIGHBOURS.set(env, (known = readNeighbours(env)));
  return known;
}

function readNeighbours(env: Environment): ChartNeighbours {
  if (env.deploymentMode !== "microservices" || !env.helm.install) return { kafka: false, caches: [], memcachedExporter: false, prepareDownscale: [], rolloutOperator: false };
  const values = mimirValues(env);
  const caches = CACHE_COMPONENTS.filter((c) => enabled(values, c, false));
  const rollout = enabled(values, "rollout_operator", true);
  return {
    kafka: enabled(values, "kafka", true),
    caches,
    memcachedExporter: caches.length > 0 && enabled(values, "memcachedExporter", true),
    prepareDownscale: rollout ? PREPARE_DOWNSCALE_COMPONENTS.filter((c) => env.components.includes(c)) : [],
    rolloutOperator: rollout,
  };
}

/** The contract's neighbour ports whose pods the chart runs for this environment (members reach only these). */
export function runningNeighbours(env: Environment): NeighbourPortName[] {
  const chart = chartNeighbours(env);
  return env.contract.neighbours.map((n) => n.name).filter((name) => (name.startsWith("kafka") ? chart.kafka : chart.caches.length > 0));
}
