import { buildModel, type ExposureModel } from "../exposure/model";
import { loadStacks } from "../exposure/load";
import { InputError } from "../exposure/terraform-json";
import { UserError } from "./run";

/** Load and model every stack of an input; unreadable input is a one-line error, exit 2. */
export function load(input: string): ExposureModel[] {
  try {
    return loadStacks(input).map(buildModel);
  } catch (err) {
    if (err instanceof InputError) throw new UserError(err.message, 2);
    throw err;
  }
}
