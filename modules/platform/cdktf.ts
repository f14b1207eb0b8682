/**
 * The seam to cdktf: every import of it in this library goes through this file,
 * so moving to CDK Terrain (cdktn) or another provider build is a change here only (docs/library.md, "CDK Terrain").
 */
import { deferTokenTraces } from "./token-traces";

// Loading the library makes cdktf's token creation stacks format on first use, not at creation (see the file).
deferTokenTraces();

export { App, Fn, Lazy, LocalBackend, S3Backend, TerraformOutput, TerraformResource, TerraformStack, TerraformVariable, Testing, Token } from "cdktf";
export type { ITerraformDependable } from "cdktf";
// Custom synthesis (called by cdktf's stack synthesizer whether or not validation is skipped): the contract policy's refusal guard.
export { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
