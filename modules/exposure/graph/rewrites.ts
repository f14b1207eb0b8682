/**
 * Rewrites move paths: the path that reaches Mimir is judged, not the one
 * matched. Each function returns the path conditions that leave a hop after
 * its rewrite, or `unknown` with the reason when the model cannot prove them.
 *
 * - Gateway API HTTPRoute `URLRewrite` / `RequestRedirect` path modifiers
 *   (gateway.networking.k8s.io/v1, apis/v1/httproute_types.go):
 *   `ReplaceFullPath` → that path; `ReplacePrefixMatch` → the matched
 *   `PathPrefix` replaced element-wise ("/foo/bar", prefix "/foo", replace
 *   "/xyz" → "/xyz/bar"); only valid with exactly one PathPrefix match.
 * - ALB listener rule `transform` (aws provider 6.x `aws_lb_listener_rule`):
 *   `url-rewrite` with `url_rewrite_config.rewrite { regex, replace }` (capture
 *   groups `$1`…), applied after the rule matched; a request the regex does not
 *   match goes to the target unchanged. `host-header-rewrite` leaves the path.
 */
import { first, list } from "../readers/json";
import type { PathCond } from "./graph";
import { isToken } from "./mimir-scope";

export type Rewritten = { readonly paths: PathCond[] | undefined; readonly label: string; readonly unknown?: undefined } | { readonly unknown: string };

/** Gateway API path modifier (`urlRewrite.path` or `requestRedirect.path`) applied to a rule's matches. */
export function gatewayPathModifier(matches: readonly PathCond[] | undefined, modifier: Record<string, any> | undefined, what: string): Rewritten {
  const type = String(modifier?.type ?? "");
  if (type === "ReplaceFullPath") {
    const to = modifier?.replaceFullPath;
    if (typeof to !== "string" || isToken(to)) return { unknown: `${what} ReplaceFullPath ${String(to)} is not known` };
    return { paths: [{ kind: "exact", value: to }], label: `${what} ReplaceFullPath ${to}` };
  }
  if (type === "ReplacePrefixMatch") {
    const to = modifier?.replacePrefixMatch;
    if (typeof to !== "string" || isToken(to)) return { unknown: `${what} ReplacePrefixMatch ${String(to)} is not known` };
    // Valid only with exactly one PathPrefix match; anything else is not accepted by the spec, so not provable here.
    if (!matches || matches.length !== 1 || matches[0].kind !== "prefix") return { unknown: `${what} ReplacePrefixMatch ${to} needs exactly one PathPrefix match (the rule has ${matches ? matches.map((m) => `${m.kind} ${m.value}`).join(", ") : "every path"})` };
    return { paths: [{ kind: "prefix", value: to === "" ? "/" : to }], label: `${what} ReplacePrefixMatch ${matches[0].value} → ${to}` };
  }
  if (modifier === undefined) return { paths: matches ? [...matches] : undefined, label: "" };
  return { unknown: `${what} path modifier type ${type || "(none)"} is not one the model evaluates` };
}

/** A rule's (or backendRef's) Gateway API filters: URLRewrite and RequestRedirect. */
export interface GatewayFilters {
  readonly rewrite?: Record<string, any>;
  readonly redirect?: Record<string, any>;
  /** A filter the model does not evaluate (ExtensionRef may rewrite anything). */
  readonly opaque?: string;
}

export function gatewayFilters(filters: unknown): GatewayFilters {
  let rewrite: Record<string, any> | undefined;
  let redirect: Record<string, any> | undefined;
  let opaque: string | undefined;
  if (isToken(filters)) return { opaque: `filters ${String(filters)} are not known until apply` };
  for (const f of list(filters)) {
    const type = String(f.type ?? "");
    if (type === "URLRewrite") rewrite = first(f.urlRewrite) ?? {};
    else if (type === "RequestRedirect") redirect = first(f.requestRedirect) ?? {};
    else if (type === "ExtensionRef") opaque = `ExtensionRef filter ${String(first(f.extensionRef)?.kind ?? "")} ${String(first(f.extensionRef)?.name ?? "")} may rewrite the path`.replace(/\s+/g, " ");
    else if (isToken(type) || type === "") opaque = `a filter of type ${type || "(none)"} is not known`;
  }
  return { rewrite, redirect, opaque };
}

const REGEX_META = /[\\^$.|?*+()[\]{}]/;

/** A regex fragment without metacharacters (escapes of `/`, `.`, `-` allowed) as its literal text; undefined otherwise. */
function literalOf(fragment: string): string | undefined {
  let out = "";
  for (let i = 0; i < fragment.length; i++) {
    const c = fragment[i];
    if (c === "\\") {
      const n = fragment[i + 1];
      if (n === undefined || /[A-Za-z0-9]/.test(n)) return undefined;
      out += n;
      i++;
    } else if (REGEX_META.test(c)) return undefined;
    else out += c;
  }
  return out;
}

