/**
 * The stack and the live state, one document for the graph: the stack's resources (bound to their live
 * ids; drifted ones replaced by what is live) plus every live object no resource declares. Without a
 * stack, every live object is read as it is.
 */
import type { ContractInfo, StackDocument, TfResource } from "../exposure/terraform-json";
import type { LiveState } from "./live-state";
import type { Provenance } from "./provenance";
import { reconcileAws } from "./reconcile-aws";
import { reconcileKube, stackKube } from "./reconcile-kube";

export interface Reconciled {
  readonly doc: StackDocument;
  /** Address in the model → where it comes from (only live objects: out-of-band, drift, or live). */
  readonly provenance: ReadonlyMap<string, Provenance>;
}

export function reconcile(stack: StackDocument | undefined, contract: ContractInfo, live: LiveState): Reconciled {
  const resources = stack?.resources ?? [];
  const kube = reconcileKube(live.kube, stack ? stackKube(resources) : undefined);
  const aws = live.aws ? reconcileAws(live.aws, resources, live.kube, contract.securityGroups ?? [], stack !== undefined) : undefined;
  const provenance = new Map<string, Provenance>([...kube.provenance, ...(aws?.provenance ?? [])]);
  // The controller's load balancers are their Service's or Ingress's: say so on that object.
  for (const [k, notes] of aws?.madeFor ?? []) {
    const address = [...provenance.keys()].find((a) => a.endsWith(`[${JSON.stringify(k)}]`));
    const p = address ? provenance.get(address) : undefined;
    if (address && p) provenance.set(address, { ...p, notes: [...p.notes, ...notes] });
  }
  const merged: TfResource[] = resources.map((r) => {
    const replaced = kube.replaced.get(r.address);
    if (replaced) return { ...r, type: "kubernetes_manifest", values: replaced.resource.values };
    const values = aws?.bound.get(r.address);
    return values ? { ...r, values } : r;
  });
  merged.push(...kube.added.map((l) => l.resource), ...(aws?.added ?? []).map((l) => l.resource));
  const doc: StackDocument = {
    stack: stack?.stack ?? "live",
    file: stack?.file ?? live.from.join(", "),
    format: stack?.format ?? "plan",
    resources: merged,
    contract,
    ...(stack?.opaque ? { opaque: stack.opaque } : {}),
  };
  return { doc, provenance };
}
