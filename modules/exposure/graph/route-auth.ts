/**
 * Which Envoy Gateway policy decides a route's authentication, by Envoy Gateway's precedence
 * (site/content/en/latest/concepts/gateway_api_extensions/security-policy.md, "Precedence";
 * internal/gatewayapi/securitypolicy.go): a SecurityPolicy on a route rule (`sectionName`) beats one on the
 * route, which beats one on the Gateway listener, which beats one on the Gateway — a more specific policy
 * replaces the one above it, it does not add to it. Two policies on the same target are a conflict: the oldest
 * (`creationTimestamp`, then namespace/name) is applied and the other is `Conflicted`. Creation time is not in
 * the Terraform JSON, so where two or more policies share the deciding level every one of them must count
 * (unknown is never safe). A ClientTrafficPolicy validating client certificates works at the TLS handshake,
 * beside SecurityPolicies. `mergeType` (a route policy merged into its parent's) is not read: the route's
 * policy is taken on its own.
 */
import type { DataPlaneAuth } from "./envoy-policies";
import { targets } from "./envoy-policies";
import type { K8sObjects, KGateway, KRoute, Labels } from "./k8s-objects";

type ResolveNs = (v: string | undefined) => string | undefined;

const labelsMatch = (want: Labels, labels: Labels) => Object.entries(want).every(([k, v]) => labels[k] === v);

/** Policies indexed by what they target (kind, namespace, name), plus those that select targets by labels. */
export class DataPlaneAuthIndex {
  private readonly byTarget = new Map<string, DataPlaneAuth[]>();
  private readonly bySelector: DataPlaneAuth[] = [];
  private readonly securityPolicies: DataPlaneAuth[];
  /** ClientTrafficPolicies that take the client address from a header (clientCIDRs then prove nothing). */
  private readonly headerAddress: DataPlaneAuth[];
  /**
   * `counts`: whether a policy keeps a client out for the question asked (default: it authenticates or restricts;
   * MP018 beside an authenticating policy asks for authentication only).
   */
  constructor(auth: readonly DataPlaneAuth[], private readonly resolveNs: ResolveNs, readonly counts: (p: DataPlaneAuth) => boolean = (p) => p.how !== undefined) {
    this.headerAddress = auth.filter((p) => p.clientIpFrom !== undefined);
    this.securityPolicies = auth.filter((p) => p.kind === "SecurityPolicy");
    for (const p of auth) {
      if (!counts(p)) continue;
      const ns = resolveNs(p.namespace ?? "default");
      for (const t of p.targets) {
        if (t.matchLabels !== undefined) {
          if (!this.bySelector.includes(p)) this.bySelector.push(p);
          continue;
        }
        const key = `${t.kind}|${ns}|${t.name}`;
        const list = this.byTarget.get(key);
        if (list) list.push(p);
        else this.byTarget.set(key, [p]);
      }
    }
  }

  /**
   * The ClientTrafficPolicy that makes the client address of Gateway `ns/name` (a listener by `sectionName`, or every
   * listener) come from a header, if any: on any listener the route is served on (a policy on one listener counts for
   * a route attached to the whole Gateway).
   */
  headerAddressAt(ns: string | undefined, name: string, labels: Labels, sectionName?: string): DataPlaneAuth | undefined {
    return this.headerAddress.find((p) => this.resolveNs(p.namespace ?? "default") === ns && p.targets.some((t) => {
      if (t.kind !== "Gateway") return false;
      if (t.matchLabels !== undefined) return labelsMatch(t.matchLabels, labels);
      return t.name === name && (t.sectionName === undefined || sectionName === undefined || t.sectionName === sectionName);
    }));
  }

  /** The first policy that counts and covers this object (and listener), or undefined. */
  find(kind: string, ns: string | undefined, name: string, labels: Labels, sectionName?: string, usable: (p: DataPlaneAuth) => boolean = () => true): DataPlaneAuth | undefined {
    const candidates = [...(this.byTarget.get(`${kind}|${ns}|${name}`) ?? []), ...this.bySelector];
    return candidates.find((p) => usable(p) && targets(p, kind, name, this.resolveNs(p.namespace ?? "default") === ns, labels, sectionName));
  }

