import { load } from "./inputs";
import { evaluate, failing, formatFinding } from "../policy/evaluate";
import { SEVERITIES, type Severity } from "../policy/types";
import { parseCliArgs, UserError } from "./run";

/**
 * `mimir-ports check <cdktf.out | stack dir | plan.json> [--fail-on error]`:
 * the synth-time rules over files. Exit 0 clean, 1 findings at or above
 * --fail-on, 2 unreadable input.
 */
export async function checkCommand(args: string[]): Promise<number> {
  const parsed = parseCliArgs({ args, options: { "fail-on": { type: "string", default: "error" } }, allowPositionals: true }, "usage: mimir-ports check <cdktf.out|plan.json> [--fail-on critical|error|warning|note]");
  const threshold = parseSeverity(parsed.values["fail-on"] as string);
  if (parsed.positionals.length !== 1) throw new UserError("check: give exactly one input: a cdktf.out directory, a stack directory or a plan JSON file");
  const models = load(parsed.positionals[0]);
  let failed = 0;
  for (const model of models) {
    const findings = evaluate(model);
    const bad = failing(findings, threshold);
    failed += bad.length;
    const acked = findings.filter((f) => f.acknowledged).length;
    process.stdout.write(`${model.stack}: ${findings.length - acked} finding(s), ${bad.length} at or above ${threshold}, ${acked} acknowledged\n`);
    for (const f of findings) process.stdout.write(`  ${f.acknowledged ? `[acknowledged: ${f.acknowledged.reason}] ` : ""}${formatFinding(f)}\n`);
  }
  return failed > 0 ? 1 : 0;
}

export function parseSeverity(value: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(value)) throw new UserError(`--fail-on ${JSON.stringify(value)} is not a severity; use one of ${SEVERITIES.join(", ")}`);
  return value as Severity;
}
