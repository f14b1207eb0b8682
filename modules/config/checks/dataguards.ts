import type { ProblemList } from "../../contract/problems";
import type { ParsedEnvironment } from "../schema";

/** What an environment is for (see `stage` in schema.ts). */
export type Stage = "dev" | "staging" | "production";

/** The stage an environment gets: its own, or production when productionLike, else staging (the stricter default). */
export function stageOf(e: Pick<ParsedEnvironment, "stage" | "productionLike">): Stage {
  return e.stage ?? (e.productionLike ? "production" : "staging");
}

/** The shell command that prints an object's newest version id (for fixes and docs). */
function versionCommand(o: { bucket: string; key: string }): string {
  return `aws s3api head-object --bucket ${o.bucket} --key ${o.key} --query VersionId`;
}

/**
 * Guards against the mistakes that cost data or hit the wrong target
 * (issue 21, items 4, 5 and 7). Adds problems and returns warnings:
 *  - trust material pinned by S3 object version (required when productionLike);
 *  - the account id (allowed_account_ids) required when productionLike;
 *  - an explicit kube context in every stage when the stack's inputs are given (Terraform variables are checked
 *    by their own validation);
 *  - staging-like environments without access logs or deletion protection;
 *  - existing buckets, whose versioning the stack cannot see.
 */
export function dataGuardProblems(problems: ProblemList, e: ParsedEnvironment, deletionProtection: boolean): string[] {
  const warnings: string[] = [];
  const stage = stageOf(e);
  if (e.productionLike && e.stage !== undefined && e.stage !== "production") {
    problems.add("stage", e.stage, "contradicts productionLike: true", "remove stage (productionLike means production), or set productionLike false");
  }
  if (e.stage === "production" && !e.productionLike) {
    problems.add("stage", "production", "needs productionLike: true (deletion protection, required authentication and storage follow from it)", "set productionLike: true, or stage staging");
  }

  // Item 4: rotating trust material is pinned by version, so a new upload shows up as a plan change.
  // The environment's auth, or each client class's (issue 27).
  const auths = [...(e.auth ? [{ at: "auth", auth: e.auth }] : []), ...(e.clients ?? []).map((c, i) => ({ at: `clients[${i}].auth`, auth: c.auth }))];
  for (const { at, auth } of auths) {
    if (auth.mode !== "mtls") continue;
    const pinned = [...(auth.caBundle ? [{ field: `${at}.caBundle.objectVersion`, object: auth.caBundle }] : []), ...auth.revocations.map((object, i) => ({ field: `${at}.revocations[${i}].objectVersion`, object }))];
    for (const { field, object } of pinned) {
      if (object.objectVersion !== undefined) continue;
      const why = "is missing: without a version the trust store keeps whatever it read at creation, so a new CA bundle or revocation list uploaded to S3 is never picked up and a pull request shows no change";
      if (e.productionLike) problems.add(field, undefined, why, `set it to the object's S3 version id (${versionCommand(object)}); the bucket must have versioning on`);
      else warnings.push(`${field} ${why}. Set it to the version id (${versionCommand(object)}).`);
    }
  }

  // Item 7: the account Terraform may touch, and the cluster it talks to.
  if (e.accountId === undefined) {
    if (e.productionLike) problems.add("accountId", undefined, "is required in a production-like environment: it becomes the AWS provider's allowed_account_ids, so credentials of another account are refused before any change", "set accountId to the 12-digit id of the account this environment deploys to, e.g. \"111122223333\"");
    else if (stage !== "dev") warnings.push("accountId is not set: Terraform would plan and apply in whatever account the credentials belong to. Set accountId (12 digits) to pin allowed_account_ids.");
  }

  if (stage !== "dev") {
    if (e.loadBalancer.accessLogsBucket === undefined) warnings.push(`loadBalancer.accessLogsBucket is not set in a ${stage} environment: requests to the load balancer leave no record. Name an S3 bucket for access logs.`);
    if (!deletionProtection) warnings.push(`loadBalancer.deletionProtection is off in a ${stage} environment: one mistaken apply deletes the load balancer and its DNS name. Set loadBalancer.deletionProtection true.`);
  }
  if (e.storage && e.storage.createBuckets === false) {
    warnings.push("storage.createBuckets is false: the stack does not manage the buckets' versioning or lifecycle, so objects Mimir deletes are recoverable only if you turned versioning on yourself.");
  }
  return warnings;
}

/**
 * The kube context the providers use, checked: the environment's `kubeContext`, or the one in the stack's
 * inputs. In every stage (dev too) an empty one (the kubeconfig's current context, whatever that is at apply
 * time) is refused. `undefined` when the inputs come from Terraform variables and the environment names none.
 */
export function kubeContextProblems(problems: ProblemList, e: { readonly kubeContext?: string; readonly stage: Stage }, inputsContext: string | undefined): void {
  if (e.kubeContext !== undefined && inputsContext !== undefined && inputsContext !== "" && inputsContext !== e.kubeContext) {
    problems.add("kubeContext", e.kubeContext, `differs from the stack's inputs.kubeContext ${JSON.stringify(inputsContext)}`, "name the context once: in the environment, or in the inputs");
  }
  if (e.kubeContext === undefined && inputsContext !== undefined && inputsContext.trim() === "") {
    problems.add("kubeContext", inputsContext, `is empty in a ${e.stage} environment: the providers would use the kubeconfig's current context, whichever cluster that is at apply time`, "set kubeContext in the environment (or inputs.kubeContext) to the context of this environment's cluster (kubectl config get-contexts); every stage, dev too, names its cluster");
  }
}
