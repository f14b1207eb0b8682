/**
 * MP018: an entry that forwards to Mimir without authenticating the client.
 * Mimir trusts X-Scope-OrgID; whoever reaches an unauthenticated entry can
 * write or read any tenant. Reads only Terraform JSON resources:
 *  - load balancer listeners: `mutual_authentication { mode = "verify" }`, or
 *    an authenticate-oidc / authenticate-cognito / jwt-validation action;
 *  - listener rules: each forwarding rule needs its own authenticate action
 *    unless the listener verifies client certificates (ALB rules do not
 *    inherit the default action). An unauthenticated listener is one finding
 *    on the listener, naming its default action and/or the priorities of its
 *    forwarding rules; when the listener or its other rules authenticate, each
 *    rule without the action is a finding of its own;
 *  - Envoy Gateway `SecurityPolicy` manifests (basicAuth, jwt, oidc,
 *    apiKeyAuth, extAuth; not an optional, fail-open or refused jwt, not a
 *    fail-open extAuth) attached by targetRefs or targetSelectors: they
 *    authenticate the routes they cover at the Gateway API entry; every other
 *    route, and an Ingress beside the Gateway, is judged by its ways in
 *    through the load balancer (./route-way-findings.ts).
 * `passthrough` mutual TLS authenticates nobody at the load balancer.
 * A listener or rule whose target groups are provably another application's
 * (registered in the stack, no way from them to Mimir's pods) is not Mimir's entry.
 */
import { securityPolicyAuthMethods } from "../exposure/graph/envoy-policies";
import { first, list, refOf, strings } from "../exposure/readers/json";
import type { ExposureModel } from "../exposure/model";
import type { TfResource } from "../exposure/terraform-json";
import { isPlainObject } from "../shared/objects";
import type { RawFinding, Rule } from "./types";
import { dataPlaneBypassFindings, privateLinkFindings } from "./data-plane-auth";
import { authenticates, isAuthAction, listenerAuthentication, LISTENER_TYPES, mutualMode, priorities, RULE_TYPES } from "./lb-auth";
import { gatewayEntryFindings } from "./route-way-findings";
import { classScopeFindings } from "./class-scope";

export { listenerAuthentication } from "./lb-auth";

export const AUTH_RULE_ID = "MP018";

const SERVING_ACTIONS = new Set(["forward"]);

/** Envoy Gateway SecurityPolicies that authenticate and are attached to something. */
export function authenticatingPolicies(model: Pick<ExposureModel, "resources">): Array<{ resource: TfResource; name: string; methods: string[]; tenantHeader?: string }> {
  return model.resources.flatMap((r) => {
    if (r.type !== "kubernetes_manifest") return [];
    const m = first(r.values.manifest);
    if (!m || m.kind !== "SecurityPolicy" || typeof m.apiVersion !== "string" || !m.apiVersion.startsWith("gateway.envoyproxy.io/")) return [];
    const spec = isPlainObject(m.spec) ? m.spec : {};
    // Only methods that keep clients out: an optional or fail-open JWT, or extAuth that fails open, does not count.
    const methods = securityPolicyAuthMethods(spec);
    const attached = list(spec.targetRefs).length > 0 || list(spec.targetSelectors).length > 0 || isPlainObject(spec.targetRef);
    if (methods.length === 0 || !attached) return [];
    const basic = isPlainObject(spec.basicAuth) ? spec.basicAuth : undefined;
    const tenantHeader = typeof basic?.forwardUsernameHeader === "string" ? basic.forwardUsernameHeader : undefined;
    return [{ resource: r, name: String(first(m.metadata)?.name ?? r.name), methods, ...(tenantHeader ? { tenantHeader } : {}) }];
  });
}

/** One line per authentication mechanism the stack's entry uses; empty when there is none (for the review). */
export function describeEntryAuth(model: Pick<ExposureModel, "resources">): string[] {
  const out: string[] = [];
  const rules = model.resources.filter((x) => RULE_TYPES.includes(x.type) && forwards(list(x.values.action)));
  for (const r of model.resources.filter((x) => LISTENER_TYPES.includes(x.type))) {
    const how = listenerAuthentication(r);
    if (how) {
      out.push(`${how} on ${r.address}`);
      continue;
    }
    // authenticate-oidc on each forwarding rule (the listener's default only answers 404): only when every one has it.
    const mine = rules.filter((x) => refOf(x.values.listener_arn) === r.address);
    if (mine.length > 0 && !forwards(list(r.values.default_action)) && mine.every((x) => authenticates(list(x.values.action)))) {
      const types = [...new Set(mine.map(authTypeOf))].join(", ");
      out.push(`${types} on ${r.address} (all ${mine.length} forwarding listener rules)`);
    }
  }
  for (const p of authenticatingPolicies(model)) {
    out.push(`Envoy Gateway SecurityPolicy ${p.name}: ${p.methods.join(", ")}${p.tenantHeader ? ` (tenant header ${p.tenantHeader} from the user name)` : ""}`);
  }
  return out;
}

