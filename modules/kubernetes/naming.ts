import type { Component } from "../config/components";
import type { Environment } from "../config/environment";

/**
 * The mimir-distributed chart's names and labels, so objects we create select
 * the chart's pods and target the chart's Services exactly.
 */
export const MONOLITHIC_COMPONENT = "all";

export function serviceName(fullname: string, component: Component | "gateway"): string {
  return `${fullname}-${component}`;
}

export function headlessServiceName(fullname: string, component: Component): string {
  return `${fullname}-${component}-headless`;
}

/**
 * The Service that reaches every replica of a component on the http port. The
 * chart's zone-aware components (alertmanager by default in chart 6) have no
 * `<fullname>-<component>` Service, only one per zone and the headless one;
 * the chart's own ruler and gateway reach alertmanager through the headless
 * Service, and so do our routes.
 */
export function routableServiceName(fullname: string, component: Component): string {
  return ZONE_SPLIT_COMPONENTS.includes(component) ? headlessServiceName(fullname, component) : serviceName(fullname, component);
}

/** Components the chart 6 default renders per zone (`<fullname>-<component>-zone-a`, ...): no plain Service. */
export const ZONE_SPLIT_COMPONENTS: readonly Component[] = ["alertmanager", "ingester", "store-gateway"];

export { gossipRingServiceName } from "../helm/gossip-join";

/** The one Service of a monolithic (-target=all) deployment, and its headless twin. */
export function monolithicServiceName(fullname: string, headless = false): string {
  return headless ? `${fullname}-headless` : fullname;
}

/** Labels every Mimir pod of this release carries. */
export function releaseSelector(release: string): Record<string, string> {
  return { "app.kubernetes.io/name": "mimir", "app.kubernetes.io/instance": release };
}

export function componentSelector(release: string, component: string): Record<string, string> {
  return { ...releaseSelector(release), "app.kubernetes.io/component": component };
}

/** Ring members carry `app.kubernetes.io/part-of: memberlist`. */
export function ringMemberSelector(release: string): Record<string, string> {
  return { ...releaseSelector(release), "app.kubernetes.io/part-of": "memberlist" };
}

/** The Service a load balancer that targets Mimir directly should bind to. */
export function mimirEntryService(env: Environment): string {
  return env.deploymentMode === "monolithic" ? monolithicServiceName(env.fullname) : serviceName(env.fullname, "gateway");
}

/** Common labels on everything we create. */
export function commonLabels(env: Environment): Record<string, string> {
  return { "app.kubernetes.io/managed-by": "cdktf", "app.kubernetes.io/part-of": "mimir", "app.kubernetes.io/instance": env.release, environment: env.name };
}
