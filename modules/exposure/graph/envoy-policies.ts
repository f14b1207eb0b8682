/**
 * Envoy Gateway policies that authenticate or restrict at the data plane,
 * read by their upstream semantics (gateway.envoyproxy.io/v1alpha1):
 * - `SecurityPolicy`: authentication (`basicAuth`, `jwt`, `oidc`, `apiKeyAuth`,
 *   `extAuth`), or `authorization` with `defaultAction: Deny` whose Allow rules
 *   admit only `principal.clientCIDRs` within the load balancer's subnets;
 * - `ClientTrafficPolicy`: `tls.clientValidation` (client certificates).
 * Attachment: `targetRefs` / `targetRef` (a Gateway, optionally one listener
 * by `sectionName`, or an HTTPRoute/GRPCRoute; local to the policy's
 * namespace) and `targetSelectors` (labels of the targets, by kind).
 */
import { first, list, strings } from "../readers/json";
import { isPlainObject, sortKeys } from "../../shared/objects";
import type { TfResource } from "../terraform-json";
import { cidrWithin } from "./cidr-within";
import type { K8sMeta, Labels } from "./k8s-objects";

export interface PolicyTarget {
  readonly kind: string;
  readonly name?: string;
  readonly sectionName?: string;
  /** targetSelectors: match labels of targets of this kind. */
  readonly matchLabels?: Labels;
}

export interface DataPlaneAuth {
  readonly resource: TfResource;
  readonly kind: "SecurityPolicy" | "ClientTrafficPolicy";
  readonly name: string;
  readonly namespace?: string;
  readonly targets: readonly PolicyTarget[];
  /** How it authenticates or restricts; undefined: it does neither (it does not count). */
  readonly how?: string;
  /** A SecurityPolicy that keeps clients out only by `authorization` on `clientCIDRs` (no authentication). */
  readonly byClientCidrs?: boolean;
  /** A ClientTrafficPolicy whose `clientIPDetection` takes the client address from a header a client can send. */
  readonly clientIpFrom?: string;
  /**
   * An authenticating SecurityPolicy's credential: its authentication and authorization, keys sorted. Two policies
   * with different credentials admit different clients (another class's users Secret, issuer or scopes).
   */
  readonly admits?: string;
}

/**
 * Where a ClientTrafficPolicy's `clientIPDetection` takes the client address from, when a client can write it:
 * a custom header, or X-Forwarded-For with trusted hops (`numTrustedHops` ≥ 1: whoever reaches the proxy without the
 * load balancer writes the entry it reads) or trusted from CIDRs beyond the load balancer's subnets. Undefined: the
 * connection's own address (what `clientCIDRs` needs).
 */
export function clientIpFromHeader(spec: Record<string, any>, lbCidrs: readonly string[] | undefined): string | undefined {
  const detection = first(spec.clientIPDetection);
  if (!detection) return undefined;
  const custom = first(detection.customHeader);
  if (custom) return `the ${String(custom.name ?? "?")} header (clientIPDetection.customHeader)`;
  const xff = first(detection.xForwardedFor);
  if (!xff) return undefined;
  const hops = Number(xff.numTrustedHops ?? 0);
  if (!Number.isFinite(hops) || hops > 0) return `X-Forwarded-For (clientIPDetection.xForwardedFor.numTrustedHops ${String(xff.numTrustedHops)})`;
  const trusted = strings(xff.trustedCIDRs);
  if (trusted.length > 0 && (lbCidrs === undefined || !trusted.every((c) => cidrWithin(c, lbCidrs)))) return `X-Forwarded-For from ${trusted.join(", ")} (clientIPDetection.xForwardedFor.trustedCIDRs beyond the load balancer's subnets)`;
  return undefined;
}

const AUTH_KEYS = ["basicAuth", "jwt", "oidc", "apiKeyAuth", "extAuth"] as const;

function targetsOf(spec: Record<string, any>): PolicyTarget[] {
  const refs = [...list(spec.targetRefs), ...(isPlainObject(spec.targetRef) ? [spec.targetRef] : [])];
  const out: PolicyTarget[] = refs.map((r) => ({ kind: String(r.kind ?? ""), name: typeof r.name === "string" ? r.name : undefined, ...(typeof r.sectionName === "string" ? { sectionName: r.sectionName } : {}) }));
  for (const s of list(spec.targetSelectors)) {
    const labels = isPlainObject(s.matchLabels) ? Object.fromEntries(Object.entries(s.matchLabels).map(([k, v]) => [k, String(v)])) : {};
    out.push({ kind: String(s.kind ?? ""), matchLabels: labels });
  }
  return out;
}

