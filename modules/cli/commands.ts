import { checkCommand } from "./check-command";
import { initCommand } from "./init/init-command";
import { prReviewCommand } from "./pr-review-command";
import { reviewCommand } from "./review-command";
import { synthProjectCommand } from "./synth-project-command";
import { valuesCommand } from "./values-command";
import { verifyCommand } from "./verify-command";

export type Command = (args: string[]) => Promise<number> | number;

export const commands: Record<string, Command> = {
  values: valuesCommand,
  check: checkCommand,
  review: reviewCommand,
  "pr-review": prReviewCommand,
  synth: synthProjectCommand,
  init: initCommand,
  verify: verifyCommand,
};
