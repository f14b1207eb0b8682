/**
 * Everything in a stack's Terraform JSON besides its resources: providers
 * (region, default tags, assumed role, allowed accounts), the state backend,
 * required providers and Terraform version, data sources, outputs and any
 * other block. Each difference becomes a plain-words cause; the ones that can
 * lose state or move every resource are risks. A difference no cause names
 * still gets a line: "no change" is said only when nothing differs.
 */
import type { ExposureModel } from "../exposure/model";
import { CONTRACT_OUTPUT } from "../exposure/terraform-json";
import { awsTypeTakesDefaultTags } from "../platform/aws-tags";
import { isPlainObject, sortKeys } from "../shared/objects";
import type { RiskLevel } from "./risk";

/** One cause: `{where}` in the text is replaced by the environments it happens in. */
export interface SettingsCause {
  readonly level?: RiskLevel;
  /** Risks are listed with the resource risks ("**critical risk** in prod: ..."); other causes are plain lines. */
  readonly risk?: boolean;
  /** Where in the Terraform JSON, e.g. `terraform.backend.s3`, `provider.aws`. */
  readonly address: string;
  readonly text: string;
}

type Obj = Record<string, unknown>;
const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const changedKeys = (a: Obj, b: Obj) => [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !same(a[k], b[k])).sort();
const show = (v: unknown) => (v === undefined ? "unset" : typeof v === "string" ? `\`${v}\`` : `\`${JSON.stringify(v)}\``);
const list = (xs: readonly string[], max = 4) => `${xs.slice(0, max).map((x) => `\`${x}\``).join(", ")}${xs.length > max ? `, … (${xs.length} in all)` : ""}`;

/** cdktf writes each provider type as a list of configurations; the key is the alias ("" for the default one). */
function providerConfigs(settings: Obj | undefined): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const [type, configs] of Object.entries(obj(settings?.provider))) {
    for (const c of Array.isArray(configs) ? configs : [configs]) {
      const config = obj(c);
      out.set(`${type}${typeof config.alias === "string" ? `.${config.alias}` : ""}`, config);
    }
  }
  return out;
}

/** The head's resources a provider configuration manages (`provider = "aws.west"`, or no `provider` for the default one). */
function managedBy(model: ExposureModel, key: string) {
  const type = key.split(".")[0];
  return model.resources.filter((r) => r.type.startsWith(`${type}_`) && (typeof r.values.provider === "string" ? r.values.provider === key : !key.includes(".")));
}

function defaultTags(config: Obj): Obj {
  const blocks = Array.isArray(config.default_tags) ? config.default_tags : [config.default_tags];
  return Object.assign({}, ...blocks.map((b) => obj(obj(b).tags)));
}

function tagCause(key: string, before: Obj, after: Obj, head: ExposureModel): SettingsCause {
  const b = defaultTags(before);
  const a = defaultTags(after);
  const added = Object.keys(a).filter((k) => !(k in b));
  const removed = Object.keys(b).filter((k) => !(k in a));
  const changed = Object.keys(a).filter((k) => k in b && !same(a[k], b[k]));
  const what = [added.length ? `added ${list(added)}` : "", changed.length ? `changed ${list(changed)}` : "", removed.length ? `removed ${list(removed)}` : ""].filter(Boolean).join("; ");
  const managed = managedBy(head, key);
  const answers = managed.map((r) => awsTypeTakesDefaultTags(r.type));
  // Never undercount: a type the provider bindings do not know is counted as tagged.
  const tagged = answers.filter((x) => x !== false).length;
  const count = answers.every((x) => x === undefined) ? `every AWS resource of the provider (${managed.length})` : `${plural(tagged, "AWS resource")}`;
  return { address: `provider.${key}.default_tags`, text: `tags change on ${count} {where} (provider \`${key}\` default tags: ${what || "reordered"}); Terraform updates them in place` };
}

