import { InputError } from "../exposure/terraform-json";
import type { ApiObject, Missing } from "./live-state";

/** Live reading (`--kube-context`) is not in this version: the offline files are (`verify --print-commands`). */
export async function readKubeLive(context: string): Promise<{ objects: ApiObject[]; missing: Missing[] }> {
  throw new InputError(`--kube-context ${context}: reading the cluster directly is not available yet; run the commands of \`mimir-ports verify --print-commands --kube-context ${context}\` and pass the files with --kube`);
}
