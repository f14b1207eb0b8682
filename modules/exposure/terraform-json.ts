/**
 * Terraform JSON in, one flat list of resources out. Two documented inputs:
 *  - a synthesized stack (`cdktf.out/stacks/<name>/cdk.tf.json`): `resource.<type>.<name>`;
 *  - a plan (`terraform show -json plan.out`, format_version 1.x):
 *    `planned_values.root_module` (with `child_modules`), and
 *    `configuration.root_module` for references to values not known until apply.
 */
import { INTERNAL_PORT_NAMES, NEIGHBOUR_PORTS, PortContract, type InternalPortName } from "../contract/port-contract";
import { isTransitionPhase, type TransitionPhase } from "../contract/port-transition";
import { isPlainObject } from "../shared/objects";
import { unescapeTemplate } from "./terraform-template";
import { entryField, entryFrom, type EntryInfo } from "./entry-info";
import { clientsField, type ClientClassInfo } from "./clients-info";

export interface TfResource {
  /** Terraform address, e.g. `aws_lb_listener.edge_https_1A2B3C4D` or `module.x.aws_lb.this`. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly values: Record<string, any>;
  /** cdktf construct path, when synthesized by cdktf. */
  readonly constructPath?: string;
}

/** What the stack declares about itself in its `mimir_port_contract` output. */
export interface ContractInfo {
  /** The stack's own Mimir workloads (the monolithic StatefulSet), by address: Mimir besides the chart release's pods. */
  readonly workloads?: readonly string[];
  /** The ports Mimir listens on (a transition's `from` while open, `to` after). */
  readonly ports: { readonly http: number; readonly grpc: number; readonly memberlist: number };
  /** Port moves in progress, per port (absent in older outputs and when none). */
  readonly transitions?: Readonly<Partial<Record<InternalPortName, TransitionInfo>>>;
  /** The chart's neighbours on Mimir pods (Kafka, memcached), members only. */
  readonly neighbours: Readonly<Record<string, number>>;
  readonly namespace?: string;
  readonly release?: string;
  readonly acknowledgements: readonly Acknowledgement[];
  /** False when the stack carried no contract and Mimir's defaults were assumed. */
  readonly declared: boolean;
  /** Security groups our constructs attach to Mimir's pods (references or ids). */
  readonly securityGroups?: readonly string[];
  /** `enforced` when the synth-time policy ran; `skipped` when the app synthesized with skipValidation. */
  readonly validation?: "enforced" | "skipped" | "reported";
  /** Operator routes the environment opened on purpose (`entry.operatorAccess`, acknowledged). */
  readonly operatorRoutes?: ReadonlyArray<{ readonly path: string; readonly match: string }>;
  /** Where the contract came from when not from the stack itself (`--contract FILE`). */
  readonly from?: string;
  /** The entry path (kind, route table, operator access) the stack declares; absent in older outputs. */
  readonly entry?: EntryInfo;
  /** A monitoring namespace admitted whole on http by a non-production-like environment (warned at synth). */
  readonly monitoring?: { readonly namespace: string; readonly wholeNamespace: true };
  /** The client classes (authentication and API groups each); a single `auth` is one class, `default`. Absent in older outputs. */
  readonly clients?: readonly ClientClassInfo[];
}

/** One port's move as the stack declares it. */
export interface TransitionInfo {
  readonly from: number;
  readonly to: number;
  readonly phase: TransitionPhase;
}

/** Every number a port is admitted on: both sides of an open or moving transition, else the port. */
export function admittedPorts(contract: ContractInfo, name: InternalPortName): number[] {
  const t = contract.transitions?.[name];
  return t && t.phase !== "close" ? [t.from, t.to] : [contract.ports[name]];
}