function providerCauses(base: ExposureModel, head: ExposureModel): SettingsCause[] {
  const b = providerConfigs(base.settings as Obj);
  const h = providerConfigs(head.settings as Obj);
  const out: SettingsCause[] = [];
  for (const key of [...new Set([...b.keys(), ...h.keys()])].sort()) {
    const before = b.get(key);
    const after = h.get(key);
    if (!before || !after) {
      out.push({ level: "medium", address: `provider.${key}`, text: `provider \`${key}\` ${before ? "removed" : "added"} {where}${before ? ": resources that used it need another provider configuration" : ""}` });
      continue;
    }
    const keys = changedKeys(before, after);
    if (keys.length === 0) continue;
    const n = managedBy(head, key).length;
    const rest = keys.filter((k) => !["region", "default_tags", "assume_role", "assume_role_with_web_identity", "allowed_account_ids", "forbidden_account_ids"].includes(k));
    if (keys.includes("region")) {
      out.push({ level: "critical", risk: true, address: `provider.${key}.region`, text: `provider \`${key}\` region changes (${show(before.region)} → ${show(after.region)}): Terraform looks for the ${plural(n, "resource")} it manages in the new region, finds none and plans to create them all again there; the ones in the old region stay, no longer managed` });
    }
    if (keys.includes("assume_role") || keys.includes("assume_role_with_web_identity")) {
      const arn = (c: Obj) => obj((Array.isArray(c.assume_role) ? c.assume_role[0] : c.assume_role) ?? (Array.isArray(c.assume_role_with_web_identity) ? c.assume_role_with_web_identity[0] : c.assume_role_with_web_identity)).role_arn;
      out.push({ level: "high", risk: true, address: `provider.${key}.assume_role`, text: `provider \`${key}\` assumed role changes (${show(arn(before))} → ${show(arn(after))}): Terraform acts as another identity; in another account it finds none of the ${plural(n, "resource")} and plans to create them all again` });
    }
    if (keys.includes("allowed_account_ids") || keys.includes("forbidden_account_ids")) {
      const k = keys.includes("allowed_account_ids") ? "allowed_account_ids" : "forbidden_account_ids";
      out.push({ level: "medium", address: `provider.${key}.${k}`, text: `provider \`${key}\` ${k === "allowed_account_ids" ? "allowed" : "forbidden"} accounts change {where} (${show(before[k])} → ${show(after[k])}): the account Terraform may apply to is different` });
    }
    if (keys.includes("default_tags")) out.push(tagCause(key, before, after, head));
    if (rest.length) out.push({ address: `provider.${key}`, text: `provider \`${key}\` settings change {where} (${list(rest)})` });
  }
  return out;
}

/** Backend attributes that name where the state is: a change starts from an empty state. */
const STATE_LOCATION = ["bucket", "key", "region", "workspace_key_prefix", "endpoint", "endpoints", "path", "organization", "workspaces", "hostname", "container_name", "storage_account_name", "prefix"];
const locked = (c: Obj) => typeof c.dynamodb_table === "string" || c.use_lockfile === true;

