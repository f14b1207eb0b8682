/**
 * What each entry kind lets through, with that kind's own matching rules,
 * read from the synthesized Terraform JSON (not from our route table):
 *
 * - ALB listener rules: rules in priority order; a rule applies when all its
 *   conditions match; `path-pattern` values are case-sensitive globs (`*` any
 *   characters including `/`, `?` exactly one) over the whole path;
 *   `source-ip` values are CIDRs; `http-request-method` values are methods,
 *   compared exactly (HEAD is not GET); otherwise the listener's default action.
 * - Ingress (networking.k8s.io/v1): `Exact` equal, case-sensitive; `Prefix`
 *   element-wise over `/`-separated elements (`/foo` matches `/foo/bar`, not
 *   `/foobar`); the longest matching path wins, Exact over Prefix on a tie.
 * - HTTPRoute (gateway.networking.k8s.io/v1): `Exact`; `PathPrefix`
 *   element-wise (a trailing `/` in the value is ignored); `RegularExpression`
 *   (whole-path match); `method` (absent: every method); across all rules Exact
 *   wins, then the longest prefix, then a match with a method.
 */
import type { TfJson } from "./helpers";

type Json = Record<string, any>;
const all = (json: TfJson, type: string): Json[] => Object.values(json.resource?.[type] ?? {}) as Json[];

// ---------- ALB ----------
export function globMatches(pattern: string, path: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(path);
}

function ipv4(a: string): number {
  return a.split(".").reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
}
export function inCidr(ip: string, cidr: string): boolean {
  const [base, len] = cidr.split("/");
  const mask = Number(len) === 0 ? 0 : (0xffffffff << (32 - Number(len))) >>> 0;
  return ((ipv4(ip) & mask) >>> 0) === ((ipv4(base) & mask) >>> 0);
}

export type AlbOutcome = { kind: "forward"; targetGroup: string } | { kind: "fixed-response"; status: string } | { kind: "other"; type: string };

/** What the HTTPS listener (port 443) does with a `method` request for `path` from `sourceIp`. */
export function albOutcome(json: TfJson, path: string, sourceIp: string, port = 443, method = "GET"): AlbOutcome {
  const listenerEntries = Object.entries(json.resource?.aws_lb_listener ?? {}) as Array<[string, Json]>;
  const [listenerName, listener] = listenerEntries.find(([, l]) => l.port === port)!;
  const ref = `\${aws_lb_listener.${listenerName}.arn}`;
  const rules = all(json, "aws_lb_listener_rule")
    .filter((r) => r.listener_arn === ref)
    .sort((a, b) => a.priority - b.priority);
  const actionOf = (a: Json): AlbOutcome =>
    a.type === "forward" ? { kind: "forward", targetGroup: a.target_group_arn } : a.type === "fixed-response" ? { kind: "fixed-response", status: a.fixed_response.status_code } : { kind: "other", type: a.type };
  for (const rule of rules) {
    const ok = (rule.condition as Json[]).every((c) => {
      if (c.path_pattern) return (c.path_pattern.values as string[]).some((p) => globMatches(p, path));
      if (c.source_ip) return (c.source_ip.values as string[]).some((cidr) => inCidr(sourceIp, cidr));
      if (c.http_request_method) return (c.http_request_method.values as string[]).includes(method);
      throw new Error(`unexpected condition ${JSON.stringify(c)}`);
    });
    if (ok) return actionOf(rule.action[rule.action.length - 1]);
  }
  const actions = listener.default_action as Json[];
  return actionOf(actions[actions.length - 1]);
}

/** The ALB listener rules' condition sizes, for the AWS limits. */
export function albRuleShapes(json: TfJson): Array<{ listener: string; priority: number; pathValues: number; totalValues: number; wildcards: number; longest: number }> {
  return all(json, "aws_lb_listener_rule").map((r) => {
    const values = (r.condition as Json[]).flatMap((c) => [...(c.path_pattern?.values ?? []), ...(c.source_ip?.values ?? []), ...(c.http_request_method?.values ?? [])]) as string[];
    const paths = (r.condition as Json[]).flatMap((c) => c.path_pattern?.values ?? []) as string[];
    return { listener: r.listener_arn, priority: r.priority, pathValues: paths.length, totalValues: values.length, wildcards: paths.join("").replace(/[^*?]/g, "").length, longest: Math.max(...paths.map((p) => p.length)) };
  });
}

