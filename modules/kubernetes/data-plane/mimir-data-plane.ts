import { Construct } from "constructs";
import { Manifest, NetworkPolicyV1 } from "../../platform/kubernetes";
import type { Environment } from "../../config/environment";
import { commonLabels } from "../naming";
import { routePolicies, routeSecurityPolicy } from "../auth/security-policy";
import { envoyContainerPort, envoyProxyManifest, entrySecurityPolicy, healthCheckClientTrafficPolicy, owningGatewayLabels } from "./envoy-objects";

/** The data-plane pods' labels the NetworkPolicy selects: `entry.dataPlane.podLabels`, and for Envoy Gateway the created Gateway's owning labels. */
export function dataPlanePodSelector(env: Environment, gatewayNamespace: string): Record<string, string> {
  const dp = env.entry.dataPlane!;
  return { ...dp.podLabels, ...(dp.implementation === "envoy-gateway" ? owningGatewayLabels(env.fullname, gatewayNamespace) : {}) };
}

/**
 * The in-cluster peer of Mimir's http port for a Gateway API entry: the proxies of the one Gateway Mimir's routes
 * attach to. For Envoy Gateway that Gateway's owning labels (a created Gateway's, or the shared `parentRef`'s, whose
 * namespace defaults to the routes'), never every proxy of the data plane's namespace.
 */
export function entryProxySelector(env: Environment): Record<string, string> | undefined {
  const dp = env.entry.kind === "gateway-api" ? env.entry.dataPlane : undefined;
  const gateway = env.entry.gateway;
  if (!dp || !gateway) return undefined;
  if (dp.implementation !== "envoy-gateway") return { ...dp.podLabels };
  return { ...dp.podLabels, ...owningGatewayLabels(gateway.parentRef.name, gateway.parentRef.namespace ?? env.namespace) };
}

/**
 * The port the data-plane pods listen on for the load balancer: IP targets,
 * security group rules and NetworkPolicies see this port, not the Service's.
 * Envoy Gateway shifts privileged listener ports by 10000.
 */
export function dataPlaneContainerPort(env: Pick<Environment, "entry">): number | undefined {
  const dp = env.entry.dataPlane;
  if (!dp) return undefined;
  return dp.implementation === "envoy-gateway" ? envoyContainerPort(dp.port) : dp.port;
}

/**
 * Keeps the Gateway API data plane to the load balancer, so no pod reaches
 * Mimir through it without passing the load balancer (and its authentication):
 *
 * - created Gateway: an EnvoyProxy (data-plane Service ClusterIP, fixed name),
 *   a NetworkPolicy on the data-plane pods admitting only
 *   `loadBalancer.subnetCidrs` on the listener's container port (the load
 *   balancer's traffic and health checks), a ClientTrafficPolicy answering
 *   the health check path, and a Gateway-level SecurityPolicy that admits only
 *   those CIDRs (403 for any other client address);
 * - every Envoy Gateway entry (created or shared): SecurityPolicies on
 *   Mimir's HTTPRoutes with the same authorization, each Gateway-side client
 *   class's authentication on its groups' routes (`routePolicies`). On a shared
 *   Gateway this is what keeps its other listeners (and whoever reaches its
 *   data plane) off Mimir.
 */
export class MimirDataPlaneProtection extends Construct {
  readonly envoyProxy?: Manifest;
  readonly networkPolicy?: NetworkPolicyV1;
  readonly clientTrafficPolicy?: Manifest;
  readonly gatewayPolicy?: Manifest;
  /** The route-level SecurityPolicies (see `routePolicies`): one per Gateway-side class, and the load-balancer-only one. */
  readonly routePolicies: Manifest[] = [];

  constructor(scope: Construct, id: string, props: { readonly environment: Environment; readonly namespace: string }) {
    super(scope, id);
    const env = props.environment;
    const dp = env.entry.dataPlane;
    if (!dp) return;
    const cidrs = env.entry.loadBalancerCidrs;
    const envoy = dp.implementation === "envoy-gateway";
    const created = env.entry.gateway?.create !== undefined;

    if (created) {
      if (envoy) {
        this.envoyProxy = new Manifest(this, "envoy-proxy", { manifest: envoyProxyManifest(env, props.namespace, dp) });
        this.clientTrafficPolicy = new Manifest(this, "client-traffic-policy", { manifest: healthCheckClientTrafficPolicy(env, props.namespace, dp) });
        this.gatewayPolicy = new Manifest(this, "gateway-security-policy", {
          manifest: entrySecurityPolicy(env, props.namespace, { name: `${env.fullname}-gateway-load-balancer-only`, targetRefs: [{ kind: "Gateway", name: env.fullname }], cidrs }),
        });
      }
      // The owning-gateway labels carry the Gateway's namespace as a name, not a token.
      this.networkPolicy = new NetworkPolicyV1(this, "network-policy", {
        metadata: { name: `${env.fullname}-${env.namespace}-data-plane`, namespace: dp.namespace, labels: commonLabels(env) },
        spec: {
          podSelector: { matchLabels: dataPlanePodSelector(env, env.namespace) },
          policyTypes: ["Ingress"],
          ingress: [{ from: cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ port: String(dataPlaneContainerPort(env) as number), protocol: "TCP" }] }],
        },
      });
    }
    if (envoy) {
      for (const p of routePolicies(env)) {
        this.routePolicies.push(new Manifest(this, p.clientClass ? `route-security-policy-${p.clientClass.name}` : "route-security-policy", { manifest: routeSecurityPolicy(env, props.namespace, p) }));
      }
    }
  }
}
