import type { JwtAuthSettings } from "../../config/auth";

/**
 * The SecurityPolicy fragments of auth.mode jwt (Envoy Gateway v1.9, field
 * names from the CRD vendored in __tests__/fixtures/envoy-gateway):
 *  - `spec.jwt`: one provider that checks the token's signature against the
 *    issuer's JWKS (fetched by Envoy from `remoteJWKS.uri`), its `iss` and its
 *    `aud`. A request without a valid token gets 401 (403 for a wrong
 *    audience). Neither `optional` nor `failOpen` is set (each lets requests
 *    without a valid token through), and no `claimToHeaders`: the tenant is
 *    auth.tenant, never a claim (docs/entry-and-auth.md).
 *  - `principal.jwt`: the scopes (all of them, in the token's `scope` or `scp`
 *    claim) and claims (all of them, each with one of its values) a token must
 *    carry. Envoy Gateway ANDs every principal type of one authorization rule,
 *    so merged into the rule that allows the load balancer's `clientCIDRs` it
 *    admits only requests from the load balancer whose token has them.
 *    Undefined when the class requires neither.
 */
export interface JwtAuthFragments {
  readonly spec: { readonly jwt: JwtSpec };
  readonly principal?: { readonly jwt: JwtPrincipal };
}

interface JwtSpec {
  readonly providers: ReadonlyArray<{ readonly name: string; readonly issuer: string; readonly audiences: readonly string[]; readonly remoteJWKS: { readonly uri: string } }>;
}

interface JwtPrincipal {
  readonly provider: string;
  readonly scopes?: readonly string[];
  readonly claims?: ReadonlyArray<{ readonly name: string; readonly values: readonly string[]; readonly valueType?: "String" | "StringArray" }>;
}

/** Envoy Gateway's provider names: 1-253 characters (the authorization principal names the same provider). */
const PROVIDER_NAME = /^\S{1,253}$/;

/**
 * The `jwt` authentication and the authorization principal of one jwt class;
 * `providerName` names the provider in both (e.g. the class name).
 */
export function jwtAuthSpec(auth: JwtAuthSettings, providerName: string): JwtAuthFragments {
  if (!PROVIDER_NAME.test(providerName)) throw new Error(`jwtAuthSpec: provider name ${JSON.stringify(providerName)} is not 1-253 characters without spaces`);
  const spec = { jwt: { providers: [{ name: providerName, issuer: auth.issuer, audiences: [...auth.audiences], remoteJWKS: { uri: auth.jwksUri } }] } };
  if (auth.scopes.length === 0 && auth.claims.length === 0) return { spec };
  const principal: JwtPrincipal = {
    provider: providerName,
    ...(auth.scopes.length > 0 ? { scopes: [...auth.scopes] } : {}),
    ...(auth.claims.length > 0 ? { claims: auth.claims.map((c) => ({ name: c.name, values: [...c.values], ...(c.valueType ? { valueType: c.valueType } : {}) })) } : {}),
  };
  return { spec, principal: { jwt: principal } };
}

/**
 * `authorization` with the principal merged into every Allow rule (the rule
 * then needs the load balancer's address AND the token's scopes/claims);
 * unchanged without a principal.
 */
export function withJwtPrincipal(authorization: Record<string, unknown>, principal: JwtAuthFragments["principal"]): Record<string, unknown> {
  if (principal === undefined) return authorization;
  const rules = Array.isArray(authorization.rules) ? (authorization.rules as Array<Record<string, unknown>>) : [];
  return { ...authorization, rules: rules.map((r) => (r.action === "Allow" ? { ...r, principal: { ...(r.principal as Record<string, unknown> | undefined), ...principal } } : r)) };
}
