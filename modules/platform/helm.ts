/**
 * The seam to @cdktf/provider-helm: every import of it in this library goes through this file,
 * so moving to CDK Terrain (cdktn) or another provider build is a change here only (docs/library.md, "CDK Terrain").
 * Provider classes are re-exported from their deep paths: a barrel import costs seconds per run.
 */
export { HelmProvider } from "@cdktf/provider-helm/lib/provider";
export { Release } from "@cdktf/provider-helm/lib/release";