function transitionsOf(value: unknown): ContractInfo["transitions"] {
  if (!isPlainObject(value)) return undefined;
  const out: Partial<Record<InternalPortName, TransitionInfo>> = {};
  for (const name of INTERNAL_PORT_NAMES) {
    const t = value[name];
    if (isPlainObject(t) && typeof t.from === "number" && typeof t.to === "number" && isTransitionPhase(t.phase)) out[name] = { from: t.from, to: t.to, phase: t.phase };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** An accepted finding: this rule, on this resource, for this reason. */
export interface Acknowledgement {
  readonly rule: string;
  /** Terraform address, or a construct path (a path also covers everything below it). */
  readonly resource: string;
  readonly reason: string;
  /** What was accepted (the finding's fingerprint, see modules/policy/fingerprint.ts); read by the policy. */
  readonly accepts?: unknown;
  /** `auth-none`: written for `auth: { mode: "none", reason }`; it covers only MP018 that is not critical from the internet. */
  readonly kind?: "auth-none";
}

/** What a plan will do to one resource (`resource_changes[].change.actions`). */
export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  /** e.g. ["create"], ["update"], ["delete"], ["delete","create"] (replace), ["create","delete"] (create before destroy). */
  readonly actions: readonly string[];
}

export interface StackDocument {
  readonly stack: string;
  /** The file it was read from, relative to where the user pointed (for reports and SARIF). */
  readonly file: string;
  readonly format: "cdktf" | "plan";
  readonly resources: readonly TfResource[];
  readonly contract: ContractInfo;
  /** Plans only: the planned action per resource, in address order. */
  readonly plannedChanges?: readonly PlannedChange[];
  /** Parts whose insides are not visible (modules), with the reason. */
  readonly opaque?: ReadonlyArray<{ readonly resource: TfResource; readonly reason: string }>;
  /** Synthesized stacks: everything in the Terraform JSON besides `resource` (see StackSettings). */
  readonly settings?: StackSettings;
  /** cdktf cross-stack references (synthesized stacks only): see ./cross-stack.ts. */
  readonly crossStack?: CrossStackInfo;
}

/** What cdktf wrote for cross-stack references: the stacks this one reads, the values it hands out. */
export interface CrossStackInfo {
  /** Producer stack paths this stack reads (`data.terraform_remote_state.cross-stack-reference-input-<path>`). */
  readonly reads: readonly string[];
  /** This stack's `cross-stack-output-*` outputs and their expressions. */
  readonly outputs: Readonly<Record<string, string>>;
}

export const CROSS_STACK_INPUT = "cross-stack-reference-input-";
const CROSS_STACK_OUTPUT = "cross-stack-output-";

function crossStackOf(json: Record<string, unknown>): CrossStackInfo | undefined {
  const remote = isPlainObject(json.data) && isPlainObject(json.data.terraform_remote_state) ? Object.keys(json.data.terraform_remote_state) : [];
  const reads = remote.filter((k) => k.startsWith(CROSS_STACK_INPUT)).map((k) => k.slice(CROSS_STACK_INPUT.length)).sort();
  const outputs: Record<string, string> = {};
  if (isPlainObject(json.output)) for (const [k, v] of Object.entries(json.output)) if (k.startsWith(CROSS_STACK_OUTPUT) && isPlainObject(v) && typeof v.value === "string") outputs[k] = v.value;
  return reads.length > 0 || Object.keys(outputs).length > 0 ? { reads, outputs } : undefined;
}

/**
 * The rest of a synthesized stack's Terraform JSON, kept whole so the review
 * can compare it: `provider`, `terraform` (backend, required_providers,
 * required_version), `data`, `output`, `variable`, `module`, `locals`, ... by
 * their top-level key, without cdktf's `//` metadata.
 */
export type StackSettings = Readonly<Record<string, unknown>>;

/** The top-level sections of a cdktf stack other than `resource`, without `//` metadata (nested ones included). */
export function settingsOf(json: Record<string, unknown>): StackSettings {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (!isPlainObject(v)) return v;
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== "//").map(([k, x]) => [k, strip(x)]));
  };
  // `moved` blocks only rename resources in state (a port transition's rule ids): the resources' own diff explains them.
  return Object.fromEntries(Object.keys(json).filter((k) => k !== "resource" && k !== "//" && k !== "moved").sort().map((k) => [k, strip(json[k])]));
}

