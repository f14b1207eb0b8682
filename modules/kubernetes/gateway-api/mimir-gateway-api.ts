import { Construct } from "constructs";
import { Manifest } from "../../platform/kubernetes";
import type { Environment } from "../../config/environment";
import { commonLabels } from "../naming";
import { operatorBackendRoutes, publicBackendRoutes } from "../routes";
import { GATEWAY_API_VERSION, gatewaySpec, httpRouteSpec, type ParentRef } from "./http-route";
import { envoyProxyParametersRef } from "../data-plane/envoy-objects";

/**
 * The default entry (entry kind `gateway-api`): an HTTPRoute carrying only
 * Mimir's public API, attached to the Gateway you name (`entry.gateway.parentRef`)
 * or to one created here for `entry.gateway.className`; with
 * `entry.operatorAccess`, a separate `<fullname>-operator` HTTPRoute.
 * The load balancer's TargetGroupBinding points at the Gateway
 * implementation's data-plane Service (`entry.dataPlane`).
 */
export class MimirGatewayApi extends Construct {
  readonly gateway?: Manifest;
  readonly httpRoute: Manifest;
  readonly operatorRoute?: Manifest;

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
    const route = (cid: string, name: string, routes: ReturnType<typeof publicBackendRoutes>) =>
      new Manifest(this, cid, {
        manifest: {
          apiVersion: GATEWAY_API_VERSION,
          kind: "HTTPRoute",
          metadata: { name, namespace: props.namespace, labels },
          spec: httpRouteSpec({ parentRef, hostnames: env.entry.hosts, routes }),
        },
        ...(this.gateway ? { dependsOn: [this.gateway] } : {}),
      });
    this.httpRoute = route("http-route", env.fullname, publicBackendRoutes(env));
    const operator = operatorBackendRoutes(env);
    if (operator.length > 0) this.operatorRoute = route("operator-http-route", `${env.fullname}-operator`, operator);
  }
}
