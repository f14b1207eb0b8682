/**
 * Turns a synthesized stack (cdk.tf.json) into what `terraform show -json`
 * prints for a plan that creates it (format 1.2): values known at plan time in
 * `planned_values` (nested blocks as lists, references unknown), references in
 * `configuration` expressions, `resource_changes` with `after_unknown`.
 * Chosen resources can be moved into a child module (reached through module
 * variables, as Terraform requires). Used only by make-plan-fixtures.ts to
 * write the frozen fixtures in __tests__/fixtures/adversarial/.
 */

/** Attributes that are maps or free-form objects, not nested blocks. */
const OBJECT_ATTRIBUTES = new Set(["tags", "tags_all", "labels", "annotations", "selector", "match_labels", "manifest", "variables", "default_tags"]);
const META = new Set(["//", "depends_on", "lifecycle", "provider", "count", "for_each", "connection", "provisioner"]);

const isObject = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);
const hasToken = (v: unknown): boolean => (typeof v === "string" ? v.includes("${") : Array.isArray(v) ? v.some(hasToken) : isObject(v) ? Object.values(v).some(hasToken) : false);

/** `${aws_lb.x.arn}` → ["aws_lb.x.arn", "aws_lb.x"]; `${var.a}` → ["var.a"]. */
function referencesOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
    for (const r of m[1].matchAll(/\b((?:var|local|module|data\.[a-z0-9_]+|[a-z][a-z0-9_]*)\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?)/g)) {
      const ref = r[1];
      if (/^(path|each|count|self|terraform)\./.test(ref)) continue;
      const parts = ref.split(".");
      if (parts[0] === "var" || parts[0] === "local") out.push(parts.slice(0, 2).join("."));
      else if (parts[0].startsWith("data")) out.push(ref);
      else {
        out.push(ref);
        if (parts.length > 2) out.push(parts.slice(0, 2).join("."));
      }
    }
  }
  return [...new Set(out)];
}

/** A free-form object with its unknown leaves left out (Terraform shows the known part). */
function knownPart(v: unknown): unknown {
  if (typeof v === "string") return v.includes("${") ? undefined : v;
  if (Array.isArray(v)) return v.map(knownPart).filter((x) => x !== undefined);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, knownPart(x)]).filter(([, x]) => x !== undefined));
  return v;
}

function plannedValue(key: string, v: unknown): unknown {
  if (OBJECT_ATTRIBUTES.has(key) && isObject(v)) return knownPart(v);
  if (hasToken(v) && (typeof v === "string" || !isObject(v))) return undefined; // unknown until apply
  if (Array.isArray(v)) return v.map((x) => (isObject(x) ? plannedValues(x) : x));
  if (isObject(v)) return OBJECT_ATTRIBUTES.has(key) ? v : [plannedValues(v)];
  return v;
}

function plannedValues(values: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(values)) {
    if (META.has(k)) continue;
    const pv = plannedValue(k, v);
    if (pv !== undefined) out[k] = pv;
  }
  return out;
}

function afterUnknown(values: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(values)) {
    if (META.has(k)) continue;
    if (typeof v === "string" && v.includes("${")) out[k] = true;
    else if (isObject(v) && !OBJECT_ATTRIBUTES.has(k) && hasToken(v)) out[k] = [afterUnknown(v)];
    else if (hasToken(v)) out[k] = true;
  }
  return out;
}

function expression(key: string, v: unknown): unknown {
  if (isObject(v) && !OBJECT_ATTRIBUTES.has(key)) return [expressions(v)];
  if (Array.isArray(v) && v.length > 0 && v.every(isObject) && !OBJECT_ATTRIBUTES.has(key)) return v.map((x) => expressions(x as Record<string, any>));
  if (hasToken(v)) return { references: referencesOf(JSON.stringify(v)) };
  return { constant_value: v };
}

function expressions(values: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(values)) if (!META.has(k)) out[k] = expression(k, v);
  return out;
}

const PROVIDERS: Record<string, string> = { aws: "registry.terraform.io/hashicorp/aws", kubernetes: "registry.terraform.io/hashicorp/kubernetes", helm: "registry.terraform.io/hashicorp/helm" };
const providerOf = (type: string) => PROVIDERS[type.split("_")[0]] ?? `registry.terraform.io/hashicorp/${type.split("_")[0]}`;

export interface PlanOptions {
  /** Drop the `mimir_port_contract` output (a plan of code that does not declare it). */
  readonly dropContract?: boolean;
  /** Move resources whose name matches into `module.<module>` (default module "debug"). */
  readonly moveToModule?: { readonly match: RegExp; readonly module: string; readonly source: string };
  /** Extra module calls whose internals the plan does not show. */
  readonly opaqueModuleCalls?: Record<string, { readonly source: string; readonly inputs: Record<string, string> }>;
  /** Attributes (by resource name match) forced unknown at plan time, with the expression that makes them so. */
  readonly unknown?: ReadonlyArray<{ readonly match: RegExp; readonly attribute: string; readonly references: string[] }>;
}

type Res = { type: string; name: string; values: Record<string, any> };

