/**
 * The seam to @cdktf/provider-kubernetes: every import of it in this library goes through this file,
 * so moving to CDK Terrain (cdktn) or another provider build is a change here only (docs/library.md, "CDK Terrain").
 * Provider classes are re-exported from their deep paths: a barrel import costs seconds per run.
 */
export { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
export { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
export { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
export { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
export { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
export { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
// The StatefulSet without its 4.8 MB class (see the file).
export { StatefulSetV1Json } from "./kubernetes-stateful-set";

import type * as Ingress from "@cdktf/provider-kubernetes/lib/ingress-v1";
export type IngressV1 = Ingress.IngressV1;
/** The Ingress class, loaded on first use: only the legacy `ingress` entry writes one, so its 300 KB module stays unloaded otherwise. */
export function ingressV1Class(): typeof Ingress.IngressV1 {
  return (require("@cdktf/provider-kubernetes/lib/ingress-v1") as typeof Ingress).IngressV1;
}