export const CONTRACT_OUTPUT = "mimir_port_contract";
const DEFAULT_PORTS = PortContract.DEFAULT_PORTS;
const DEFAULT_NEIGHBOURS: Record<string, number> = Object.fromEntries(NEIGHBOUR_PORTS.map((n) => [n.name, n.port]));

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

export function contractFrom(value: unknown, format: StackDocument["format"]): ContractInfo {
  const text = (v: unknown) => (format === "cdktf" ? unescapeTemplate(String(v)) : String(v));
  if (!isPlainObject(value) || !isPlainObject(value.ports)) return { ports: DEFAULT_PORTS, neighbours: DEFAULT_NEIGHBOURS, acknowledgements: [], declared: false };
  const p = value.ports as Record<string, unknown>;
  const num = (v: unknown, d: number) => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : d);
  const acks = Array.isArray(value.acknowledgements) ? value.acknowledgements : [];
  const authNone = isPlainObject(value.auth) && value.auth.mode === "none";
  return {
    ports: { http: num(p.http, DEFAULT_PORTS.http), grpc: num(p.grpc, DEFAULT_PORTS.grpc), memberlist: num(p.memberlist, DEFAULT_PORTS.memberlist) },
    ...(transitionsOf(value.transitions) ? { transitions: transitionsOf(value.transitions) } : {}),
    neighbours: isPlainObject(value.neighbours) ? Object.fromEntries(Object.entries(value.neighbours).map(([k, v]) => [k, num(v, 0)]).filter(([, v]) => (v as number) > 0)) : DEFAULT_NEIGHBOURS,
    namespace: typeof value.namespace === "string" ? value.namespace : undefined,
    release: typeof value.release === "string" ? value.release : undefined,
    acknowledgements: acks.filter(isPlainObject).map((a) => ({
      rule: String(a.rule),
      resource: text(a.resource),
      reason: text(a.reason),
      ...(a.accepts !== undefined ? { accepts: unescapeDeep(a.accepts, text) } : {}),
      // The auth-none kind comes only from the environment's own `auth.mode: none` (recorded in `auth`), never from text.
      ...(a.kind === "auth-none" && authNone ? { kind: "auth-none" as const } : {}),
    })),
    declared: true,
    securityGroups: Array.isArray(value.securityGroups) ? value.securityGroups.filter((x): x is string => typeof x === "string") : [],
    ...(value.validation === "enforced" || value.validation === "skipped" || value.validation === "reported" ? { validation: value.validation } : {}),
    operatorRoutes: operatorRoutesOf(value.entry),
    ...(Array.isArray(value.workloads) ? { workloads: value.workloads.filter((x): x is string => typeof x === "string") } : {}),
    ...(isPlainObject(value.monitoring) && typeof value.monitoring.namespace === "string" && value.monitoring.wholeNamespace === true ? { monitoring: { namespace: value.monitoring.namespace, wholeNamespace: true as const } } : {}),
    ...entryField(value.entry, text),
    ...clientsField(value.auth, entryFrom(value.entry, text)?.groups, text),
  };
}

function unescapeDeep(v: unknown, text: (v: unknown) => string): unknown {
  if (typeof v === "string") return text(v);
  if (Array.isArray(v)) return v.map((x) => unescapeDeep(x, text));
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unescapeDeep(x, text)]));
  return v;
}

function operatorRoutesOf(entry: unknown): Array<{ path: string; match: string }> {
  if (!isPlainObject(entry) || !isPlainObject(entry.operatorAccess)) return [];
  const oa = entry.operatorAccess as Record<string, unknown>;
  if (typeof oa.acknowledged !== "string" || oa.acknowledged.trim() === "" || !Array.isArray(oa.routes)) return [];
  return oa.routes.filter(isPlainObject).map((r) => ({ path: String(r.path), match: String(r.match) }));
}

