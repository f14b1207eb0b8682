import { inReportMode } from "./report-mode";
import { Lazy, TerraformOutput, TerraformStack } from "../platform/cdktf";
import type { IConstruct } from "constructs";
import { MimirSecurityGroups } from "../aws/security-groups";
import { MimirMonolithic } from "../kubernetes/monolithic/workload";
import { setContractHook, type ContractUse } from "../contract/contract-hook";
import { buildModel, type ExposureModel } from "../exposure/model";
import { CONTRACT_OUTPUT, fromSynthesized, type Acknowledgement } from "../exposure/terraform-json";
import { escapeTemplate } from "../exposure/terraform-template";
import { evaluate, failing, formatRefusal } from "../policy/evaluate";
import type { Environment } from "../config/environment";
import { entryReview } from "../kubernetes/routes";
import { routePolicies } from "../kubernetes/auth/security-policy";
import { clientListeners } from "../config/clients";
import type { Finding, Fingerprint } from "../policy/types";
import { authSummary } from "../config/auth";
import { AUTH_RULE_ID } from "../policy/auth-rule";
import { authNoneAccepts, type AuthNoneScope } from "../policy/auth-none";
import { evaluateReferencing } from "../policy/cross-stack";
import { contractRefusal, guardRefusals } from "./refusal-guard";

/** The auth summary with every string escaped for Terraform templates (a reason may contain `${`). */
function escapedAuthSummary(env: Environment): Record<string, unknown> {
  const escaped = (auth: Environment["auth"]) => Object.fromEntries(Object.entries(authSummary(auth)).map(([k, v]) => [k, typeof v === "string" ? escapeTemplate(v) : v]));
  // Several client classes: each with its authentication, the API groups it reaches, the load balancer listener it
  // comes through and, when it authenticates at the Gateway, its SecurityPolicy and the HTTPRoutes it covers (issue 27).
  const listeners = clientListeners(env.clients);
  const ports = [env.contract.public.https, env.contract.public.secondClassHttps];
  const policies = env.entry.kind === "gateway-api" && env.entry.dataPlane?.implementation === "envoy-gateway" ? routePolicies(env) : [];
  const classes = env.clients.map((c) => {
    const policy = policies.find((p) => p.clientClass?.name === c.name);
    return {
      name: c.name,
      groups: [...c.groups],
      ...escaped(c.auth),
      listener: ports[listeners.findIndex((l) => l.classes.includes(c))],
      ...(policy ? { securityPolicy: policy.name, routes: [...policy.routes] } : {}),
    };
  });
  return { ...escaped(env.auth), ...(env.clients.length > 1 ? { classes } : {}) };
}

const POLICIES = new WeakMap<TerraformStack, ContractPolicy>();

/**
 * Synth-time enforcement: the stack declares its contract (and accepted
 * findings) in the `mimir_port_contract` output, and a validation runs every
 * policy rule over the stack's own Terraform JSON during `app.synth()`,
 * whoever added the resources. Error and critical findings fail synth.
 *
 * Any TerraformStack that holds a Mimir construct gets one (the constructs
 * call `recordContractUse`); MimirStack creates its own first. The output
 * also records whether the validation ran (`skipValidation` is not silent).
 */
export class ContractPolicy {
  private readonly acknowledgements: Acknowledgement[];
  /** Findings of the last validation run (warnings included), for summaries. */
  findings: Finding[] = [];
  /** The exposure model the last validation run built (undefined before synth). */
  model?: ExposureModel;
  private validated = false;
  private readonly conflicts: string[] = [];

  /** The policy of a stack, if it has one. */
  static of(stack: TerraformStack): ContractPolicy | undefined {
    return POLICIES.get(stack);
  }

  /** The policy of the stack `scope` is in, created on first use. */
  static ensure(scope: IConstruct, use: ContractUse): ContractPolicy {
    const stack = TerraformStack.of(scope);
    const had = POLICIES.get(stack);
    if (had) {
      had.merge(scope, use);
      return had;
    }
    return new ContractPolicy(stack, use);
  }

