/**
 * The policy over a stack that references a Mimir stack's resources: its
 * findings are those of the joined document (../exposure/cross-stack.ts) that
 * are on the consumer's resources, or that the producer alone does not have
 * (a consumer's resource can open a path whose finding lands on Mimir's).
 */
import { joinCrossStack } from "../exposure/cross-stack";
import { buildModel, type ExposureModel } from "../exposure/model";
import type { StackDocument } from "../exposure/terraform-json";
import { evaluate } from "./evaluate";
import type { Finding } from "./types";

const key = (f: Finding) => `${f.ruleId}\u0000${f.address}\u0000${f.message}`;

export function evaluateReferencing(consumer: StackDocument, producer: StackDocument, producerFindings?: readonly Finding[]): { model: ExposureModel; findings: Finding[] } {
  const joined = joinCrossStack(consumer, producer);
  const model = buildModel(joined.doc);
  const own = new Set((producerFindings ?? evaluate(buildModel(producer))).map(key));
  return { model, findings: evaluate(model).filter((f) => joined.consumerAddresses.has(f.address) || !own.has(key(f))) };
}