export function toPlan(stack: Record<string, any>, opts: PlanOptions = {}): Record<string, unknown> {
  const all: Res[] = [];
  for (const [type, byName] of Object.entries(stack.resource ?? {})) for (const [name, values] of Object.entries(byName as Record<string, any>)) all.push({ type, name, values });
  const inModule = (r: Res) => (opts.moveToModule && opts.moveToModule.match.test(r.name) ? opts.moveToModule.module : undefined);

  // References from a module resource to the root go through a module variable.
  const moduleInputs: Record<string, string> = {};
  const rewriteForModule = (v: any): any => {
    if (typeof v === "string")
      return v
        .replace(/\$\{var\.([A-Za-z0-9_-]+)\}/g, (whole, name: string) => {
          moduleInputs[name] = whole;
          return whole;
        })
        .replace(/\$\{([a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)\.([a-z_]+)\}/g, (whole, addr: string, attr: string) => {
          const target = all.find((x) => `${x.type}.${x.name}` === addr);
          if (!target || inModule(target)) return whole;
          const variable = `${addr.split(".")[1].replace(/[^A-Za-z0-9_]/g, "_")}_${attr}`;
          moduleInputs[variable] = `\${${addr}.${attr}}`;
          return `\${var.${variable}}`;
        });
    if (Array.isArray(v)) return v.map(rewriteForModule);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewriteForModule(x)]));
    return v;
  };

  const rootPlanned: any[] = [];
  const childPlanned: any[] = [];
  const rootConfig: any[] = [];
  const childConfig: any[] = [];
  const changes: any[] = [];
  for (const r of all.sort((a, b) => `${a.type}.${a.name}`.localeCompare(`${b.type}.${b.name}`))) {
    const mod = inModule(r);
    let values = mod ? rewriteForModule(r.values) : r.values;
    for (const u of opts.unknown ?? []) if (u.match.test(r.name)) values = { ...values, [u.attribute]: `\${${u.references[0]}}` };
    const address = `${mod ? `module.${mod}.` : ""}${r.type}.${r.name}`;
    const planned = { address, mode: "managed", type: r.type, name: r.name, provider_name: providerOf(r.type), schema_version: 0, values: plannedValues(values), sensitive_values: {} };
    const config = { address: `${r.type}.${r.name}`, mode: "managed", type: r.type, name: r.name, provider_config_key: r.type.split("_")[0], expressions: expressions(values), schema_version: 0 };
    (mod ? childPlanned : rootPlanned).push(planned);
    (mod ? childConfig : rootConfig).push(config);
    changes.push({ address, ...(mod ? { module_address: `module.${mod}` } : {}), mode: "managed", type: r.type, name: r.name, provider_name: providerOf(r.type), change: { actions: ["create"], before: null, after: plannedValues(values), after_unknown: afterUnknown(values), before_sensitive: false, after_sensitive: {} } });
  }

  const outputs: Record<string, unknown> = {};
  const outputChanges: Record<string, unknown> = {};
  const configOutputs: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(stack.output ?? {}) as Array<[string, any]>) {
    if (opts.dropContract && name === "mimir_port_contract") continue;
    if (!hasToken(o.value)) outputs[name] = { sensitive: false, value: o.value };
    // What Terraform prints for an output with parts unknown until apply: the known part in output_changes.
    outputChanges[name] = { actions: ["create"], before: null, after: knownPart(o.value), after_unknown: hasToken(o.value), before_sensitive: false, after_sensitive: false };
    configOutputs[name] = { expression: expression(name, o.value), ...(o.description ? { description: o.description } : {}) };
  }

  const moduleCalls: Record<string, unknown> = {};
  if (opts.moveToModule) {
    moduleCalls[opts.moveToModule.module] = {
      source: opts.moveToModule.source,
      expressions: Object.fromEntries(Object.entries(moduleInputs).map(([k, v]) => [k, { references: referencesOf(v) }])),
      module: { resources: childConfig, variables: Object.fromEntries(Object.keys(moduleInputs).map((k) => [k, {}])) },
    };
  }
  for (const [name, call] of Object.entries(opts.opaqueModuleCalls ?? {})) {
    moduleCalls[name] = { source: call.source, expressions: Object.fromEntries(Object.entries(call.inputs).map(([k, v]) => [k, hasToken(v) ? { references: referencesOf(v) } : { constant_value: v }])), module: {} };
  }

  return {
    format_version: "1.2",
    terraform_version: "1.10.5",
    planned_values: {
      outputs,
      root_module: { resources: rootPlanned, ...(childPlanned.length > 0 ? { child_modules: [{ address: `module.${opts.moveToModule!.module}`, resources: childPlanned }] } : {}) },
    },
    resource_changes: changes.sort((a, b) => a.address.localeCompare(b.address)),
    output_changes: outputChanges,
    configuration: {
      provider_config: Object.fromEntries(Object.keys(stack.provider ?? {}).map((p) => [p, { name: p, full_name: PROVIDERS[p] ?? p }])),
      root_module: { outputs: configOutputs, resources: rootConfig, ...(Object.keys(moduleCalls).length > 0 ? { module_calls: moduleCalls } : {}), variables: Object.fromEntries(Object.keys(stack.variable ?? {}).map((v) => [v, {}])) },
    },
  };
}
