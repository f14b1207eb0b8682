import type { Environment } from "../../config/environment";
import { commonLabels } from "../naming";

/**
 * Envoy Gateway's own objects that keep the Gateway API data plane to the
 * load balancer (field names from the v1.9.0 CRDs vendored in
 * __tests__/fixtures/envoy-gateway, validated there in tests). Plain objects,
 * so tests validate exactly what the stack writes.
 */
export const ENVOY_GATEWAY_API = "gateway.envoyproxy.io/v1alpha1";
export const ENVOY_GATEWAY_GROUP = "gateway.envoyproxy.io";
const GATEWAY_API_GROUP = "gateway.networking.k8s.io";

/**
 * Envoy Gateway shifts a privileged listener port (below 1024) by 10000 for
 * the proxy container (internal/gatewayapi/listener.go, `minEphemeralPort`,
 * `wellKnownPortShift`), so the pods listen on the listener port plus 10000 (HTTPS: see the test).
 * A NetworkPolicy and IP targets see the container port.
 */
const MIN_EPHEMERAL_PORT = 1024;
const WELL_KNOWN_PORT_SHIFT = 10000;
export function envoyContainerPort(listenerPort: number): number {
  return listenerPort < MIN_EPHEMERAL_PORT ? listenerPort + WELL_KNOWN_PORT_SHIFT : listenerPort;
}

/** Labels Envoy Gateway puts on the proxy pods of one Gateway (internal/gatewayapi/translator.go). */
export function owningGatewayLabels(gatewayName: string, gatewayNamespace: string): Record<string, string> {
  return { "gateway.envoyproxy.io/owning-gateway-name": gatewayName, "gateway.envoyproxy.io/owning-gateway-namespace": gatewayNamespace };
}

type DataPlane = NonNullable<Environment["entry"]["dataPlane"]>;

/** The name of the EnvoyProxy a created Gateway links to (same namespace as the Gateway). */
export function envoyProxyName(env: Environment): string {
  return `${env.fullname}-data-plane`;
}

/**
 * The EnvoyProxy a created Gateway links to (`spec.infrastructure.parametersRef`):
 * the data-plane Service is type ClusterIP (Envoy Gateway's default is
 * LoadBalancer) with the fixed name `entry.dataPlane.serviceName`, so the
 * TargetGroupBinding finds it and nothing else publishes it.
 */
export function envoyProxyManifest(env: Environment, namespace: string, dataPlane: DataPlane): Record<string, unknown> {
  return {
    apiVersion: ENVOY_GATEWAY_API,
    kind: "EnvoyProxy",
    metadata: { name: envoyProxyName(env), namespace, labels: commonLabels(env) },
    spec: {
      provider: {
        type: "Kubernetes",
        kubernetes: {
          envoyService: { type: "ClusterIP", name: dataPlane.serviceName },
          // The NetworkPolicy selects the proxy pods by these labels besides Envoy Gateway's own.
          envoyDeployment: { pod: { labels: { ...dataPlane.podLabels } } },
        },
      },
    },
  };
}

/** The Gateway's `infrastructure.parametersRef` to that EnvoyProxy. */
export function envoyProxyParametersRef(env: Environment): { group: string; kind: string; name: string } {
  return { group: ENVOY_GATEWAY_GROUP, kind: "EnvoyProxy", name: envoyProxyName(env) };
}

/**
 * Allow only the load balancer's subnets; everything else gets 403 (Envoy RBAC on the client address). `principal`
 * adds conditions on the authenticated client to the same rule (all must hold).
 */
export function loadBalancerOnlyAuthorization(cidrs: readonly string[], principal: Record<string, unknown> = {}): Record<string, unknown> {
  return { defaultAction: "Deny", rules: [{ name: "load-balancer-subnets", action: "Allow", principal: { clientCIDRs: [...cidrs], ...principal } }] };
}

export interface TargetRef {
  readonly kind: "Gateway" | "HTTPRoute";
  readonly name: string;
}

/** What a Gateway-side client class adds to a route's SecurityPolicy: its authentication, and conditions on who it authenticated. */
export interface GatewayAuthentication {
  /** Spec fields, e.g. `{ basicAuth: {...} }`. */
  readonly spec: Record<string, unknown>;
  /** Conditions on the authenticated client, ANDed with the load balancer's subnets in the Allow rule. */
  readonly principal?: Record<string, unknown>;
}

/**
 * A SecurityPolicy on the Gateway or on Mimir's HTTPRoutes: authorization by
 * the load balancer's source CIDRs and, with `authentication`, a Gateway-side
 * client class's authentication. A route-level policy replaces a Gateway-level
 * one for that route in Envoy Gateway, so each carries the whole protection.
 */
export function entrySecurityPolicy(
  env: Environment,
  namespace: string,
  props: { readonly name: string; readonly targetRefs: readonly TargetRef[]; readonly cidrs: readonly string[]; readonly authentication?: GatewayAuthentication },
): Record<string, unknown> {
  return {
    apiVersion: ENVOY_GATEWAY_API,
    kind: "SecurityPolicy",
    metadata: { name: props.name, namespace, labels: commonLabels(env) },
    spec: {
      targetRefs: props.targetRefs.map((t) => ({ group: GATEWAY_API_GROUP, kind: t.kind, name: t.name })),
      ...(props.authentication?.spec ?? {}),
      authorization: loadBalancerOnlyAuthorization(props.cidrs, props.authentication?.principal),
    },
  };
}

/**
 * A created Gateway's ClientTrafficPolicy: the listener answers the load
 * balancer's health check path itself (Envoy's health_check filter), and
 * nothing here trusts X-Forwarded-For or PROXY protocol, so the client address
 * the authorization judges is the load balancer's own connection.
 */
export function healthCheckClientTrafficPolicy(env: Environment, namespace: string, dataPlane: DataPlane): Record<string, unknown> {
  return {
    apiVersion: ENVOY_GATEWAY_API,
    kind: "ClientTrafficPolicy",
    metadata: { name: `${env.fullname}-data-plane`, namespace, labels: commonLabels(env) },
    spec: {
      targetRefs: [{ group: GATEWAY_API_GROUP, kind: "Gateway", name: env.fullname }],
      healthCheck: { path: dataPlane.healthCheckPath },
    },
  };
}