  /** `resolveStack` returns the stack's Terraform JSON (default: `stack.toTerraform()`). */
  constructor(
    private readonly stack: TerraformStack,
    private readonly use: ContractUse,
    private readonly resolveStack: () => Record<string, unknown> = () => stack.toTerraform(),
  ) {
    POLICIES.set(stack, this);
    // The auth-none kind is the environment's own decision below, never a user's acknowledgement.
    this.acknowledgements = (use.acknowledgements ?? []).map((a) => userAcknowledgement(a));
    const { http, grpc, memberlist } = use.contract;
    // auth.mode none is a decision with a reason: it acknowledges MP018 (entry without authentication) for the whole environment.
    // It covers MP018 on internal or allowed sources only: a critical MP018 from the internet needs an explicit acknowledgement with accepts.
    // It is fingerprinted (scheme, sources, listener): internal → internet-facing, a wider source or another listener voids it.
    const authAcknowledgement: Acknowledgement[] = isEnvironment(use) && use.auth.mode === "none" && use.auth.reason ? [{ rule: AUTH_RULE_ID, resource: stack.node.path, reason: `auth.mode none: ${use.auth.reason}`, kind: "auth-none", accepts: authNoneAccepts(authNoneScope(use)) }] : [];
    new TerraformOutput(stack, CONTRACT_OUTPUT, {
      description: "Mimir's port contract for this environment (read by `mimir-ports check` and `review`)",
      value: Lazy.anyValue({
        produce: () => ({
          ports: { http: http.port, grpc: grpc.port, memberlist: memberlist.port },
          // Port moves in progress (absent when none): the review reads which phase a PR is.
          ...(use.contract.transitions.length > 0 ? { transitions: Object.fromEntries(use.contract.transitions.map((t) => [t.name, { from: t.from, to: t.to, phase: t.phase }])) } : {}),
          neighbours: Object.fromEntries(use.contract.neighbours.map((n) => [n.name, n.port])),
          ...(use.namespace !== undefined ? { namespace: use.namespace } : {}),
          ...(use.release !== undefined ? { release: use.release } : {}),
          ...(isEnvironment(use) ? { auth: escapedAuthSummary(use) } : {}),
          // Monitoring by whole namespace, allowed with a warning outside production-like environments: MP019 reports it as a warning.
          ...(isEnvironment(use) && use.monitoring && use.monitoring.podLabels === undefined && !use.productionLike ? { monitoring: { namespace: use.monitoring.namespace, wholeNamespace: true } } : {}),
          acknowledgements: [...this.acknowledgements, ...authAcknowledgement].map((a) => ({ rule: a.rule, resource: escapeTemplate(a.resource), reason: escapeTemplate(a.reason), ...(a.accepts !== undefined ? { accepts: escapeStrings(a.accepts) } : {}), ...(a.kind ? { kind: a.kind } : {}) })),
          securityGroups: this.memberGroups(),
          // Mimir besides the chart release's pods: the stack's own workloads (any other workload with Mimir's labels impersonates them).
          ...(this.ownWorkloads().length > 0 ? { workloads: this.ownWorkloads() } : {}),
          ...this.validationState(),
          // The entry path (public route table, operator access) for the review, when an environment defines it.
          ...(isEnvironment(use) ? { entry: escapeStrings(entryReview(use)) } : {}),
        }),
      }),
    }).overrideLogicalId(CONTRACT_OUTPUT);
    // Refused with our own message (no hint to skip validation); report mode collects the refusals instead.
    stack.node.addValidation({
      validate: () => {
        const refusals = this.validate();
        if (refusals.length > 0 && !this.reportMode()) throw contractRefusal(refusals.map((r) => `[${stack.node.path}] ${r}`));
        return refusals;
      },
    });
    // skipValidation does not skip it (refusal-guard.ts).
    guardRefusals(stack, (s) => [POLICIES.get(s), ...s.dependencies.map((d) => POLICIES.get(d as TerraformStack))].filter((p): p is ContractPolicy => p !== undefined));
  }

  private reportMode(): boolean {
    return inReportMode(this.stack.node.root);
  }

  private skippedRefusals?: string[];

  /** The refusals of this stack and the stacks that reference it, computed once per synth (refusal-guard.ts). */
  refusalsOnce(): string[] {
    return (this.skippedRefusals ??= this.validate().map((r) => `[${this.stack.node.path}] ${r}`));
  }

  /**
   * Accept a finding of `rule` on a construct (and everything below it) or a Terraform address, as far as
   * `accepts` (the fingerprint the refusal prints) goes; without it the acknowledgement accepts nothing.
   */
  acknowledge(rule: string, resource: IConstruct | string, reason: string, accepts?: Fingerprint): void {
    this.acknowledgements.push({ rule, resource: typeof resource === "string" ? resource : resource.node.path, reason, ...(accepts ? { accepts } : {}) });
  }

  /** A second construct in the same stack: same ports, or a conflict reported at synth. */
  private merge(scope: IConstruct, use: ContractUse): void {
    const a = this.use.contract;
    const b = use.contract;
    if (a.http.port !== b.http.port || a.grpc.port !== b.grpc.port || a.memberlist.port !== b.memberlist.port) {
      this.conflicts.push(`${scope.node.path}: uses a different port contract (http ${b.http.port}, grpc ${b.grpc.port}, memberlist ${b.memberlist.port}) than the stack's (http ${a.http.port}, grpc ${a.grpc.port}, memberlist ${a.memberlist.port}); one stack, one contract`);
    }
    for (const ack of use.acknowledgements ?? []) if (!this.acknowledgements.some((x) => x.rule === ack.rule && x.resource === ack.resource)) this.acknowledgements.push(userAcknowledgement(ack));
  }