function backendCauses(base: ExposureModel, head: ExposureModel): SettingsCause[] {
  const tb = obj(obj(base.settings).terraform);
  const th = obj(obj(head.settings).terraform);
  const out: SettingsCause[] = [];
  const emptyState = "Terraform would start from empty state and plan to create every resource again (the existing ones stay, no longer managed); move the state first (`terraform init -migrate-state`)";
  // `cloud` (HCP Terraform) is a backend too.
  const backendOf = (t: Obj): [string, Obj] | undefined => {
    if (isPlainObject(t.cloud)) return ["cloud", t.cloud];
    const [type] = Object.keys(obj(t.backend));
    return type ? [type, obj(obj(t.backend)[type])] : undefined;
  };
  const b = backendOf(tb);
  const h = backendOf(th);
  if (!same(b, h)) {
    if (!b || !h || b[0] !== h[0]) {
      out.push({ level: "critical", risk: true, address: "terraform.backend", text: `state backend changes from ${b ? b[0] : "local (none)"} to ${h ? h[0] : "local (none)"}: ${emptyState}` });
    } else {
      const [type, before] = b;
      const after = h[1];
      const keys = changedKeys(before, after);
      const moved = keys.filter((k) => STATE_LOCATION.includes(k));
      for (const k of moved) out.push({ level: "critical", risk: true, address: `terraform.backend.${type}.${k}`, text: `state backend ${k} changes (${show(before[k])} → ${show(after[k])}): ${emptyState}` });
      const lock = keys.filter((k) => ["dynamodb_table", "use_lockfile"].includes(k));
      if (lock.length && locked(before) && !locked(after)) {
        out.push({ level: "high", risk: true, address: `terraform.backend.${type}`, text: "state locking is turned off: two applies at the same time can corrupt the state" });
      } else if (lock.length) {
        out.push({ level: "medium", address: `terraform.backend.${type}`, text: `state locking changes {where} (${lock.map((k) => `${k} ${show(before[k])} → ${show(after[k])}`).join(", ")}): run \`terraform init -reconfigure\`; do not apply from the old and the new setting at the same time` });
      }
      if (keys.includes("encrypt") && before.encrypt === true && after.encrypt !== true) {
        out.push({ level: "high", risk: true, address: `terraform.backend.${type}.encrypt`, text: "state encryption is turned off: the state (which holds secrets) is written unencrypted" });
      }
      const rest = keys.filter((k) => ![...STATE_LOCATION, "dynamodb_table", "use_lockfile", "encrypt"].includes(k));
      if (keys.includes("encrypt") && !(before.encrypt === true && after.encrypt !== true)) rest.push("encrypt");
      if (rest.length) out.push({ level: "medium", address: `terraform.backend.${type}`, text: `state backend settings change {where} (${list(rest)}): run \`terraform init -reconfigure\`` });
    }
  }
  const rb = obj(tb.required_providers);
  const rh = obj(th.required_providers);
  for (const name of changedKeys(rb, rh)) {
    const before = obj(rb[name]);
    const after = obj(rh[name]);
    if (!(name in rb) || !(name in rh)) out.push({ address: `terraform.required_providers.${name}`, text: `required provider \`${name}\` ${name in rb ? "removed" : "added"} {where}` });
    else if (!same(before.source, after.source)) out.push({ level: "medium", address: `terraform.required_providers.${name}`, text: `provider \`${name}\` source changes {where} (${show(before.source)} → ${show(after.source)}): \`terraform init\` installs another provider` });
    else out.push({ address: `terraform.required_providers.${name}`, text: `provider \`${name}\` version ${show(before.version)} → ${show(after.version)} {where}: \`terraform init -upgrade\`; read the provider's changelog for changed defaults` });
  }
  if (!same(tb.required_version, th.required_version)) out.push({ address: "terraform.required_version", text: `required Terraform version ${show(tb.required_version)} → ${show(th.required_version)} {where}` });
  const other = changedKeys(tb, th).filter((k) => !["backend", "cloud", "required_providers", "required_version"].includes(k));
  if (other.length) out.push({ address: "terraform", text: `terraform settings change {where} (${list(other)})` });
  return out;
}

function dataCauses(base: ExposureModel, head: ExposureModel): SettingsCause[] {
  const flat = (m: ExposureModel) => new Map(Object.entries(obj(obj(m.settings).data)).flatMap(([type, byName]) => Object.entries(obj(byName)).map(([name, v]) => [`data.${type}.${name}`, v] as const)));
  const b = flat(base);
  const h = flat(head);
  const added = [...h.keys()].filter((k) => !b.has(k));
  const removed = [...b.keys()].filter((k) => !h.has(k));
  const changed = [...h.keys()].filter((k) => b.has(k) && !same(b.get(k), h.get(k)));
  const parts = [added.length ? `${added.length} added (${list(added, 2)})` : "", changed.length ? `${changed.length} changed (${list(changed, 2)})` : "", removed.length ? `${removed.length} removed (${list(removed, 2)})` : ""].filter(Boolean);
  return parts.length ? [{ address: "data", text: `data sources {where}: ${parts.join(", ")}; what reads them may change` }] : [];
}

/** Keys of the contract output other lines already explain (port moves, the entry path, authentication). */
const CONTRACT_EXPLAINED = new Set(["ports", "entry", "auth"]);

