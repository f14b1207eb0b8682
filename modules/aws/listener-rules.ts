import { Construct } from "constructs";
import { LbListenerRule, type LbListenerRuleAction } from "../platform/aws";
import { ALB_MAX_VALUES_PER_CONDITION, ALB_MAX_VALUES_PER_RULE, bySpecificity } from "../config/entry";
import { HTTP_METHODS, type HttpMethod, type PathMatch } from "../contract/public-api";

/**
 * ALB listener rules that let through only Mimir's public API (and, when
 * switched on, the operators' routes from their CIDRs only); the listener's
 * default action answers 404 to everything else.
 *
 * ALB facts (AWS, "Condition types for listener rules" / PathPatternConfig):
 * path patterns are case-sensitive globs (`*` any characters including `/`,
 * `?` exactly one), compared with the path only (not the query string), at
 * most 128 characters; a rule has at most one path-pattern condition, at most
 * 3 values per condition, 5 condition values and 5 wildcards per rule; a
 * listener has at most 100 rules by default. An `http-request-method` condition
 * compares the method exactly (case-sensitive, no wildcards; HEAD is not GET)
 * and its values count toward the rule's 5, so a rule of a GET+POST route holds
 * 3 paths, of a GET+POST+DELETE route 2.
 */
export const ALB_MAX_PATTERN_LENGTH = 128;
export const ALB_MAX_RULES_PER_LISTENER = 100;
const PATTERN_CHARS = /^[A-Za-z0-9_\-.$/~"'@:+&]*$/;

export interface PathRoute {
  readonly path: string;
  readonly match: PathMatch;
  /** The methods forwarded (an `http-request-method` condition); undefined: every method. */
  readonly methods?: readonly HttpMethod[];
}

/**
 * The ALB path patterns equivalent to one route: `exact` is the path itself;
 * `prefix` (element-wise, as in Ingress/Gateway API) is the path and `path/*`.
 */
export function albPathPatterns(route: PathRoute): string[] {
  const path = route.match === "prefix" && route.path.endsWith("/") ? route.path.slice(0, -1) : route.path;
  if (!path.startsWith("/") || !PATTERN_CHARS.test(path) || path.length + 2 > ALB_MAX_PATTERN_LENGTH) {
    throw new Error(`path ${JSON.stringify(route.path)} cannot be an ALB path pattern (absolute, at most ${ALB_MAX_PATTERN_LENGTH - 2} characters, no wildcards)`);
  }
  return route.match === "exact" ? [path] : [path, `${path}/*`];
}

/** Split into groups of at most `size`, keeping order. */
function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Path-pattern value lists, most specific first, each fitting one rule next to `otherValues` condition values. */
export function pathPatternGroups(routes: readonly PathRoute[], otherValues = 0): string[][] {
  const perRule = Math.min(ALB_MAX_VALUES_PER_CONDITION, ALB_MAX_VALUES_PER_RULE - otherValues);
  if (perRule < 1) throw new Error(`an ALB rule cannot hold a path next to ${otherValues} other condition values`);
  const patterns = [...routes].sort(bySpecificity).flatMap(albPathPatterns);
  return chunks([...new Set(patterns)], perRule);
}

/** One public forwarding rule's conditions: its path patterns and, for a method-limited route, its methods. */
export interface PublicRuleConditions {
  readonly paths: string[];
  readonly methods?: HttpMethod[];
}

/**
 * The public forwarding rules' conditions: each path with the union of its routes' methods (a listener serving
 * `rules` and `rules-read` forwards the path for GET, POST and DELETE once), the paths grouped by method set (most
 * specific first, groups in order of their first path), each group chunked to fit a rule next to its methods.
 */
export function publicRuleConditions(routes: readonly PathRoute[]): PublicRuleConditions[] {
  const byPath = new Map<string, { route: PathRoute; methods?: Set<HttpMethod> }>();
  for (const r of routes) {
    const had = byPath.get(`${r.match} ${r.path}`);
    if (!had) byPath.set(`${r.match} ${r.path}`, { route: r, methods: r.methods ? new Set(r.methods) : undefined });
    else if (had.methods && r.methods) r.methods.forEach((m) => had.methods!.add(m));
    else had.methods = undefined;
  }
  const bySet = new Map<string, { methods?: HttpMethod[]; routes: PathRoute[] }>();
  for (const { route, methods } of [...byPath.values()].sort((a, b) => bySpecificity(a.route, b.route))) {
    const list = methods ? HTTP_METHODS.filter((m) => methods.has(m)) : undefined;
    const key = list ? list.join(",") : "*";
    const set = bySet.get(key) ?? { methods: list, routes: [] };
    set.routes.push(route);
    bySet.set(key, set);
  }
  return [...bySet.values()].flatMap(({ methods, routes: rs }) => pathPatternGroups(rs, methods?.length ?? 0).map((paths) => ({ paths, ...(methods ? { methods } : {}) })));
}

export interface MimirListenerRulesProps {
  readonly listenerArn: string;
  readonly targetGroupArn: string;
  /** The public routes. */
  readonly routes: readonly PathRoute[];
  /** Operator routes, only from these source CIDRs (a separate rule). */
  readonly operatorAccess?: { readonly cidrs: readonly string[]; readonly routes: readonly PathRoute[] };
  /**
   * Actions every forwarding rule runs first, in order (e.g. `authenticate-oidc`
   * for the entry's authentication); the forward comes last.
   */
  readonly actionsBeforeForward?: readonly LbListenerRuleAction[];
}

/**
 * Dot segments (`/alertmanager/../config`) would match a prefix pattern at the
 * ALB, which does not normalise paths; these rules answer 404 before any
 * forward (2 patterns and at most 3 wildcards per rule).
 */
export const DOT_SEGMENT_PATTERNS: readonly string[][] = [
  ["*/../*", "*/.."],
  ["*/./*", "*/."],
];

/** Priorities: dot-segment guards 1-2, public rules from 10, operator rules from 500 (gaps leave room for your own rules). */
export const GUARD_RULE_PRIORITY = 1;
export const PUBLIC_RULE_PRIORITY = 10;
export const OPERATOR_RULE_PRIORITY = 500;

export class MimirListenerRules extends Construct {
  readonly guardRules: LbListenerRule[];
  readonly publicRules: LbListenerRule[];
  readonly operatorRules: LbListenerRule[];

  constructor(scope: Construct, id: string, props: MimirListenerRulesProps) {
    super(scope, id);
    const before = props.actionsBeforeForward ?? [];
    const forward: LbListenerRuleAction[] =
      before.length === 0
        ? [{ type: "forward", targetGroupArn: props.targetGroupArn }]
        : [...before.map((a, i) => ({ ...a, order: i + 1 })), { type: "forward", targetGroupArn: props.targetGroupArn, order: before.length + 1 }];
    this.guardRules = DOT_SEGMENT_PATTERNS.map(
      (values, i) =>
        new LbListenerRule(this, `dot-segments-${i}`, {
          listenerArn: props.listenerArn,
          priority: GUARD_RULE_PRIORITY + i,
          action: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "404 page not found", statusCode: "404" } }],
          condition: [{ pathPattern: { values: [...values] } }],
          tags: { Name: `mimir dot-segment guard ${i + 1}`, "mimir-route": "guard" },
        }),
    );
    this.publicRules = publicRuleConditions(props.routes).map(
      ({ paths, methods }, i) =>
        new LbListenerRule(this, `public-${i}`, {
          listenerArn: props.listenerArn,
          priority: PUBLIC_RULE_PRIORITY + i,
          action: forward,
          condition: [{ pathPattern: { values: paths } }, ...(methods ? [{ httpRequestMethod: { values: [...methods] } }] : [])],
          tags: { Name: `mimir public api ${i + 1}`, "mimir-route": "public" },
        }),
    );
    const op = props.operatorAccess;
    this.operatorRules = op
      ? pathPatternGroups(op.routes, op.cidrs.length).map(
          (values, i) =>
            new LbListenerRule(this, `operator-${i}`, {
              listenerArn: props.listenerArn,
              priority: OPERATOR_RULE_PRIORITY + i,
              action: forward,
              condition: [{ pathPattern: { values } }, { sourceIp: { values: [...op.cidrs] } }],
              tags: { Name: `mimir operator access ${i + 1}`, "mimir-route": "operator" },
            }),
        )
      : [];
    const total = this.guardRules.length + this.publicRules.length + this.operatorRules.length;
    if (total > ALB_MAX_RULES_PER_LISTENER) throw new Error(`${total} listener rules exceed the ALB default of ${ALB_MAX_RULES_PER_LISTENER} per listener`);
    if (this.publicRules.length >= OPERATOR_RULE_PRIORITY - PUBLIC_RULE_PRIORITY) throw new Error("too many public listener rules");
  }
}
