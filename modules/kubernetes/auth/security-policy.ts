import { Construct } from "constructs";
import { Manifest } from "../../platform/kubernetes";
import { TENANT_HEADER } from "../../config/auth";
import type { Environment } from "../../config/environment";
import { commonLabels } from "../naming";

/** Envoy Gateway's policy API (CRD vendored in __tests__/fixtures/envoy-gateway, v1.9.0). */
export const SECURITY_POLICY_API = "gateway.envoyproxy.io/v1alpha1";
export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";

/** Labels every HTTPRoute of this environment carries; the policy selects routes by them. */
export function routeSelectorLabels(env: Environment): Record<string, string> {
  const all = commonLabels(env);
  return {
    "app.kubernetes.io/managed-by": all["app.kubernetes.io/managed-by"],
    "app.kubernetes.io/part-of": all["app.kubernetes.io/part-of"],
    "app.kubernetes.io/instance": all["app.kubernetes.io/instance"],
  };
}

/** The SecurityPolicy manifest (a plain object, so tests can validate it against the CRD). */
export function basicAuthSecurityPolicy(env: Environment, namespace: string, usersSecretName: string): Record<string, unknown> {
  return {
    apiVersion: SECURITY_POLICY_API,
    kind: "SecurityPolicy",
    metadata: { name: `${env.fullname}-basic-auth`, namespace, labels: commonLabels(env) },
    spec: {
      // Every HTTPRoute of this release in Mimir's namespace (the public-API routes), whatever their names.
      targetSelectors: [{ group: GATEWAY_API_GROUP, kind: "HTTPRoute", matchLabels: routeSelectorLabels(env) }],
      basicAuth: {
        users: { name: usersSecretName },
        // Envoy's basic_auth filter sets (overwrites) this header with the authenticated user name:
        // the tenant comes from the credential, never from a header the client chose.
        forwardUsernameHeader: TENANT_HEADER,
      },
    },
  };
}

/**
 * Basic authentication at the Gateway API entry (Envoy Gateway): users from a
 * Kubernetes Secret the stack only references (key `.htpasswd`, SHA entries),
 * each user name is a Mimir tenant. Requests without valid credentials get 401
 * before any route forwards them.
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