  /** `enforced` once the policy ran (with or without skipValidation); `skipped` when it did not; nothing otherwise (e.g. `Testing.synth`). */
  private validationState(): { validation?: "enforced" | "skipped" | "reported" } {
    if (inReportMode(this.stack.node.root)) return { validation: "reported" };
    // skipValidation does not skip the policy (refusal-guard.ts): the output says whether it ran.
    if (this.validated) return { validation: "enforced" };
    return (this.stack.node.root as { skipValidation?: boolean }).skipValidation === true ? { validation: "skipped" } : {};
  }

  /** Terraform addresses of the Mimir workloads our constructs create (the monolithic StatefulSet). */
  private ownWorkloads(): string[] {
    return this.stack.node.findAll().filter((c): c is MimirMonolithic => c instanceof MimirMonolithic).map((m) => `${m.statefulSet.terraformResourceType}.${m.statefulSet.friendlyUniqueId}`);
  }

  /** Security groups our constructs attach to Mimir's pods (their members groups). */
  private memberGroups(): string[] {
    return this.stack.node.findAll().filter((c): c is MimirSecurityGroups => c instanceof MimirSecurityGroups).map((g) => g.members.id);
  }

  /** Findings of the last validation run in stacks that reference this one's resources (see `referencingStacks`). */
  referencing: Array<{ stack: string; model: ExposureModel; findings: Finding[] }> = [];

  private validate(): string[] {
    this.validated = true;
    const doc = fromSynthesized(this.stack.node.id, `stacks/${this.stack.node.id}/cdk.tf.json`, this.resolveStack());
    this.model = buildModel(doc);
    this.findings = evaluate(this.model);
    // Plain stacks that reference this stack's resources are judged under this contract (their resources joined into this stack's).
    this.referencing = referencingStacks(this.stack).map((consumer) => {
      const consumerDoc = fromSynthesized(consumer.node.id, `stacks/${consumer.node.id}/cdk.tf.json`, consumer.toTerraform());
      return { stack: consumer.node.id, ...evaluateReferencing(consumerDoc, doc, this.findings) };
    });
    const fromReferencing = this.referencing.flatMap((r) => failing(r.findings, "error").map((f) => `stack ${r.stack} references ${this.stack.node.id}'s resources: ${formatRefusal(f)}`));
    return [...this.conflicts, ...failing(this.findings, "error").map(formatRefusal), ...fromReferencing];
  }
}

setContractHook((scope, use) => {
  ContractPolicy.ensure(scope, use);
});

/**
 * Stacks of the app that reference `producer`'s resources (cdktf made them depend on it while
 * preparing the stacks, before any validation runs) and have no contract policy of their own.
 * A stack that references nothing of Mimir's costs one look at its dependency list.
 */
function referencingStacks(producer: TerraformStack): TerraformStack[] {
  const out: TerraformStack[] = [];
  const visit = (c: IConstruct) => {
    for (const child of c.node.children) {
      if (TerraformStack.isStack(child)) {
        if (child !== producer && !POLICIES.has(child) && child.dependencies.includes(producer)) out.push(child);
      } else visit(child);
    }
  };
  visit(producer.node.root);
  return out;
}

/** A user's acknowledgement: rule, resource, reason and what it accepts (a `kind` is the stack's to give, never the input's). */
function userAcknowledgement(a: { readonly rule: string; readonly resource: string; readonly reason: string; readonly accepts?: unknown }): Acknowledgement {
  return { rule: a.rule, resource: a.resource, reason: a.reason, ...(a.accepts !== undefined ? { accepts: a.accepts } : {}) };
}

/** What the environment's auth.mode none was decided for: its load balancer's scheme, client sources and listener. */
function authNoneScope(env: Environment): AuthNoneScope {
  const lb = env.loadBalancer;
  return { scheme: lb.scheme, allowedCidrs: lb.allowedCidrs, allowedPrefixListIds: lb.allowedPrefixListIds, listener: `${lb.type === "network" ? "TLS" : "HTTPS"} ${env.contract.public.https}` };
}

function isEnvironment(use: ContractUse): use is ContractUse & Environment {
  return typeof (use as Partial<Environment>).fullname === "string" && typeof (use as Partial<Environment>).entry === "object";
}

/** Escape `${`/`%{` in every string of a JSON value (user text must not become a Terraform template). */
function escapeStrings(v: unknown): unknown {
  if (typeof v === "string") return escapeTemplate(v);
  if (Array.isArray(v)) return v.map(escapeStrings);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, escapeStrings(x)]));
  return v;
}