/** Base vs head authentication of one environment, when it changed (for the review's highlight). */
export function authChange(before: readonly string[], after: readonly string[]): { readonly before: readonly string[]; readonly after: readonly string[]; readonly removed: boolean } | undefined {
  if (before.length === after.length && before.every((b, i) => b === after[i])) return undefined;
  return { before, after, removed: before.length > 0 && after.length === 0 };
}

/** The review's one-line summary of an environment's authentication. */
export function authLine(auth: readonly string[]): string {
  return auth.length > 0 ? auth.join("; ") : "none: any client that reaches the entry can choose its tenant (X-Scope-OrgID)";
}

const forwards = (actions: Array<Record<string, any>>) => actions.some((a) => SERVING_ACTIONS.has(String(a.type)));

const TARGET_GROUP_TYPES = ["aws_lb_target_group", "aws_alb_target_group"];
const ATTACHMENT_TYPES = ["aws_lb_target_group_attachment", "aws_alb_target_group_attachment"];

/**
 * A target group that is provably another application's: in this stack, registered here (attachments or
 * TargetGroupBindings, none in a namespace that could be Mimir's, none unknown to the model), and no way in the
 * reachability graph leads from it to Mimir's pods. Anything less counts as Mimir's (unknown is never safe).
 */
function otherApplicationJudge(m: ExposureModel): (ref: string) => boolean {
  const eg = m.graph;
  const targetGroups = new Set(m.resources.filter((r) => TARGET_GROUP_TYPES.includes(r.type)).map((r) => r.address));
  const registrations = new Map<string, TfResource[]>();
  const register = (tg: string, r: TfResource) => registrations.set(tg, [...(registrations.get(tg) ?? []), r]);
  for (const r of m.resources) if (ATTACHMENT_TYPES.includes(r.type)) register(eg.ref(r.values.target_group_arn), r);
  const inMimirNamespace = new Set<string>();
  for (const b of eg.k8s.bindings) {
    const tg = eg.ref(b.targetGroup);
    register(tg, b.resource);
    if (eg.scope.namespaceMatches(b.namespace)) inMimirNamespace.add(tg);
  }
  const unknown = new Set(eg.unknowns.map((u) => u.resource));
  const reachesMimir = (tg: string) => {
    const seen = new Set<string>();
    const todo = [`tg:${tg}`];
    while (todo.length > 0) {
      const id = todo.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      if (eg.graph.nodes.get(id)?.mimir) return true;
      for (const e of eg.graph.edgesFrom(id)) todo.push(e.to);
    }
    return false;
  };
  const memo = new Map<string, boolean>();
  return (tg) => {
    let other = memo.get(tg);
    if (other === undefined) {
      const regs = registrations.get(tg) ?? [];
      other = targetGroups.has(tg) && regs.length > 0 && !inMimirNamespace.has(tg) && !regs.some((r) => unknown.has(r)) && !reachesMimir(tg);
      memo.set(tg, other);
    }
    return other;
  };
}

/** Forward actions that may reach Mimir: any target group not provably another application's (or none named). */
function forwardsToMimir(m: ExposureModel, otherApplication: (ref: string) => boolean, actions: Array<Record<string, any>>): boolean {
  return actions.some((a) => {
    if (!SERVING_ACTIONS.has(String(a.type))) return false;
    const tgs = [...strings(a.target_group_arn), ...list(first(a.forward)?.target_group).flatMap((t) => strings(t.arn))].map(m.graph.ref);
    return tgs.length === 0 || tgs.some((ref) => !otherApplication(ref));
  });
}
const authTypeOf = (r: TfResource | undefined) => (r ? String(list(r.values.action).find(isAuthAction)?.type) : undefined);
const ruleLabel = (r: TfResource) => (r.values.priority !== undefined ? ` (priority ${r.values.priority})` : "");

const FIX = 'set auth.mode to "mtls" (client certificates on the listener), "oidc" (authenticate-oidc), "basic" or "jwt" (Envoy Gateway SecurityPolicy), or accept it with auth: { mode: "none", reason }';