/** A synthesized cdktf stack (`cdk.tf.json` content). */
export function fromSynthesized(stack: string, file: string, json: unknown): StackDocument {
  if (!isPlainObject(json)) throw new InputError(`${file}: not a Terraform JSON object`);
  const resources: TfResource[] = [];
  const byType = isPlainObject(json.resource) ? json.resource : {};
  for (const type of Object.keys(byType).sort()) {
    const byName = byType[type];
    if (!isPlainObject(byName)) continue;
    for (const name of Object.keys(byName).sort()) {
      const values = byName[name];
      if (!isPlainObject(values)) continue;
      const meta = (values["//"] as { metadata?: { path?: string } } | undefined)?.metadata;
      resources.push({ address: `${type}.${name}`, type, name, values, constructPath: meta?.path });
    }
  }
  const output = isPlainObject(json.output) ? (json.output[CONTRACT_OUTPUT] as { value?: unknown } | undefined) : undefined;
  // Modules (TerraformHclModule and friends): their resources are not in this JSON.
  const opaque = Object.keys(isPlainObject(json.module) ? json.module : {})
    .sort()
    .map((name) => {
      const m = (json.module as Record<string, Record<string, any>>)[name];
      const meta = (m?.["//"] as { metadata?: { path?: string } } | undefined)?.metadata;
      const resource: TfResource = { address: `module.${name}`, type: "module", name, values: m ?? {}, constructPath: meta?.path };
      return { resource, reason: `module ${name} (source ${String(m?.source ?? "?")}): its resources are not visible until Terraform expands it` };
    });
  const crossStack = crossStackOf(json);
  return { stack, file, format: "cdktf", resources, contract: contractFrom(output?.value, "cdktf"), opaque, settings: settingsOf(json), ...(crossStack ? { crossStack } : {}) };
}

type PlanModule = { resources?: Array<Record<string, any>>; child_modules?: PlanModule[]; module_calls?: Record<string, { module?: PlanModule; expressions?: Record<string, any> }> };

