import { InputError } from "../exposure/terraform-json";
import type { AwsState, Missing } from "./live-state";

/** Live reading (`--region`) is not in this version: the offline files are (`verify --print-commands`). */
export async function readAwsLive(region: string): Promise<{ aws: AwsState; missing: Missing[] }> {
  throw new InputError(`--region ${region}: reading AWS directly is not available yet; run the commands of \`mimir-ports verify --print-commands --region ${region}\` and pass the directory with --aws`);
}
