import { readFileSync } from "node:fs";
import { buildModel, type ExposureModel } from "../exposure/model";
import { loadStacks } from "../exposure/load";
import { CONTRACT_OUTPUT, contractFrom, InputError, type StackDocument } from "../exposure/terraform-json";
import { isPlainObject } from "../shared/objects";
import { evaluate, failing, formatFinding, formatRefusal } from "../policy/evaluate";
import { evaluateReferencing } from "../policy/cross-stack";
import { readsFrom } from "../exposure/cross-stack";
import type { Finding } from "../policy/types";
import { SEVERITIES, type Severity } from "../policy/types";
import { parseCliArgs, UserError } from "./run";

const USAGE = "usage: mimir-ports check <cdktf.out|plan.json> [--contract FILE] [--fail-on critical|error|warning|note]";

/**
 * `mimir-ports check <cdktf.out | stack dir | plan.json> [--contract FILE] [--fail-on error]`:
 * the synth-time rules over files, on the same reachability graph. Exit 0
 * clean, 1 findings at or above --fail-on, 2 unreadable input or no contract
 * (a plan without the `mimir_port_contract` output needs --contract FILE:
 * check never guesses Mimir's ports).
 */
export async function checkCommand(args: string[]): Promise<number> {
  const parsed = parseCliArgs({ args, options: { "fail-on": { type: "string", default: "error" }, contract: { type: "string" } }, allowPositionals: true }, USAGE);
  const threshold = parseSeverity(parsed.values["fail-on"] as string);
  if (parsed.positionals.length !== 1) throw new UserError("check: give exactly one input: a cdktf.out directory, a stack directory or a plan JSON file");
  const contractFile = parsed.values.contract as string | undefined;
  const checked = loadWithContract(parsed.positionals[0], contractFile);
  let failed = 0;
  for (const { model, findings } of checked) {
    const bad = failing(findings, threshold);
    failed += bad.length;
    const acked = findings.filter((f) => f.acknowledged).length;
    const from = model.contract.from ? ` (contract from ${model.contract.from})` : "";
    process.stdout.write(`${model.stack}: ${findings.length - acked} finding(s), ${bad.length} at or above ${threshold}, ${acked} acknowledged${from}\n`);
    const refused = new Set(bad);
    for (const f of findings) process.stdout.write(`  ${f.acknowledged ? `[acknowledged: ${f.acknowledged.reason}] ` : ""}${refused.has(f) ? formatRefusal(f) : formatFinding(f)}\n`);
  }
  return failed > 0 ? 1 : 0;
}

/**
 * Every stack with a contract: its own, or --contract FILE's; a stack without one that reads a
 * contract stack through cdktf cross-stack references is judged joined into it (as synth does);
 * none is a usage error (exit 2).
 */
function loadWithContract(input: string, contractFile: string | undefined): Array<{ model: ExposureModel; findings: Finding[] }> {
  try {
    const given = contractFile === undefined ? undefined : readContract(contractFile);
    const loaded = loadStacks(input);
    const producers = loaded.filter((d) => d.contract.declared);
    const referencing = new Map(loaded.filter((d) => !d.contract.declared).map((d) => [d, producers.filter((p) => readsFrom(d, p))] as const).filter(([, ps]) => ps.length > 0));
    const docs: StackDocument[] = loaded.filter((d) => !referencing.has(d)).map((d) => (d.contract.declared || !given ? d : { ...d, contract: { ...given, from: contractFile } }));
    // A synthesized stack with no contract and nothing of Mimir's in it is another stack of the app: skipped, said so.
    const unrelated = new Set(docs.filter((d) => !d.contract.declared && d.format === "cdktf" && !d.resources.some((r) => /mimir/i.test(JSON.stringify(r.values)))));
    for (const d of unrelated) process.stdout.write(`${d.stack}: no ${CONTRACT_OUTPUT} output and no Mimir resources: not checked\n`);
    const missing = docs.filter((d) => !d.contract.declared && !unrelated.has(d));
    if (missing.length > 0) {
      throw new UserError(`${missing.map((d) => d.stack).join(", ")}: no ${CONTRACT_OUTPUT} output, so Mimir's ports are not known; pass --contract FILE (the output's value as JSON, or a cdk.tf.json that has it)`, 2);
    }
    const own = docs.filter((d) => !unrelated.has(d)).map((d) => {
      const model = buildModel(d);
      return { doc: d, model, findings: evaluate(model) };
    });
    const joined = [...referencing].flatMap(([consumer, ps]) =>
      ps.map((p) => evaluateReferencing(consumer, p, own.find((o) => o.doc === p)?.findings)),
    );
    return [...own.map(({ model, findings }) => ({ model, findings })), ...joined];
  } catch (err) {
    if (err instanceof InputError) throw new UserError(err.message, 2);
    throw err;
  }
}

function readContract(file: string) {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new UserError(`--contract ${file}: not readable JSON (${String((err as Error).message).split("\n")[0].slice(0, 120)})`, 2);
  }
  // Accept the output's value, a whole cdk.tf.json, or a plan.
  const j = json as Record<string, any>;
  const output = j?.output as Record<string, any> | undefined;
  const planned = j?.planned_values as Record<string, any> | undefined;
  const value = isPlainObject(output) ? (output as Record<string, any>)[CONTRACT_OUTPUT]?.value : isPlainObject(planned) ? (planned as Record<string, any>).outputs?.[CONTRACT_OUTPUT]?.value : j;
  const contract = contractFrom(value, isPlainObject(j?.output) ? "cdktf" : "plan");
  if (!contract.declared) throw new UserError(`--contract ${file}: no contract in it (expected {"ports": {"http": …, "grpc": …, "memberlist": …}})`, 2);
  return contract;
}

export function parseSeverity(value: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(value)) throw new UserError(`--fail-on ${JSON.stringify(value)} is not a severity; use one of ${SEVERITIES.join(", ")}`);
  return value as Severity;
}
