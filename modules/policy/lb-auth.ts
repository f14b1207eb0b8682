/**
 * How a load balancer authenticates clients, read from Terraform JSON (aws provider `aws_lb_listener` /
 * `aws_lb_listener_rule`): a listener's `mutual_authentication { mode = "verify" }`, or an authenticate-oidc /
 * authenticate-cognito / jwt-validation action. ALB rules do not inherit the default action: each forwarding rule
 * needs its own.
 */
import { first, list } from "../exposure/readers/json";
import type { TfResource } from "../exposure/terraform-json";

const AUTH_ACTIONS = new Set(["authenticate-oidc", "authenticate-cognito", "jwt-validation"]);
export const LISTENER_TYPES = ["aws_lb_listener", "aws_alb_listener"];
export const RULE_TYPES = ["aws_lb_listener_rule", "aws_alb_listener_rule"];

/**
 * An authenticate action that keeps unauthenticated clients out: `on_unauthenticated_request` other than
 * `authenticate` (the default) or `deny` (`allow`) lets them through, so it authenticates nobody.
 */
export function isAuthAction(a: Record<string, any>): boolean {
  if (!AUTH_ACTIONS.has(String(a.type))) return false;
  const settings = first(a.authenticate_oidc) ?? first(a.authenticate_cognito);
  const on = settings?.on_unauthenticated_request;
  return on === undefined || on === "authenticate" || on === "deny";
}

export const authenticates = (actions: Array<Record<string, any>>) => actions.some(isAuthAction);

export function mutualMode(r: TfResource): string | undefined {
  const mode = first(r.values.mutual_authentication)?.mode;
  return mode === undefined ? undefined : String(mode);
}

/** How one listener authenticates clients by itself (undefined: it does not). */
export function listenerAuthentication(r: TfResource): string | undefined {
  if (mutualMode(r) === "verify") return "mutual TLS (verify)";
  const auth = list(r.values.default_action).find(isAuthAction);
  return auth ? String(auth.type) : undefined;
}

/** ` (priorities 10-17, 500)`: the rules' priorities, consecutive ones as ranges. */
export function priorities(rules: readonly TfResource[]): string {
  const ps = [...new Set(rules.map((r) => Number(r.values.priority)).filter(Number.isInteger))].sort((a, b) => a - b);
  if (ps.length === 0) return "";
  const parts: string[] = [];
  for (let i = 0; i < ps.length; ) {
    let j = i;
    while (j + 1 < ps.length && ps[j + 1] === ps[j] + 1) j++;
    parts.push(j > i ? `${ps[i]}-${ps[j]}` : String(ps[i]));
    i = j + 1;
  }
  return ` (priorit${ps.length === 1 ? "y" : "ies"} ${parts.join(", ")})`;
}
