/**
 * The seam to cdktf: every import of it in this library goes through this file,
 * so moving to CDK Terrain (cdktn) or another provider build is a change here only (README, "Dependency watch").
 */
export { App, Fn, Lazy, LocalBackend, S3Backend, TerraformOutput, TerraformResource, TerraformStack, TerraformVariable, Testing, Token } from "cdktf";
export type { ITerraformDependable } from "cdktf";
// Custom synthesis (called by cdktf's stack synthesizer whether or not validation is skipped): the contract policy's refusal guard.
export { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