/** A plan: `terraform show -json` output (format_version 1.x). */
export function fromPlan(stack: string, file: string, json: unknown): StackDocument {
  if (!isPlainObject(json)) throw new InputError(`${file}: not a JSON object`);
  const version = json.format_version;
  if (typeof version !== "string" || !/^1\.\d+$/.test(version)) {
    throw new InputError(`${file}: unsupported plan format_version ${JSON.stringify(version)}; expected 1.x from \`terraform show -json\``);
  }
  const planned = (json.planned_values as { root_module?: PlanModule; outputs?: Record<string, { value?: unknown }> } | undefined) ?? {};
  // Expressions by address, to fill values only known after apply with their references.
  const expressions = new Map<string, Record<string, any>>();
  // Inside a child module, `var.x` is what the module call passes (module_calls.<name>.expressions.x), resolved in the caller's frame.
  type Expr = { references?: string[]; constant_value?: unknown };
  const inFrame = (e: Expr, prefix: string, vars: ReadonlyMap<string, Expr>): Expr => {
    // Nested blocks (listener default_action, ingress) are lists of expression maps.
    if (Array.isArray(e)) return e.map((x) => (isPlainObject(x) ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, inFrame(v as Expr, prefix, vars)])) : x)) as unknown as Expr;
    const refs = e?.references;
    if (!refs || !prefix) return e;
    const out: string[] = [];
    for (const x of refs) {
      const v = /^var\.([^.\[]+)/.exec(x);
      if (v && vars.has(v[1])) {
        const passed = vars.get(v[1])!;
        if (passed.references) out.push(...passed.references);
        else if (passed.constant_value !== undefined && out.length === 0 && refs.length === 1) return { constant_value: passed.constant_value };
      } else out.push(/^(var|local|data|module|each|count|path|terraform|self)\./.test(x) ? x : `${prefix}${x}`);
    }
    return { ...e, references: out };
  };
  const collectConfig = (mod: PlanModule | undefined, prefix: string, vars: ReadonlyMap<string, Expr>) => {
    for (const r of mod?.resources ?? []) {
      // References inside a module name the module's own resources: give them their full address.
      const exprs: Record<string, any> = {};
      for (const [k, e] of Object.entries((r.expressions ?? {}) as Record<string, any>)) exprs[k] = inFrame(e as Expr, prefix, vars);
      expressions.set(`${prefix}${r.address}`, exprs);
    }
    for (const [name, call] of Object.entries(mod?.module_calls ?? {})) {
      const passed = new Map<string, Expr>();
      for (const [k, e] of Object.entries(((call as { expressions?: Record<string, Expr> }).expressions ?? {}) as Record<string, Expr>)) passed.set(k, inFrame(e, prefix, vars));
      collectConfig(call.module, `${prefix}module.${name}.`, passed);
    }
  };
  collectConfig((json.configuration as { root_module?: PlanModule } | undefined)?.root_module, "", new Map());

  const resources: TfResource[] = [];
  const collect = (mod: PlanModule | undefined) => {
    for (const r of mod?.resources ?? []) {
      if (r.mode !== undefined && r.mode !== "managed") continue;
      const values: Record<string, any> = { ...(r.values ?? {}) };
      const configAddress = String(r.address).replace(/\[[^\]]*\]/g, "");
      fillFromExpressions(values, expressions.get(configAddress) ?? {});
      if (r.type === "kubernetes_manifest") {
        bindTargetGroup(values, expressions.get(configAddress)?.manifest);
        placeManifest(values, expressions.get(configAddress)?.manifest);
      }
      resources.push({ address: String(r.address), type: String(r.type), name: String(r.name), values });
    }
    for (const child of mod?.child_modules ?? []) collect(child);
  };
  collect(planned.root_module);
  // Module calls with no planned resources: their insides are unknown (count/for_each unknown, or not expanded).
  const opaque: Array<{ resource: TfResource; reason: string }> = [];
  const seenModules = new Set(resources.filter((r) => r.address.startsWith("module.")).map((r) => r.address.replace(/^(module\.[^.\[]+).*$/, "$1")));
  for (const name of Object.keys((json.configuration as { root_module?: PlanModule } | undefined)?.root_module?.module_calls ?? {}).sort()) {
    if (!seenModules.has(`module.${name}`)) opaque.push({ resource: { address: `module.${name}`, type: "module", name, values: {} }, reason: `module ${name}: the plan shows none of its resources, so what it creates is unknown` });
  }
  resources.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const plannedChanges: PlannedChange[] = (Array.isArray(json.resource_changes) ? json.resource_changes : [])
    .filter((c): c is Record<string, any> => isPlainObject(c) && (c.mode === undefined || c.mode === "managed"))
    .map((c) => ({ address: String(c.address), type: String(c.type), actions: Array.isArray(c.change?.actions) ? c.change.actions.map(String) : [] }))
    .filter((c) => !(c.actions.length === 1 && (c.actions[0] === "no-op" || c.actions[0] === "read")))
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { stack, file, format: "plan", resources, contract: contractFrom(planContract(json, planned.outputs?.[CONTRACT_OUTPUT]?.value), "plan"), plannedChanges, opaque };
}

/**
 * Values only known after apply (absent or null in planned_values) take their
 * configuration expression: the first reference as `${address}`, or the constant.
 * Nested blocks (lists of expression maps) are filled element by element.
 */
function fillFromExpressions(values: Record<string, any>, exprs: Record<string, any>): void {
  for (const [key, expr] of Object.entries(exprs)) {
    if (Array.isArray(expr)) {
      if (values[key] === undefined || values[key] === null) values[key] = expr.map(() => ({}));
      if (!Array.isArray(values[key])) continue;
      expr.forEach((e, i) => {
        if (isPlainObject(e) && isPlainObject(values[key][i])) fillFromExpressions(values[key][i], e);
      });
      continue;
    }
    const refs = (expr as { references?: string[] })?.references;
    if (values[key] === undefined || values[key] === null) {
      if (refs && refs.length > 0) values[key] = `\${${refs[0]}}`;
      else if ((expr as { constant_value?: unknown })?.constant_value !== undefined) values[key] = (expr as { constant_value: unknown }).constant_value;
    }
  }
}