  /**
   * Every SecurityPolicy (whatever it does) attached to one level of `kind` `ns/name`: `whole` (no sectionName, or by
   * labels), `section` (a sectionName: `only` that one, or any).
   */
  attached(level: "whole" | "section", kind: string, ns: string | undefined, name: string, labels: Labels, only?: string): DataPlaneAuth[] {
    return this.securityPolicies.filter((p) => this.resolveNs(p.namespace ?? "default") === ns && p.targets.some((t) => {
      if (t.kind !== kind) return false;
      if (t.matchLabels !== undefined) return level === "whole" && labelsMatch(t.matchLabels, labels);
      if (t.name !== name) return false;
      return level === "whole" ? t.sectionName === undefined : t.sectionName !== undefined && (only === undefined || t.sectionName === only);
    }));
  }
}

const gatewayIndex = new WeakMap<K8sObjects, Map<string, KGateway>>();
export function gatewaysOf(k8s: K8sObjects, resolveNs: ResolveNs): Map<string, KGateway> {
  let m = gatewayIndex.get(k8s);
  if (!m) gatewayIndex.set(k8s, (m = new Map(k8s.gateways.map((x) => [`${resolveNs(x.namespace ?? "default")}/${x.name}`, x]))));
  return m;
}

/** The ClientTrafficPolicy that makes clientCIDRs spoofable on one of the route's Gateways (listeners), if any. */
export function spoofedAddress(r: KRoute, auth: DataPlaneAuthIndex, k8s: K8sObjects, resolveNs: ResolveNs): DataPlaneAuth | undefined {
  const routeNs = resolveNs(r.namespace ?? "default");
  for (const parent of r.parents) {
    const gwNs = parent.namespace ?? routeNs;
    const gw = gatewaysOf(k8s, resolveNs).get(`${gwNs}/${parent.name}`);
    const p = auth.headerAddressAt(gwNs, parent.name, gw?.labels ?? {}, parent.sectionName);
    if (p) return p;
  }
  return undefined;
}

/** How a route is authenticated at the data plane (`how`), or why that is not proven (`why`). */
export interface RouteVerdict {
  readonly how?: string;
  readonly why?: string;
  /** When proven: the policies that decide (the ones Envoy Gateway may apply). */
  readonly by?: readonly DataPlaneAuth[];
}

const NOTHING = "no authenticating policy targets it or the Gateway listener it is attached to";
const named = (ps: readonly DataPlaneAuth[]) => ps.map((p) => `${p.kind} ${p.name}`).join(", ");

/**
 * The SecurityPolicies deciding one level: undefined when none is attached there (the level above decides);
 * otherwise `how` when every one counts, else `why` (a policy that does not count, or a conflict it may win).
 */
function decide(ps: readonly DataPlaneAuth[], ok: (p: DataPlaneAuth) => boolean, where: string, replaces = ""): RouteVerdict | undefined {
  if (ps.length === 0) return undefined;
  const weak = ps.filter((p) => !ok(p));
  // Authenticating policies that admit different credentials (another class's users Secret, issuer or scopes): which
  // one Envoy Gateway applies depends on creation time, so the route may take the other class's credential.
  const admits = new Set(ps.flatMap((p) => p.admits ?? []));
  if (weak.length === 0 && admits.size > 1) {
    return { why: `SecurityPolicies ${ps.map((p) => p.name).join(", ")} all target ${where}, authenticate different credentials, and Envoy Gateway applies only the oldest (creation time, which the Terraform JSON cannot show): the route may admit the other policy's clients${replaces}` };
  }
  if (weak.length === 0) return { how: [...new Set(ps.map((p) => `${p.kind} ${p.name}: ${p.how}`))].join("; "), by: ps };
  const what = `${named(weak)} ${weak.length === 1 ? "does" : "do"} not authenticate`;
  if (ps.length === 1) return { why: `${NOTHING} (${weak[0].kind} ${weak[0].name} on ${where} does not authenticate${replaces})` };
  return { why: `SecurityPolicies ${ps.map((p) => p.name).join(", ")} all target ${where} and Envoy Gateway applies only the oldest (creation time, which the Terraform JSON cannot show); ${what}${replaces}` };
}

