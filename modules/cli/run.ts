import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "../contract/problems";
import { refusalBlock, validationLines } from "./refusal";

/** A user-facing failure with a one-line (or few-line) message and an exit code; never a stack trace. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = "UserError";
  }
}

/** util.parseArgs, where an unknown or malformed flag is a one-line usage error (exit 2), not a crash. */
export function parseCliArgs<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new UserError(`${(err as Error).message.split("\n")[0]}; ${usage}`);
  }
}

/**
 * Run a CLI body: user mistakes print their message (one line per problem)
 * and exit non-zero; only real bugs show a stack trace.
 */
export async function runCli(main: () => Promise<number> | number, label: string): Promise<void> {
  // `mimir-ports check ... | head`: a closed pipe is the reader's choice, not a crash.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
  try {
    process.exitCode = await main();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${label}: ${err.problems.length} problem(s) in the configuration, nothing was written:\n`);
      for (const line of err.message.split("\n")) process.stderr.write(`  ${line}\n`);
      process.exitCode = 1;
    } else if (err instanceof Error && /^(App-level )?[Vv]alidation failed with the following errors:/.test(err.message)) {
      // cdktf's validation failure: our contract policy (or another validation) refused the stack.
      for (const line of refusalBlock(label, validationLines(err.message) ?? [])) process.stderr.write(`${line}\n`);
      process.exitCode = 1;
    } else if (err instanceof UserError) {
      process.stderr.write(`${label}: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      throw err;
    }
  }
}
