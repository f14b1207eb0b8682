/** Base vs head, per stack: resources added, removed and changed by address, and exposures gained or lost. */
import type { ExposureModel } from "../exposure/model";
import type { TfResource } from "../exposure/terraform-json";
import { sortKeys } from "../shared/objects";
import { authChange } from "../policy/auth-rule";
import type { StackReport } from "./stack-report";
import { entryChange, type EntryChange } from "./entry-changes";
import { changedSettings } from "./settings-changes";
import { recordedSource } from "./source-location";

export interface StackDiff {
  readonly stack: string;
  readonly status: "added" | "removed" | "changed" | "unchanged";
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  readonly exposuresAdded: readonly string[];
  readonly exposuresRemoved: readonly string[];
  /** Removed edge resources (a changed address is a destroy and a create). */
  readonly destructive: readonly string[];
  /** Edge resources kept at their address whose change forces a replacement, with the attributes. */
  readonly replaced: ReadonlyArray<{ readonly address: string; readonly attributes: readonly string[] }>;
  /** Present when the entry's authentication changed. */
  readonly auth?: { readonly before: readonly string[]; readonly after: readonly string[]; readonly removed: boolean };
  /** Present when the entry path (kind, groups, hosts, public routes, operator access) changed. */
  readonly entry?: EntryChange;
  /** Top-level sections besides resources that differ (`provider`, `terraform`, `data`, `output`, ...). */
  readonly settings: readonly string[];
  /** Where each added, removed or changed resource was created in the user's code (`main.ts:112`), when recorded. */
  readonly sources: Readonly<Record<string, string>>;
}

/** Resources whose loss cuts Mimir off or drops its protection. */
export const EDGE_TYPES = new Set(["aws_lb", "aws_alb", "aws_lb_listener", "aws_alb_listener", "aws_security_group", "aws_lb_target_group", "aws_alb_target_group"]);

/** Attributes whose change makes the AWS provider destroy and recreate the resource. */
export const FORCES_REPLACEMENT: Record<string, readonly string[]> = {
  aws_security_group: ["name", "name_prefix", "description", "vpc_id"],
  aws_lb: ["name", "name_prefix", "internal", "load_balancer_type"],
  aws_alb: ["name", "name_prefix", "internal", "load_balancer_type"],
  aws_lb_target_group: ["name", "name_prefix", "port", "protocol", "vpc_id", "target_type"],
  aws_alb_target_group: ["name", "name_prefix", "port", "protocol", "vpc_id", "target_type"],
  aws_lb_listener: ["load_balancer_arn"],
  aws_s3_bucket: ["bucket", "bucket_prefix"],
  aws_alb_listener: ["load_balancer_arn"],
};

function comparable(r: TfResource): string {
  const { "//": _meta, ...values } = r.values;
  // Key order carries no meaning (cdktf sorts keys on synth, other writers may not).
  return JSON.stringify(sortKeys(values));
}

const exposureKey = (e: { entry: string; port: string; sources: string; verdict: string }) => `${e.entry} · ${e.port} · ${e.sources} · ${e.verdict}`;

export function diffStacks(base: readonly StackReport[], head: readonly StackReport[]): StackDiff[] {
  const names = [...new Set([...base.map((s) => s.stack), ...head.map((s) => s.stack)])].sort();
  return names.map((name) => {
    const b = base.find((s) => s.stack === name);
    const h = head.find((s) => s.stack === name);
    const bRes = new Map((b?.model.resources ?? []).map((r) => [r.address, r]));
    const hRes = new Map((h?.model.resources ?? []).map((r) => [r.address, r]));
    const added = [...hRes.keys()].filter((a) => !bRes.has(a)).sort();
    const removed = [...bRes.keys()].filter((a) => !hRes.has(a)).sort();
    const changed = [...hRes.keys()].filter((a) => bRes.has(a) && comparable(bRes.get(a)!) !== comparable(hRes.get(a)!)).sort();
    const bExp = new Set((b?.exposures ?? []).map(exposureKey));
    const hExp = new Set((h?.exposures ?? []).map(exposureKey));
    const destructive = removed.filter((a) => EDGE_TYPES.has(bRes.get(a)!.type));
    const replaced = changed
      .map((address) => {
        const before = bRes.get(address)!;
        const after = hRes.get(address)!;
        const attributes = (FORCES_REPLACEMENT[after.type] ?? []).filter((k) => JSON.stringify(sortKeys(before.values[k])) !== JSON.stringify(sortKeys(after.values[k])));
        return { address, attributes };
      })
      .filter((x) => x.attributes.length > 0);
    const settings = changedSettings(b?.model, h?.model);
    const status = !b ? "added" : !h ? "removed" : added.length + removed.length + changed.length + settings.length > 0 ? "changed" : "unchanged";
    return {
      stack: name,
      status,
      added,
      removed,
      changed,
      exposuresAdded: [...hExp].filter((e) => !bExp.has(e)).sort(),
      exposuresRemoved: [...bExp].filter((e) => !hExp.has(e)).sort(),
      destructive,
      replaced,
      settings,
      sources: Object.fromEntries(
        [...added, ...removed, ...changed].sort().flatMap((a) => {
          const s = recordedSource(hRes.get(a) ?? bRes.get(a));
          return s ? [[a, s]] : [];
        }),
      ),
      ...(b && h && authChange(b.auth, h.auth) ? { auth: authChange(b.auth, h.auth) } : {}),
      ...(b && h && entryChange(b.model.contract.entry, h.model.contract.entry) ? { entry: entryChange(b.model.contract.entry, h.model.contract.entry) } : {}),
    };
  });
}

/** From a plan's own actions: edge resources it destroys or replaces (no base needed). */
export function plannedDestruction(model: ExposureModel): Array<{ readonly address: string; readonly action: "destroyed" | "replaced" }> {
  return (model.plannedChanges ?? [])
    .filter((c) => EDGE_TYPES.has(c.type) && c.actions.includes("delete"))
    .map((c) => ({ address: c.address, action: c.actions.includes("create") ? ("replaced" as const) : ("destroyed" as const) }));
}