/**
 * Is the route authenticated at the data plane for every Gateway (listener) it is attached to? By the precedence
 * above: a policy on one of its rules that does not count leaves that rule open; policies on the route decide for
 * every parent; else, per parent, those on the listener it is attached to (any listener when it names none, each of
 * which must count) and those on the Gateway. A ClientTrafficPolicy validating client certificates on a TLS
 * listener covers a parent whatever the SecurityPolicies say.
 */
export function routeVerdict(r: KRoute, auth: DataPlaneAuthIndex, k8s: K8sObjects, resolveNs: ResolveNs): RouteVerdict {
  if (r.kind === "Ingress") return { why: "an Ingress: no Envoy Gateway policy applies to it" };
  if (r.parents.length === 0) return { why: "it is attached to no Gateway" };
  const routeNs = resolveNs(r.namespace ?? "default");
  // clientCIDRs compare the address a ClientTrafficPolicy takes from a header: a client chooses it.
  const spoofed = spoofedAddress(r, auth, k8s, resolveNs);
  const ok = (p: DataPlaneAuth) => auth.counts(p) && !(p.byClientCidrs && spoofed);
  const onRules = auth.attached("section", r.kind, routeNs, r.name, r.labels);
  const weakRule = onRules.find((p) => !ok(p));
  const ruleWhy = weakRule ? `${weakRule.kind} ${weakRule.name} on one of its rules (sectionName) does not authenticate, and it replaces the route's and the Gateway's policy for that rule` : undefined;
  const onRoute = ruleWhy ? undefined : decide(auth.attached("whole", r.kind, routeNs, r.name, r.labels), ok, `${r.kind} ${r.name}`, ", and the route's own policy replaces the Gateway's");
  if (onRoute?.how) return onRoute;
  const hows: string[] = [];
  const by: DataPlaneAuth[] = [];
  let why = ruleWhy ?? onRoute?.why;
  for (const parent of r.parents) {
    const gwNs = parent.namespace ?? routeNs;
    const gw = gatewaysOf(k8s, resolveNs).get(`${gwNs}/${parent.name}`);
    const labels = gw?.labels ?? {};
    let sp: RouteVerdict | undefined;
    if (why === undefined) {
      const listenerLevel = auth.attached("section", "Gateway", gwNs, parent.name, labels, parent.sectionName);
      const gatewayLevel = auth.attached("whole", "Gateway", gwNs, parent.name, labels);
      const on = `Gateway ${parent.name}${parent.sectionName ? `/${parent.sectionName}` : ""}`;
      // Attached to one listener: that listener's policies decide, else the Gateway's. To every listener: the Gateway's
      // decide where a listener has none of its own, and each listener's own must count too.
      if (parent.sectionName !== undefined) sp = decide(listenerLevel.length > 0 ? listenerLevel : gatewayLevel, ok, on);
      else if (gatewayLevel.length > 0) sp = decide([...gatewayLevel, ...listenerLevel], ok, on);
      if (sp?.how) {
        hows.push(sp.how);
        by.push(...(sp.by ?? []));
        continue;
      }
    }
    // Client certificates can be validated only where the Gateway terminates TLS (an HTTPS or TLS listener).
    // Not visible for a Gateway outside the stack: not counted.
    const attached = gw?.listeners.filter((l) => parent.sectionName === undefined || l.name === parent.sectionName) ?? [];
    const tlsHere = attached.length > 0 && attached.every((l) => l.protocol === "HTTPS" || l.protocol === "TLS");
    const ctp = tlsHere ? auth.find("Gateway", gwNs, parent.name, labels, parent.sectionName, (x) => x.kind === "ClientTrafficPolicy") : undefined;
    if (!ctp) return { why: why ?? sp?.why ?? NOTHING };
    hows.push(`${ctp.kind} ${ctp.name}: ${ctp.how}`);
    by.push(ctp);
  }
  return { how: [...new Set(hows)].join("; "), by: [...new Set(by)] };
}

/** The verdict's `how` alone (undefined: not proven). */
export function routeAuthentication(r: KRoute, auth: DataPlaneAuthIndex, k8s: K8sObjects, resolveNs: ResolveNs): string | undefined {
  return routeVerdict(r, auth, k8s, resolveNs).how;
}