/**
 * Why a SecurityPolicy's `jwt` is one the API server refuses (Envoy Gateway v1.9 CRD: at least one provider, each
 * with a name and exactly one of `remoteJWKS` (with `uri`) and `localJWKS`; `recomputeRoute` only with
 * `claimToHeaders`; not both `optional` and `failOpen`): it is never applied, so it authenticates nobody.
 */
export function jwtRefused(jwt: Record<string, any>): string | undefined {
  const providers = list(jwt.providers);
  if (providers.length === 0) return "no providers";
  if (jwt.optional != null && jwt.failOpen != null) return "both optional and failOpen";
  for (const p of providers) {
    if (typeof p.name !== "string" || p.name === "") return "a provider without a name";
    const remote = isPlainObject(p.remoteJWKS);
    if (remote === isPlainObject(p.localJWKS)) return `provider ${p.name} without exactly one of remoteJWKS and localJWKS`;
    if (remote && (typeof p.remoteJWKS.uri !== "string" || p.remoteJWKS.uri === "")) return `provider ${p.name} without remoteJWKS.uri`;
    if (p.recomputeRoute === true && list(p.claimToHeaders).length === 0) return `provider ${p.name} with recomputeRoute but no claimToHeaders`;
  }
  return undefined;
}

/** The names of the providers of a `jwt` the API server accepts (empty: it is refused). */
function jwtProviders(jwt: unknown): string[] {
  if (!isPlainObject(jwt) || jwtRefused(jwt) !== undefined) return [];
  return list(jwt.providers).map((p) => String(p.name));
}

/**
 * Does the policy's `authorization` admit only requests with a token one of `providers` verified? Every Allow rule
 * needs `principal.jwt` naming one of them, and the default denies: the claims and scopes it matches exist only for a
 * verified token, so a missing or invalid one matches no Allow rule.
 */
function authorizationNeedsToken(authz: Record<string, any> | undefined, providers: readonly string[]): boolean {
  if (!authz || authz.defaultAction !== "Deny" || providers.length === 0) return false;
  const allows = list(authz.rules).filter((r) => r.action === "Allow");
  return allows.length > 0 && allows.every((r) => {
    const jwt = first(first(r.principal)?.jwt);
    return jwt !== undefined && providers.includes(String(jwt.provider)) && (strings(jwt.scopes).length > 0 || list(jwt.claims).length > 0);
  });
}

/**
 * How a SecurityPolicy's `jwt` keeps clients out (undefined: it does not). A required token (no `optional`, no
 * `failOpen`) of an accepted provider authenticates; `optional` lets requests without a token through and `failOpen`
 * those with a missing or invalid one, unless the authorization needs a verified token anyway. `claimToHeaders`,
 * `recomputeRoute` and `extractFrom` change what a verified token does or where it is read, not who is verified.
 */
function jwtHow(spec: Record<string, any>): string | undefined {
  const providers = jwtProviders(spec.jwt);
  if (providers.length === 0) return undefined;
  if (spec.jwt.optional !== true && spec.jwt.failOpen !== true) return "jwt";
  return authorizationNeedsToken(first(spec.authorization), providers) ? `jwt (${spec.jwt.failOpen === true ? "failOpen" : "optional"}, but every Allow rule needs principal.jwt)` : undefined;
}

/**
 * The authentication methods of a SecurityPolicy spec that keep clients out. extAuth that fails open, or JWT that
 * lets requests without a valid token through (or that the API server refuses), authenticates nobody when it matters.
 */
export function securityPolicyAuthMethods(spec: Record<string, any>): string[] {
  return AUTH_KEYS.flatMap((k) => {
    if (!isPlainObject(spec[k])) return [];
    if (k === "jwt") return jwtHow(spec) ?? [];
    return k === "extAuth" && spec[k].failOpen === true ? [] : [k];
  });
}

/** What a SecurityPolicy spec does at the proxy (undefined: nothing that keeps a client out). */
export function securityPolicyHow(spec: Record<string, any>, lbCidrs: readonly string[] | undefined): string | undefined {
  const methods = securityPolicyAuthMethods(spec);
  if (methods.length > 0) return `authentication (${methods.join(", ")})`;
  const authz = first(spec.authorization);
  if (!authz || authz.defaultAction !== "Deny") return undefined;
  const allows = list(authz.rules).filter((r) => r.action === "Allow");
  if (allows.length === 0) return "authorization denying every client";
  const cidrs: string[] = [];
  for (const r of allows) {
    const principal = first(r.principal) ?? {};
    const own = strings(principal.clientCIDRs);
    // An Allow rule on other principals (a JWT claim, headers) needs its own authentication; without CIDRs it admits anyone.
    if (own.length === 0 || lbCidrs === undefined || !own.every((c) => cidrWithin(c, lbCidrs))) return undefined;
    cidrs.push(...own);
  }
  return `authorization admitting only the load balancer's subnets (${cidrs.join(", ")})`;
}

