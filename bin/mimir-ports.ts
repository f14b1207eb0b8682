#!/usr/bin/env node
/**
 * mimir-ports: the project's command line.
 *
 *   mimir-ports values --env prod [--environments envs.json]   chart values as YAML
 *   mimir-ports check <cdktf.out | plan.json> [--fail-on error] contract policy, exit 0/1/2
 *   mimir-ports review --head <dir|plan> [--base ...] [--format markdown|json|sarif] [--out file]
 */
import "../modules/cli/fast-start"; // first: see the file
import { commands } from "../modules/cli/commands";
import { runCli, UserError } from "../modules/cli/run";

const [name, ...rest] = process.argv.slice(2);
void runCli(async () => {
  const command = name ? commands[name] : undefined;
  if (!command) {
    throw new UserError(`${name ? `unknown command "${name}"` : "no command given"}; use one of: ${Object.keys(commands).join(", ")} (e.g. mimir-ports values --env prod)`);
  }
  return command(rest);
}, "mimir-ports");
