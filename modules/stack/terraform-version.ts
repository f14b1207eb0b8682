/**
 * The Terraform features a MimirStack's output uses, each with the first
 * Terraform version that has it. `required_version` is the newest of those in
 * use, so an older Terraform stops at `init` with a clear message instead of
 * misreading the configuration (an older Terraform would ignore
 * `use_lockfile` and run without a state lock).
 */
export const TERRAFORM_FEATURES = {
  /** `lifecycle { postcondition }` (the storage role's ARN check). */
  postconditions: "1.2.0",
  /** S3 backend `use_lockfile`: native state locking, no DynamoDB table. */
  s3NativeLocking: "1.10.0",
} as const;

const compare = (a: string, b: string) => {
  const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
};

/** `required_version` for a stack: `>= ` the newest feature it uses. */
export function requiredTerraformVersion(used: { readonly nativeLocking: boolean }): string {
  const versions: string[] = [TERRAFORM_FEATURES.postconditions, ...(used.nativeLocking ? [TERRAFORM_FEATURES.s3NativeLocking] : [])];
  return `>= ${versions.sort(compare)[versions.length - 1]}`;
}