/**
 * What an authenticating SecurityPolicy admits: its authentication and its authorization rules' principals (a JWT's
 * scopes and claims tell two classes of one issuer apart), keys sorted. Rule names and client CIDRs (the load
 * balancer's subnets, proven elsewhere) do not change who is admitted.
 */
function credentialOf(spec: Record<string, any>): string {
  const rules = list(first(spec.authorization)?.rules).map((r) => {
    const { clientCIDRs: _cidrs, ...principal } = first(r.principal) ?? {};
    const jwt = first(principal.jwt);
    // The provider's name only links the principal to the provider: renaming it admits the same tokens.
    return { action: r.action, principal: jwt ? { ...principal, jwt: { ...jwt, provider: undefined } } : principal };
  });
  const parts: Record<string, unknown> = Object.fromEntries(AUTH_KEYS.filter((k) => spec[k] !== undefined).map((k) => [k, spec[k]]));
  // What a verified request carries onward (the user name as a header, claims as headers) does not change who is admitted.
  const basic = first(spec.basicAuth);
  if (basic) parts.basicAuth = { ...basic, forwardUsernameHeader: undefined };
  const jwt = first(spec.jwt);
  if (jwt) parts.jwt = { ...jwt, providers: list(jwt.providers).map((x) => ({ ...x, name: undefined, claimToHeaders: undefined, recomputeRoute: undefined })) };
  return JSON.stringify(sortKeys({ ...parts, rules }));
}

/** Envoy Gateway policies among manifests of kinds the Kubernetes reader does not model. */
export function readDataPlaneAuth(others: readonly K8sMeta[], lbCidrs: readonly string[] | undefined): DataPlaneAuth[] {
  const out: DataPlaneAuth[] = [];
  for (const m of others) {
    if (m.kind !== "SecurityPolicy" && m.kind !== "ClientTrafficPolicy") continue;
    const manifest = first(m.resource.values.manifest);
    if (!manifest || typeof manifest.apiVersion !== "string" || !manifest.apiVersion.startsWith("gateway.envoyproxy.io/")) continue;
    const spec: Record<string, any> = first(manifest.spec) ?? {};
    let how: string | undefined;
    let clientIpFrom: string | undefined;
    if (m.kind === "SecurityPolicy") how = securityPolicyHow(spec, lbCidrs);
    else {
      const validation = first(first(spec.tls)?.clientValidation);
      how = validation && list(validation.caCertificateRefs).length > 0 && validation.optional !== true ? "client certificate validation (ClientTrafficPolicy tls.clientValidation)" : undefined;
      clientIpFrom = clientIpFromHeader(spec, lbCidrs);
    }
    // A ClientTrafficPolicy attaches to Gateways (and their listeners) only.
    const targets = targetsOf(spec).filter((t) => m.kind === "SecurityPolicy" || t.kind === "Gateway");
    const byClientCidrs = how?.startsWith("authorization") === true;
    const admits = m.kind === "SecurityPolicy" && how?.startsWith("authentication") === true ? credentialOf(spec) : undefined;
    out.push({ resource: m.resource, kind: m.kind, name: m.name, namespace: m.namespace, targets, ...(how ? { how } : {}), ...(byClientCidrs ? { byClientCidrs } : {}), ...(clientIpFrom ? { clientIpFrom } : {}), ...(admits ? { admits } : {}) });
  }
  return out;
}

/** Does the policy target this object (kind, name in the policy's namespace, its labels; a listener by sectionName)? */
export function targets(p: DataPlaneAuth, kind: string, name: string, sameNamespace: boolean, labels: Labels, sectionName?: string): boolean {
  if (!sameNamespace) return false;
  return p.targets.some((t) => {
    if (t.kind !== kind) return false;
    if (t.matchLabels !== undefined) return Object.entries(t.matchLabels).every(([k, v]) => labels[k] === v) && t.sectionName === undefined;
    if (t.name !== name) return false;
    // A policy on one listener covers only routes attached to that listener.
    return t.sectionName === undefined || t.sectionName === sectionName;
  });
}
