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
import { isPlainObject } from "../../shared/objects";
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

/** What a SecurityPolicy spec does at the proxy (undefined: nothing that keeps a client out). */
export function securityPolicyHow(spec: Record<string, any>, lbCidrs: readonly string[] | undefined): string | undefined {
  // extAuth that fails open, or JWT that lets requests without a token through, authenticates nobody when it matters.
  const methods = AUTH_KEYS.filter((k) => isPlainObject(spec[k]) && !(k === "extAuth" && spec[k].failOpen === true) && !(k === "jwt" && spec[k].optional === true));
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
    out.push({ resource: m.resource, kind: m.kind, name: m.name, namespace: m.namespace, targets, ...(how ? { how } : {}), ...(byClientCidrs ? { byClientCidrs } : {}), ...(clientIpFrom ? { clientIpFrom } : {}) });
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