export const mp018: Rule = {
  id: AUTH_RULE_ID,
  title: "Entry without authentication",
  severity: "error",
  help: "Mimir trusts the X-Scope-OrgID header and expects a proxy in front of it to authenticate clients. An entry that forwards without mutual TLS, an authenticate action or an authenticating gateway policy lets anyone who reaches it write or read any tenant.",
  related: "none of checkov/trivy/KICS checks load balancer client authentication",
  check(m) {
    const out: RawFinding[] = [];
    const proxies = authenticatingPolicies(m);
    const internetFacing = (lbRef: string | undefined) => m.loadBalancers.some((lb) => lb.ref === lbRef && !lb.internal);
    const listeners = m.resources.filter((r) => LISTENER_TYPES.includes(r.type));

    if (proxies.length === 0) {
      // Another application's listener or rule (its target groups provably reach none of Mimir's pods) is not Mimir's entry.
      const otherApplication = otherApplicationJudge(m);
      const rules = m.resources.filter((x) => RULE_TYPES.includes(x.type) && forwardsToMimir(m, otherApplication, list(x.values.action)));
      const rulesOf = new Map<string, TfResource[]>();
      for (const r of rules) {
        const key = m.graph.ref(r.values.listener_arn);
        rulesOf.set(key, [...(rulesOf.get(key) ?? []), r]);
      }
      for (const r of listeners) {
        const mine = rulesOf.get(r.address) ?? [];
        rulesOf.delete(r.address);
        if (mutualMode(r) === "verify") continue;
        const bare = mine.filter((x) => !authenticates(list(x.values.action)));
        const defaultForwards = forwardsToMimir(m, otherApplication, list(r.values.default_action));
        const listenerAuth = listenerAuthentication(r);
        // The listener's own authentication, or the one its other forwarding rules run first.
        const expected = listenerAuth ?? authTypeOf(mine.find((x) => authenticates(list(x.values.action))));
        const severity = internetFacing(r.values.load_balancer_arn ? m.graph.ref(r.values.load_balancer_arn) : undefined) ? "critical" : "error";
        if (expected) {
          // The entry authenticates; a rule without the action is a hole in it (ALB rules do not inherit the default action).
          for (const x of bare) {
            out.push({
              resource: x,
              severity,
              message: `listener rule${ruleLabel(x)} forwards without the ${expected} action that ${listenerAuth ? "its listener's default action" : "the listener's other rules"} run${listenerAuth ? "s" : ""} first (a rule does not inherit it)`,
              fix: `put the ${expected} action first in the rule's actions (withAuthActions in modules/aws/auth)`,
            });
          }
          continue;
        }
        if (!defaultForwards && bare.length === 0) continue;
        const mode = mutualMode(r);
        const why = mode === "passthrough" ? " (mutual TLS passthrough verifies nothing at the load balancer)" : "";
        const via = [defaultForwards ? "its default action" : "", bare.length > 0 ? `${bare.length} listener rule${bare.length === 1 ? "" : "s"}${priorities(bare)}` : ""].filter(Boolean).join(" and ");
        out.push({
          resource: r,
          severity,
          message: `${String(r.values.protocol ?? "").toUpperCase() || "listener"} listener on port ${r.values.port ?? "?"} forwards to Mimir without authenticating clients${why}, through ${via}: anyone who reaches it can write or read any tenant by setting X-Scope-OrgID`,
          fix: FIX,
        });
      }
      // Rules whose listener is not in this stack: its mutual TLS cannot be seen.
      for (const x of [...rulesOf.values()].flat().filter((y) => !authenticates(list(y.values.action)))) {
        out.push({ resource: x, message: `listener rule${ruleLabel(x)} forwards to Mimir without authenticating clients (its listener is not in this stack, so its mutual TLS cannot be seen)`, fix: FIX });
      }
    } else {
      // The Gateway authenticates some routes; every other route (and an Ingress beside it) is judged by its ways in.
      out.push(...gatewayEntryFindings(m, proxies.map((p) => p.name)));
      // Authenticated is not authorized: a class's credential on a route serving another class's groups.
      out.push(...classScopeFindings(m));
    }
    // Ways that skip the load balancer's authentication (only when it authenticates: otherwise the listener is the finding).
    const lbAuthenticates = listeners.some((l) => listenerAuthentication(l) !== undefined) || m.resources.some((x) => RULE_TYPES.includes(x.type) && authenticates(list(x.values.action)));
    if (lbAuthenticates) out.push(...dataPlaneBypassFindings(m));
    // A VPC endpoint service in front of the load balancer: a way in whatever the load balancer authenticates.
    out.push(...privateLinkFindings(m));
    return out;
  },
};