/** A TargetGroupBinding whose target group ARN is known only after apply: the manifest's reference to a target group is that ARN. */
function bindTargetGroup(values: Record<string, any>, expr: unknown): void {
  const m = values.manifest;
  const spec = isPlainObject(m) && m.kind === "TargetGroupBinding" && isPlainObject(m.spec) ? (m.spec as Record<string, unknown>) : undefined;
  if (!spec || spec.targetGroupARN !== undefined || spec.targetGroupName !== undefined) return;
  const tg = ((expr as { references?: string[] })?.references ?? []).find((x) => /(^|\.)aws_(a)?lb_target_group\.[^.]+\.arn$/.test(x));
  if (tg) values.manifest = { ...m, spec: { ...spec, targetGroupARN: `\${${tg}}` } };
}

/**
 * A manifest's namespace and a SecurityGroupPolicy's groups known only after apply (a reference to a namespace or a
 * security group the same plan creates): the manifest's references are those values. Left out, the namespace would
 * read as "default" and the policy as giving Mimir's pods no group at all.
 */
function placeManifest(values: Record<string, any>, expr: unknown): void {
  const m = values.manifest;
  if (!isPlainObject(m)) return;
  const refs = (expr as { references?: string[] })?.references ?? [];
  const meta = isPlainObject(m.metadata) ? (m.metadata as Record<string, unknown>) : {};
  let out: Record<string, unknown> = m;
  const ns = meta.namespace === undefined ? refs.find((x) => /^kubernetes_namespace(_v1)?\.[^.]+$/.test(x)) : undefined;
  if (ns) out = { ...out, metadata: { ...meta, namespace: `\${${ns}.metadata[0].name}` } };
  const spec = isPlainObject(m.spec) ? (m.spec as Record<string, unknown>) : undefined;
  if (m.kind === "SecurityGroupPolicy" && spec) {
    const sg = isPlainObject(spec.securityGroups) ? (spec.securityGroups as Record<string, unknown>) : {};
    const known = Array.isArray(sg.groupIds) ? (sg.groupIds as unknown[]) : [];
    const groups = refs.filter((x) => /(^|\.)aws_security_group\.[^.]+\.id$/.test(x)).map((x) => `\${${x}}`);
    if (groups.length > 0) out = { ...out, spec: { ...spec, securityGroups: { ...sg, groupIds: [...known, ...groups.filter((g) => !known.includes(g))] } } };
  }
  values.manifest = out;
}

/**
 * The contract output of a plan: planned_values when fully known; otherwise the
 * known part Terraform prints in output_changes, with the security groups (ids
 * unknown until apply) taken from the output's configuration references.
 */
function planContract(json: Record<string, unknown>, planned: unknown): unknown {
  if (planned !== undefined) return planned;
  const after = (json.output_changes as Record<string, { after?: unknown }> | undefined)?.[CONTRACT_OUTPUT]?.after;
  if (!isPlainObject(after)) return undefined;
  const expr = (json.configuration as { root_module?: { outputs?: Record<string, { expression?: unknown }> } } | undefined)?.root_module?.outputs?.[CONTRACT_OUTPUT]?.expression;
  const groups = [...new Set([...JSON.stringify(expr ?? null).matchAll(/"(aws_security_group\.[^".]+)\.id"/g)].map((m) => `\${${m[1]}.id}`))];
  const known = Array.isArray(after.securityGroups) ? after.securityGroups : [];
  return { ...after, securityGroups: [...known, ...groups] };
}

/** Either format, told apart by shape. */
export function fromJson(stack: string, file: string, json: unknown): StackDocument {
  if (isPlainObject(json) && ("planned_values" in json || "format_version" in json)) return fromPlan(stack, file, json);
  return fromSynthesized(stack, file, json);
}