function outputCauses(base: ExposureModel, head: ExposureModel): SettingsCause[] {
  const b = obj(obj(base.settings).output);
  const h = obj(obj(head.settings).output);
  const out: SettingsCause[] = [];
  const names = changedKeys(b, h).filter((k) => k !== CONTRACT_OUTPUT);
  const added = names.filter((k) => !(k in b));
  const removed = names.filter((k) => !(k in h));
  const changed = names.filter((k) => k in b && k in h);
  if (removed.length) out.push({ level: "medium", address: "output", text: `outputs removed {where}: ${list(removed)}; whatever reads them (terraform_remote_state, scripts) breaks` });
  if (added.length + changed.length) out.push({ address: "output", text: `outputs {where}: ${[added.length ? `added ${list(added)}` : "", changed.length ? `changed ${list(changed)}` : ""].filter(Boolean).join("; ")}` });
  const cb = obj(obj(b[CONTRACT_OUTPUT]).value);
  const ch = obj(obj(h[CONTRACT_OUTPUT]).value);
  const keys = changedKeys(cb, ch).filter((k) => !CONTRACT_EXPLAINED.has(k));
  if (keys.includes("validation") && ch.validation === "skipped") {
    out.push({ level: "high", risk: true, address: `output.${CONTRACT_OUTPUT}`, text: "the synth-time contract policy was skipped (`skipValidation`): nothing checked this head's exposure at synth" });
  }
  if (keys.includes("acknowledgements")) {
    const key = (a: unknown) => JSON.stringify(sortKeys(a));
    const before = new Set((Array.isArray(cb.acknowledgements) ? cb.acknowledgements : []).map(key));
    const after = new Set((Array.isArray(ch.acknowledgements) ? ch.acknowledgements : []).map(key));
    const more = [...after].filter((a) => !before.has(a)).length;
    const fewer = [...before].filter((a) => !after.has(a)).length;
    out.push({ level: more ? "medium" : undefined, address: `output.${CONTRACT_OUTPUT}.acknowledgements`, text: `acknowledged findings {where}: ${more} added, ${fewer} removed` });
  }
  const rest = keys.filter((k) => k !== "acknowledgements" && k !== "validation");
  if (rest.length || (keys.includes("validation") && ch.validation !== "skipped")) out.push({ address: `output.${CONTRACT_OUTPUT}`, text: `the contract output changes {where} (${list(keys.filter((k) => k !== "acknowledgements"))})` });
  return out;
}

const HANDLED = new Set(["provider", "terraform", "data", "output"]);

/** Report mode writes `validation: "reported"` where a normal synth writes "enforced": the same policy ran, not a change. */
function normalized(settings: Obj): Obj {
  const output = obj(settings.output);
  const contract = obj(output[CONTRACT_OUTPUT]);
  const value = obj(contract.value);
  if (value.validation !== "reported") return settings;
  return { ...settings, output: { ...output, [CONTRACT_OUTPUT]: { ...contract, value: { ...value, validation: "enforced" } } } };
}

/** Every cause for a stack present in base and head. Empty only when their settings are identical. */
export function settingsCauses(baseModel: ExposureModel, headModel: ExposureModel): SettingsCause[] {
  if (!baseModel.settings || !headModel.settings) return [];
  const b = normalized(baseModel.settings as Obj);
  const h = normalized(headModel.settings as Obj);
  if (same(b, h)) return [];
  const base = { ...baseModel, settings: b };
  const head = { ...headModel, settings: h };
  const out = [...providerCauses(base, head), ...backendCauses(base, head), ...dataCauses(base, head), ...outputCauses(base, head)];
  for (const section of changedKeys(b, h).filter((k) => !HANDLED.has(k))) {
    const names = changedKeys(obj(b[section]), obj(h[section]));
    out.push({ address: section, text: `\`${section}\` blocks change {where}${names.length ? ` (${list(names)})` : ""}` });
  }
  // A difference the causes above do not name (e.g. only in the contract output's explained keys) is covered by their lines.
  return out;
}

/** The top-level sections that differ, for the JSON diff (`provider`, `terraform`, `output`, ...). */
export function changedSettings(base: ExposureModel | undefined, head: ExposureModel | undefined): string[] {
  if (!base?.settings || !head?.settings) return [];
  return changedKeys(normalized(base.settings as Obj), normalized(head.settings as Obj));
}
