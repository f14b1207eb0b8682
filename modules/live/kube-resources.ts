/**
 * Kubernetes objects as the graph reads them: each live object becomes a
 * `kubernetes_manifest` whose manifest is the object itself (the k8s readers
 * read the API's camelCase shape), addressed by its kind, namespace and name.
 */
import type { TfResource } from "../exposure/terraform-json";
import { kubeIdentity, liveAddress, type LiveIdentity } from "./identity";
import type { ApiObject } from "./live-state";

export interface LiveResource {
  readonly resource: TfResource;
  readonly identity: LiveIdentity;
}

export function kubeResource(o: ApiObject): LiveResource {
  const identity = kubeIdentity(o);
  const { managedFields: _m, ...metadata } = o.metadata ?? {};
  const address = liveAddress("kubernetes_manifest", `${identity.kind}/${identity.id}`);
  return { identity, resource: { address, type: "kubernetes_manifest", name: address.slice("kubernetes_manifest.".length), values: { manifest: { ...o, metadata } } } };
}

/** Objects a controller makes from another object the graph reads already (the owner stands for them). */
export function ownedByController(o: ApiObject): boolean {
  const owners: ApiObject[] = Array.isArray(o.metadata?.ownerReferences) ? o.metadata.ownerReferences : [];
  if (owners.some((x) => x.controller === true)) return true;
  const labels: Record<string, string> = o.metadata?.labels ?? {};
  // EndpointSlices the EndpointSlice controller keeps for a Service's selector.
  if (o.kind === "EndpointSlice" && labels["endpointslice.kubernetes.io/managed-by"] === "endpointslice-controller.k8s.io") return true;
  // TargetGroupBindings the AWS Load Balancer Controller makes for a Service or Ingress it reconciles.
  if (o.kind === "TargetGroupBinding" && Object.keys(labels).some((k) => k.startsWith("service.k8s.aws/") || k.startsWith("ingress.k8s.aws/"))) return true;
  return false;
}

/**
 * Kinds that are context, not paths: nodes and namespaces place pods and ENIs; ReferenceGrants only
 * permit cross-namespace references, which the graph already follows as if permitted (never safer).
 */
export const CONTEXT_KINDS = new Set(["Node", "Namespace", "ReferenceGrant"]);
