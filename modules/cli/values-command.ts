import { defineEnvironments } from "../config/environment";
import { mimirValuesYaml } from "../helm/values";
import { loadEnvironments } from "./load-environments";
import { parseCliArgs, UserError } from "./run";

/** `mimir-ports values --env prod`: the mimir-distributed values for one environment, as YAML on stdout. */
export async function valuesCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs({ args, options: { env: { type: "string" }, environments: { type: "string" } }, allowPositionals: false }, "usage: mimir-ports values --env <name> [--environments file]");
  // Default: the app's own main.ts, which exports `environments` (as this repo's does).
  const inputs = await loadEnvironments(values.environments ?? "main.ts");
  const envs = defineEnvironments(inputs);
  if (!values.env) throw new UserError(`values: --env is required; one of: ${envs.map((e) => e.name).join(", ")}`);
  const env = envs.find((e) => e.name === values.env);
  if (!env) throw new UserError(`values: no environment "${values.env}"; one of: ${envs.map((e) => e.name).join(", ")}`);
  process.stdout.write(mimirValuesYaml(env));
  return 0;
}
