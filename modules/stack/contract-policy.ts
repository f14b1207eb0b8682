import { Lazy, TerraformOutput, type TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import type { Environment } from "../config/environment";
import { buildModel, type ExposureModel } from "../exposure/model";
import { CONTRACT_OUTPUT, fromSynthesized, type Acknowledgement } from "../exposure/terraform-json";
import { escapeTemplate } from "../exposure/terraform-template";
import { evaluate, failing, formatFinding } from "../policy/evaluate";
import { entryReview } from "../kubernetes/routes";
import type { Finding } from "../policy/types";
import { authSummary } from "../config/auth";
import { AUTH_RULE_ID } from "../policy/auth-rule";

/** The auth summary with every string escaped for Terraform templates (a reason may contain `${`). */
function escapedAuthSummary(env: Environment): Record<string, unknown> {
  return Object.fromEntries(Object.entries(authSummary(env.auth)).map(([k, v]) => [k, typeof v === "string" ? escapeTemplate(v) : v]));
}

/**
 * Synth-time enforcement: the stack declares its contract (and accepted
 * findings) in the `mimir_port_contract` output, and a validation runs every
 * policy rule over the stack's own Terraform JSON during `app.synth()`,
 * whoever added the resources. Error and critical findings fail synth.
 */
export class ContractPolicy {
  private readonly acknowledgements: Acknowledgement[];
  /** Findings of the last validation run (warnings included), for summaries. */
  findings: Finding[] = [];
  /** The exposure model the last validation run built (undefined before synth). */
  model?: ExposureModel;

  /** `resolveStack` returns the stack's Terraform JSON (default: `stack.toTerraform()`). */
  constructor(
    private readonly stack: TerraformStack,
    env: Environment,
    private readonly resolveStack: () => Record<string, unknown> = () => stack.toTerraform(),
  ) {
    this.acknowledgements = env.acknowledgements.map((a) => ({ ...a }));
    const { http, grpc, memberlist } = env.contract;
    // auth.mode none is a decision with a reason: it acknowledges MP018 (entry without authentication) for the whole environment.
    const authAcknowledgement: Acknowledgement[] = env.auth.mode === "none" && env.auth.reason ? [{ rule: AUTH_RULE_ID, resource: stack.node.path, reason: `auth.mode none: ${env.auth.reason}` }] : [];
    new TerraformOutput(stack, CONTRACT_OUTPUT, {
      description: "Mimir's port contract for this environment (read by `mimir-ports check` and `review`)",
      value: Lazy.anyValue({
        produce: () => ({
          ports: { http: http.port, grpc: grpc.port, memberlist: memberlist.port },
          neighbours: Object.fromEntries(env.contract.neighbours.map((n) => [n.name, n.port])),
          namespace: env.namespace,
          release: env.release,
          auth: escapedAuthSummary(env),
          acknowledgements: [...this.acknowledgements, ...authAcknowledgement].map((a) => ({ rule: a.rule, resource: escapeTemplate(a.resource), reason: escapeTemplate(a.reason) })),
          // The entry path (public route table, operator access) for the review.
          entry: escapeStrings(entryReview(env)),
        }),
      }),
    }).overrideLogicalId(CONTRACT_OUTPUT);
    stack.node.addValidation({ validate: () => this.validate() });
  }

  /** Accept a finding of `rule` on a construct (and everything below it) or a Terraform address. */
  acknowledge(rule: string, resource: IConstruct | string, reason: string): void {
    this.acknowledgements.push({ rule, resource: typeof resource === "string" ? resource : resource.node.path, reason });
  }

  private validate(): string[] {
    const doc = fromSynthesized(this.stack.node.id, `stacks/${this.stack.node.id}/cdk.tf.json`, this.resolveStack());
    this.model = buildModel(doc);
    this.findings = evaluate(this.model);
    return failing(this.findings, "error").map(formatFinding);
  }
}

/** Escape `${`/`%{` in every string of a JSON value (user text must not become a Terraform template). */
function escapeStrings(v: unknown): unknown {
  if (typeof v === "string") return escapeTemplate(v);
  if (Array.isArray(v)) return v.map(escapeStrings);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, escapeStrings(x)]));
  return v;
}