/** `^L(.*)$`, `^L(.+)$`, `^L(.*)`, `^L$`, `^L`: the literal head and whether a capture takes the rest. */
function simpleRegex(regex: string): { head: string; rest: "" | "any" | "some"; anchoredEnd: boolean } | undefined {
  const m = /^\^(.*?)(\((?:\?:)?\.([*+])\))?(\$)?$/.exec(regex);
  if (!m) return undefined;
  const head = literalOf(m[1]);
  if (head === undefined) return undefined;
  return { head, rest: m[2] ? (m[3] === "*" ? "any" : "some") : "", anchoredEnd: m[4] === "$" };
}

/** A glob as a literal prefix plus an optional trailing `*` (the only globs a rewrite is evaluated on). */
function simpleGlob(glob: string): { prefix: string; star: boolean } | undefined {
  const star = glob.endsWith("*");
  const prefix = star ? glob.slice(0, -1) : glob;
  if (/[*?]/.test(prefix)) return undefined;
  return { prefix, star };
}

/** The replacement with `$1` substituted by `sub` (undefined when it names another group). */
function substitute(replace: string, sub: string): string | undefined {
  if (/\$(?:[02-9]|\{|<)/.test(replace)) return undefined;
  return replace.replace(/\$1/g, sub);
}

/** One ALB url-rewrite over the rule's path globs (undefined: every path). */
export function albUrlRewrite(paths: readonly PathCond[] | undefined, regex: unknown, replace: unknown): Rewritten {
  if (typeof regex !== "string" || typeof replace !== "string" || isToken(regex) || isToken(replace)) return { unknown: `url-rewrite ${String(regex)} → ${String(replace)} is not known until apply` };
  const what = `url-rewrite ${regex} → ${replace}`;
  let re: RegExp;
  try {
    re = new RegExp(regex);
  } catch {
    return { unknown: `${what}: the regex is not one the model can read` };
  }
  const out: PathCond[] = [];
  for (const cond of paths ?? [{ kind: "glob" as const, value: "*" }]) {
    const g = cond.kind === "glob" || cond.kind === "exact" ? simpleGlob(cond.value) : undefined;
    if (!g) return { unknown: `${what} on the condition ${cond.kind} ${cond.value} cannot be evaluated` };
    if (!g.star || cond.kind === "exact") {
      // A literal path: the regex either rewrites it or leaves it.
      out.push({ kind: "exact", value: re.test(g.prefix) ? g.prefix.replace(re, replace) : g.prefix });
      continue;
    }
    const s = simpleRegex(regex);
    if (!s) return { unknown: `${what} on ${cond.value}: only ^<literal>(.*)$ regexes are evaluated on a wildcard condition` };
    if (s.rest === "" && s.anchoredEnd) {
      // ^L$: only the literal L is rewritten.
      out.push(cond);
      if (s.head.startsWith(g.prefix)) out.push({ kind: "exact", value: replace.replace(/\$\d/g, "") });
      continue;
    }
    // `^L(.*)$` puts the rest in $1; `^L` (no capture, no end anchor) replaces only the head and keeps the rest.
    const result = (rest: string) => (s.rest === "" ? (/\$/.test(replace) ? undefined : `${replace}${rest}`) : substitute(replace, rest));
    const cond2 = (to: string): PathCond => (/\*/.test(to) ? { kind: "glob", value: to } : { kind: "exact", value: to });
    if (g.prefix.startsWith(s.head)) {
      // Every path the condition matches starts with the head: all of them are rewritten.
      const to = result(`${g.prefix.slice(s.head.length)}*`);
      if (to === undefined) return { unknown: `${what}: the replacement names a group the model does not evaluate` };
      out.push(cond2(to));
      if (s.rest === "some" && g.prefix === s.head) out.push({ kind: "exact", value: g.prefix });
    } else if (s.head.startsWith(g.prefix)) {
      // Some matched paths start with the head (rewritten), the others pass unchanged.
      const to = result("*");
      if (to === undefined) return { unknown: `${what}: the replacement names a group the model does not evaluate` };
      out.push(cond, cond2(to));
    } else out.push(cond); // the regex matches none of these paths
  }
  return { paths: out, label: what };
}

/** An ALB listener rule's `transform` blocks applied to its path conditions. */
export function albTransforms(paths: PathCond[] | undefined, transforms: unknown): Rewritten {
  if (isToken(transforms)) return { unknown: `transform ${String(transforms)} is not known until apply` };
  let cur: PathCond[] | undefined = paths;
  const labels: string[] = [];
  for (const t of list(transforms)) {
    const type = String(t.type ?? "");
    if (type === "host-header-rewrite") {
      // The path is unchanged; hosts are not matched further on (every route behind is already in the graph).
      const rw = first(first(t.host_header_rewrite_config)?.rewrite);
      labels.push(`host-header-rewrite ${String(rw?.regex ?? "?")} → ${String(rw?.replace ?? "?")}`);
      continue;
    }
    if (type !== "url-rewrite") return { unknown: `transform type ${type || "(none)"} is not one the model evaluates` };
    const rewrites = list(first(t.url_rewrite_config)?.rewrite);
    if (rewrites.length === 0) return { unknown: "url-rewrite without a rewrite block" };
    for (const rw of rewrites) {
      const next = albUrlRewrite(cur, rw.regex, rw.replace);
      if (next.unknown !== undefined) return next;
      cur = next.paths;
      labels.push(next.label);
    }
  }
  return { paths: cur, label: labels.join(", ") };
}
