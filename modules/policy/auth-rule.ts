/**
 * MP018: an entry that forwards to Mimir without authenticating the client.
 * Mimir trusts X-Scope-OrgID; whoever reaches an unauthenticated entry can
 * write or read any tenant. Reads only Terraform JSON resources:
 *  - load balancer listeners: `mutual_authentication { mode = "verify" }`, or
 *    an authenticate-oidc / authenticate-cognito / jwt-validation action;
 *  - listener rules: each forwarding rule needs its own authenticate action
 *    unless the listener verifies client certificates (ALB rules do not
 *    inherit the default action);
 *  - Envoy Gateway `SecurityPolicy` manifests (basicAuth, jwt, oidc,
 *    apiKeyAuth, extAuth) attached by targetRefs or targetSelectors: they
 *    authenticate at the Gateway API entry, so a load balancer in front of it
 *    needs nothing more, but an Ingress in the same stack bypasses them.
 * `passthrough` mutual TLS authenticates nobody at the load balancer.
 */
import { first, list, refOf } from "../exposure/readers/json";
import type { ExposureModel } from "../exposure/model";
import type { TfResource } from "../exposure/terraform-json";
import { isPlainObject } from "../shared/objects";
import type { RawFinding, Rule } from "./types";

export const AUTH_RULE_ID = "MP018";

const AUTH_ACTIONS = new Set(["authenticate-oidc", "authenticate-cognito", "jwt-validation"]);
const SERVING_ACTIONS = new Set(["forward"]);
const LISTENER_TYPES = ["aws_lb_listener", "aws_alb_listener"];
const RULE_TYPES = ["aws_lb_listener_rule", "aws_alb_listener_rule"];
const PROXY_AUTH_KEYS = ["basicAuth", "jwt", "oidc", "apiKeyAuth", "extAuth"] as const;

/** How one listener authenticates clients by itself (undefined: it does not). */
export function listenerAuthentication(r: TfResource): string | undefined {
  const mutual = first(r.values.mutual_authentication);
  if (mutual && mutual.mode === "verify") return "mutual TLS (verify)";
  const auth = list(r.values.default_action).find((a) => AUTH_ACTIONS.has(String(a.type)));
  return auth ? String(auth.type) : undefined;
}

function mutualMode(r: TfResource): string | undefined {
  const mode = first(r.values.mutual_authentication)?.mode;
  return mode === undefined ? undefined : String(mode);
}

/** Envoy Gateway SecurityPolicies that authenticate and are attached to something. */
export function authenticatingPolicies(model: Pick<ExposureModel, "resources">): Array<{ resource: TfResource; name: string; methods: string[]; tenantHeader?: string }> {
  return model.resources.flatMap((r) => {
    if (r.type !== "kubernetes_manifest") return [];
    const m = first(r.values.manifest);
    if (!m || m.kind !== "SecurityPolicy" || typeof m.apiVersion !== "string" || !m.apiVersion.startsWith("gateway.envoyproxy.io/")) return [];
    const spec = isPlainObject(m.spec) ? m.spec : {};
    const methods = PROXY_AUTH_KEYS.filter((k) => isPlainObject(spec[k]));
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
  for (const r of model.resources.filter((x) => LISTENER_TYPES.includes(x.type))) {
    const how = listenerAuthentication(r);
    if (how) out.push(`${how} on ${r.address}`);
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

const FIX = 'set auth.mode to "mtls" (client certificates on the listener), "oidc" (authenticate-oidc) or "basic" (Envoy Gateway SecurityPolicy), or accept it with auth: { mode: "none", reason }';

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
      for (const r of listeners) {
        const serving = list(r.values.default_action).some((a) => SERVING_ACTIONS.has(String(a.type)));
        if (!serving || listenerAuthentication(r)) continue;
        const lb = r.values.load_balancer_arn ? refOf(r.values.load_balancer_arn) : undefined;
        const mode = mutualMode(r);
        const why = mode === "passthrough" ? " (mutual TLS passthrough verifies nothing at the load balancer)" : "";
        out.push({
          resource: r,
          severity: internetFacing(lb) ? "critical" : "error",
          message: `${String(r.values.protocol ?? "").toUpperCase() || "listener"} listener on port ${r.values.port ?? "?"} forwards to Mimir without authenticating clients${why}: anyone who reaches it can write or read any tenant by setting X-Scope-OrgID`,
          fix: FIX,
        });
      }
      const byAddress = new Map(listeners.map((l) => [l.address, l]));
      for (const r of m.resources.filter((x) => RULE_TYPES.includes(x.type))) {
        const actions = list(r.values.action);
        if (!actions.some((a) => SERVING_ACTIONS.has(String(a.type)))) continue;
        if (actions.some((a) => AUTH_ACTIONS.has(String(a.type)))) continue;
        const listener = byAddress.get(refOf(r.values.listener_arn));
        if (listener && mutualMode(listener) === "verify") continue;
        const lb = listener?.values.load_balancer_arn ? refOf(listener.values.load_balancer_arn) : undefined;
        const listenerAuth = listener ? listenerAuthentication(listener) : undefined;
        out.push({
          resource: r,
          severity: internetFacing(lb) ? "critical" : "error",
          message: listenerAuth
            ? `listener rule forwards without the ${listenerAuth} action of its listener's default action (a rule does not inherit it)`
            : `listener rule forwards to Mimir without authenticating clients${listener ? "" : " (its listener is not in this stack, so its mutual TLS cannot be seen)"}`,
          fix: listenerAuth ? `put the ${listenerAuth} action first in the rule's actions (withAuthActions in modules/aws/auth)` : FIX,
        });
      }
    } else {
      // The gateway authenticates; an Ingress serves beside it and is not covered by its policy.
      const viaListener = listeners.some((l) => mutualMode(l) === "verify");
      if (!viaListener) {
        for (const ing of m.ingresses) {
          out.push({
            resource: ing.resource,
            message: `Ingress ${ing.name} serves Mimir beside the Gateway, and the SecurityPolicy ${proxies.map((p) => p.name).join(", ")} does not apply to it`,
            fix: "remove the Ingress (the Gateway API entry replaces it) or authenticate on the load balancer with auth.mode mtls/oidc",
          });
        }
      }
    }
    return out;
  },
};
