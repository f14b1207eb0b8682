/** One stack in the review: its model, exposures, findings and entry authentication (the type every review module shares). */
import type { ExposureModel } from "../exposure/model";
import type { Finding } from "../policy/types";
import type { Exposure } from "./exposures";

export interface StackReport {
  readonly stack: string;
  readonly file: string;
  readonly model: ExposureModel;
  readonly exposures: readonly Exposure[];
  readonly findings: readonly Finding[];
  /** How the entry authenticates clients (empty: it does not), read from the resources. */
  readonly auth: readonly string[];
}
