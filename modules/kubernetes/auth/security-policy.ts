import { Construct } from "constructs";
import { Manifest } from "../../platform/kubernetes";
import type { Environment } from "../../config/environment";
import { TENANT_HEADER, tenantOf, type AuthSettings } from "../../config/auth";
import { authenticatedAt, type ClientClass } from "../../config/clients";
import { entrySecurityPolicy, ENVOY_GATEWAY_API, type GatewayAuthentication } from "../data-plane/envoy-objects";
import { entryHttpRoutes } from "../gateway-api/http-route";
import { jwtAuthSpec } from "./jwt-auth";

/** Envoy Gateway's policy API (CRD vendored in __tests__/fixtures/envoy-gateway, v1.9.0). */
export const SECURITY_POLICY_API = ENVOY_GATEWAY_API;

/**
 * A Gateway-side class's authentication as SecurityPolicy fields. basic: users from a Kubernetes Secret the stack
 * only references (key `.htpasswd`); without a tenant, Envoy's basic_auth filter sets (overwrites) X-Scope-OrgID with
 * the authenticated user name, so the tenant comes from the credential, never from a header the client chose.
 * jwt: bearer tokens checked against the issuer's JWKS (./jwt-auth.ts); Mimir runs single-tenant.
 */
export function gatewayAuthentication(auth: AuthSettings, providerName: string): GatewayAuthentication {
  switch (auth.mode) {
    case "basic":
      return { spec: { basicAuth: { users: { name: auth.usersSecretName }, ...(tenantOf(auth) === undefined ? { forwardUsernameHeader: TENANT_HEADER } : {}) } } };
    case "jwt":
      // One provider named after the class; its scopes and claims join the load balancer's Allow rule.
      return jwtAuthSpec(auth, providerName);
    default:
      throw new Error(`auth.mode ${auth.mode} does not authenticate at the Gateway`);
  }
}

/** One route-level SecurityPolicy: its name, the HTTPRoutes it targets and the class it authenticates (none: the load balancer does). */
export interface RoutePolicy {
  readonly name: string;
  readonly routes: readonly string[];
  readonly clientClass?: ClientClass;
}

/**
 * The route-level SecurityPolicies of an Envoy Gateway entry (one per route: Envoy Gateway does not combine two
 * policies on one route). Each Gateway-side class gets `<fullname>-<class>-auth` (a single `auth`:
 * `<fullname>-basic-auth`) on the routes of its groups; every other route gets `<fullname>-load-balancer-only`,
 * the load balancer's classes having authenticated there. Each admits only the load balancer's subnets.
 */
export function routePolicies(env: Environment): RoutePolicy[] {
  const routes = entryHttpRoutes(env);
  const owned = new Set<string>();
  const out: RoutePolicy[] = [];
  for (const c of env.clients) {
    if (authenticatedAt(c.auth) !== "gateway") continue;
    const mine = routes.filter((r) => r.group !== "operator" && c.groups.includes(r.group) && !owned.has(r.name)).map((r) => r.name);
    mine.forEach((r) => owned.add(r));
    if (mine.length > 0) out.push({ name: `${env.fullname}-${c.name === "default" ? c.auth.mode : c.name}-auth`, routes: mine, clientClass: c });
  }
  const rest = routes.filter((r) => !owned.has(r.name)).map((r) => r.name);
  return rest.length > 0 ? [{ name: `${env.fullname}-load-balancer-only`, routes: rest }, ...out] : out;
}

/** One route policy as a manifest (a plain object, so tests can validate it against the CRD). */
export function routeSecurityPolicy(env: Environment, namespace: string, p: RoutePolicy): Record<string, unknown> {
  return entrySecurityPolicy(env, namespace, {
    name: p.name,
    targetRefs: p.routes.map((name) => ({ kind: "HTTPRoute" as const, name })),
    cidrs: env.entry.loadBalancerCidrs,
    ...(p.clientClass ? { authentication: gatewayAuthentication(p.clientClass.auth, p.clientClass.name) } : {}),
  });
}

/**
 * The route-level SecurityPolicies of the Gateway API entry (Envoy Gateway): each Gateway-side class's
 * authentication on its groups' routes, the load-balancer-only authorization on the rest. MimirKubernetes writes them
 * through MimirDataPlaneProtection; this construct is kept for direct use.
 */
export class MimirRouteSecurityPolicies extends Construct {
  readonly manifests: Manifest[];

  constructor(scope: Construct, id: string, props: { readonly environment: Environment; readonly namespace: string }) {
    super(scope, id);
    const env = props.environment;
    this.manifests = routePolicies(env).map((p) => new Manifest(this, p.clientClass ? `auth-${p.clientClass.name}` : "load-balancer-only", { manifest: routeSecurityPolicy(env, props.namespace, p) }));
  }
}
