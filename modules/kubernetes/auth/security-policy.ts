import { Construct } from "constructs";
import { Manifest } from "../../platform/kubernetes";
import type { Environment } from "../../config/environment";
import { entrySecurityPolicy, ENVOY_GATEWAY_API } from "../data-plane/envoy-objects";
import { entryRouteNames } from "../gateway-api/http-route";

/** Envoy Gateway's policy API (CRD vendored in __tests__/fixtures/envoy-gateway, v1.9.0). */
export const SECURITY_POLICY_API = ENVOY_GATEWAY_API;

/**
 * The route-level SecurityPolicy of auth.mode basic (a plain object, so tests
 * can validate it against the CRD): basic authentication on Mimir's HTTPRoutes
 * (named in `targetRefs`), each user name a tenant, plus the authorization that
 * admits only the load balancer's subnets (a route-level policy replaces the
 * Gateway's for that route, so it carries both).
 */
export function basicAuthSecurityPolicy(env: Environment, namespace: string, usersSecretName: string): Record<string, unknown> {
  return entrySecurityPolicy(env, namespace, {
    name: `${env.fullname}-basic-auth`,
    targetRefs: entryRouteNames(env).map((name) => ({ kind: "HTTPRoute" as const, name })),
    cidrs: env.entry.loadBalancerCidrs,
    usersSecretName,
  });
}

/**
 * Basic authentication at the Gateway API entry (Envoy Gateway): users from a
 * Kubernetes Secret the stack only references (key `.htpasswd`, SHA entries),
 * each user name is a Mimir tenant. Requests without valid credentials get 401
 * before any route forwards them. MimirKubernetes writes it through
 * MimirDataPlaneProtection; this construct is kept for direct use.
 */
export class MimirBasicAuthPolicy extends Construct {
  readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: { readonly environment: Environment; readonly namespace: string }) {
    super(scope, id);
    const env = props.environment;
    if (env.auth.mode !== "basic") throw new Error("MimirBasicAuthPolicy needs auth.mode basic");
    this.manifest = new Manifest(this, "security-policy", { manifest: basicAuthSecurityPolicy(env, props.namespace, env.auth.usersSecretName) });
  }
}
