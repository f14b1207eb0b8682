import { checkCommand } from "./check-command";
import { prReviewCommand } from "./pr-review-command";
import { reviewCommand } from "./review-command";
import { valuesCommand } from "./values-command";
import { verifyCommand } from "./verify-command";

export type Command = (args: string[]) => Promise<number> | number;

export const commands: Record<string, Command> = {
  values: valuesCommand,
  check: checkCommand,
  review: reviewCommand,
  "pr-review": prReviewCommand,
  verify: verifyCommand,
};
