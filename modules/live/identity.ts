/** A live object as its API names it, and the Terraform-shaped address verify gives it. */
import type { ApiObject } from "./live-state";

export interface LiveIdentity {
  /** `Service mimir/debug-lb`, `SecurityGroupRule sgr-0abc (sg-0def)`, `LoadBalancer k8s-mimir-debuglb-0123456789`. */
  readonly text: string;
  /** The API's kind (`Service`, `SecurityGroupRule`, `LoadBalancer`, ...). */
  readonly kind: string;
  /** `namespace/name`, a name, or an id. */
  readonly id: string;
}

/** `kubernetes_manifest.live["Service/mimir/debug-lb"]`: the live id in a Terraform-shaped address. */
export const liveAddress = (type: string, id: string): string => `${type}.live[${JSON.stringify(id)}]`;

export function kubeIdentity(o: ApiObject): LiveIdentity {
  const ns = o.metadata?.namespace;
  const id = ns ? `${ns}/${String(o.metadata?.name)}` : String(o.metadata?.name);
  return { kind: String(o.kind), id, text: `${String(o.kind)} ${id}` };
}