// ---------- in-cluster proxies normalise before matching ----------
/**
 * RFC 3986 §5.2.4 dot-segment removal, which the in-cluster proxies apply
 * before route matching (nginx matches the normalised `$uri`; Envoy, under
 * Envoy Gateway, normalises paths). The ALB matcher above does not: ALB
 * documents no normalisation, so its guard rules refuse dot segments.
 */
export function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = path.split("/");
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    if (seg === "..") {
      if (out.length > 1) out.pop();
      if (last) out.push("");
    } else if (seg === ".") {
      if (last) out.push("");
    } else out.push(seg);
  });
  const joined = out.join("/");
  return joined.startsWith("/") ? joined : `/${joined}`;
}

// ---------- element-wise prefix (Ingress Prefix, HTTPRoute PathPrefix) ----------
export function elementPrefix(prefix: string, path: string): boolean {
  const p = prefix.split("/").filter((e) => e !== "");
  const r = path.split("/").filter((e) => e !== "");
  return p.length <= r.length && p.every((e, i) => e === r[i]);
}

export interface Backend {
  readonly service: string;
  readonly port: number | string;
}

// ---------- Ingress ----------
/** The backend a request for `path` reaches through the Ingress objects in the stack (any host), or undefined. */
export function ingressBackend(json: TfJson, rawPath: string, name?: string): Backend | undefined {
  const path = removeDotSegments(rawPath);
  const candidates: Array<{ len: number; exact: boolean; backend: Backend }> = [];
  for (const ing of all(json, "kubernetes_ingress_v1")) {
    if (name && ing.metadata.name !== name) continue;
    for (const rule of ing.spec.rule as Json[]) {
      for (const p of rule.http.path as Json[]) {
        const hit = p.path_type === "Exact" ? p.path === path : p.path_type === "Prefix" ? elementPrefix(p.path, path) : false;
        if (hit) candidates.push({ len: p.path.length, exact: p.path_type === "Exact", backend: { service: p.backend.service.name, port: p.backend.service.port.number } });
      }
    }
  }
  candidates.sort((a, b) => b.len - a.len || Number(b.exact) - Number(a.exact));
  return candidates[0]?.backend;
}

// ---------- HTTPRoute ----------
export function manifests(json: TfJson, kind: string): Json[] {
  return all(json, "kubernetes_manifest").map((m) => m.manifest as Json).filter((m) => m.kind === kind);
}

/** The backend a `method` request for `path` reaches through the HTTPRoutes in the stack (or the route named `name`), or undefined. */
export function httpRouteBackend(json: TfJson, rawPath: string, name?: string, method = "GET"): Backend | undefined {
  return httpRouteMatch(json, rawPath, name, method)?.backend;
}

/** The HTTPRoute (name and backend) a `method` request for `path` matches, by Gateway API precedence; undefined: none (404). */
export function httpRouteMatch(json: TfJson, rawPath: string, name?: string, method = "GET"): { route: string; backend: Backend } | undefined {
  const path = removeDotSegments(rawPath);
  const candidates: Array<{ rank: number; len: number; withMethod: boolean; route: string; backend: Backend }> = [];
  for (const route of manifests(json, "HTTPRoute")) {
    if (name && route.metadata.name !== name) continue;
    for (const rule of route.spec.rules as Json[]) {
      for (const m of (rule.matches ?? [{ path: { type: "PathPrefix", value: "/" } }]) as Json[]) {
        const { type = "PathPrefix", value = "/" } = m.path ?? {};
        const hit = type === "Exact" ? value === path : type === "PathPrefix" ? elementPrefix(value, path) : type === "RegularExpression" ? new RegExp(`^(?:${value})$`).test(path) : false;
        if (!hit || (m.method !== undefined && m.method !== method)) continue;
        const ref = (rule.backendRefs as Json[])[0];
        candidates.push({ rank: type === "Exact" ? 2 : type === "PathPrefix" ? 1 : 0, len: value.length, withMethod: m.method !== undefined, route: route.metadata.name, backend: { service: ref.name, port: ref.port } });
      }
    }
  }
  candidates.sort((a, b) => b.rank - a.rank || b.len - a.len || Number(b.withMethod) - Number(a.withMethod));
  return candidates[0] && { route: candidates[0].route, backend: candidates[0].backend };
}
