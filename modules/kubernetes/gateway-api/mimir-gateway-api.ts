import { Construct } from "constructs";
import { Manifest } from "../../platform/kubernetes";
import type { Environment } from "../../config/environment";
import { commonLabels } from "../naming";
import { entryHttpRoutes, GATEWAY_API_VERSION, gatewaySpec, httpRouteSpec, type ParentRef } from "./http-route";
import { envoyProxyParametersRef } from "../data-plane/envoy-objects";

/**
 * The default entry (entry kind `gateway-api`): HTTPRoutes carrying only
 * Mimir's public API, one per group (`<fullname>-<group>`, see `entryHttpRoutes`),
 * attached to the Gateway you name (`entry.gateway.parentRef`)
 * or to one created here for `entry.gateway.className`; with
 * `entry.operatorAccess`, a separate `<fullname>-operator` HTTPRoute.
 * The load balancer's TargetGroupBinding points at the Gateway
 * implementation's data-plane Service (`entry.dataPlane`).
 */
export class MimirGatewayApi extends Construct {
  readonly gateway?: Manifest;
  /** The HTTPRoutes by group (`write`, `read`, ..., `operator`). */
  readonly httpRoutes: Readonly<Record<string, Manifest>>;

  constructor(scope: Construct, id: string, props: { readonly environment: Environment; readonly namespace: string }) {
    super(scope, id);
    const env = props.environment;
    const g = env.entry.gateway!;
    const labels = commonLabels(env);
    let parentRef: ParentRef = g.parentRef;
    if (g.create) {
      const { https, httpRedirect } = env.contract.public;
      this.gateway = new Manifest(this, "gateway", {
        manifest: {
          apiVersion: GATEWAY_API_VERSION,
          kind: "Gateway",
          metadata: { name: env.fullname, namespace: props.namespace, labels },
          spec: gatewaySpec({
            className: g.create.className,
            protocol: g.create.protocol,
            port: g.create.protocol === "HTTPS" ? https : httpRedirect,
            hostname: env.entry.hosts.length === 1 ? env.entry.hosts[0] : undefined,
            tlsSecretName: g.create.tlsSecretName,
            // Envoy Gateway: the EnvoyProxy (MimirDataPlaneProtection) makes the data-plane Service ClusterIP with a fixed name.
            parametersRef: env.entry.dataPlane?.implementation === "envoy-gateway" ? envoyProxyParametersRef(env) : undefined,
          }),
        },
      });
      // Same namespace as the routes (allowedRoutes: Same).
      parentRef = { name: env.fullname };
    }
    this.httpRoutes = Object.fromEntries(
      entryHttpRoutes(env).map((r) => [
        r.group,
        // The operator route keeps its id of before the split (no replacement for environments that have it).
        new Manifest(this, r.group === "operator" ? "operator-http-route" : `http-route-${r.group}`, {
          manifest: {
            apiVersion: GATEWAY_API_VERSION,
            kind: "HTTPRoute",
            metadata: { name: r.name, namespace: props.namespace, labels },
            spec: httpRouteSpec({ parentRef, hostnames: env.entry.hosts, routes: r.routes }),
          },
          ...(this.gateway ? { dependsOn: [this.gateway] } : {}),
        }),
      ]),
    );
  }
}
