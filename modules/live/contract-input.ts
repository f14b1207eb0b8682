/**
 * `--contract`: a stack (a cdktf.out directory, a stack directory, a `cdk.tf.json`) or the JSON of
 * `terraform output -json mimir_port_contract`. A stack is also what verify compares the live state with.
 */
import { existsSync, statSync } from "node:fs";
import { basename } from "node:path";
import { loadStacks } from "../exposure/load";
import { CONTRACT_OUTPUT, contractFrom, InputError, type ContractInfo, type StackDocument } from "../exposure/terraform-json";
import { isPlainObject } from "../shared/objects";
import type { ProbeClass } from "./probe-classes";
import { readJson as readJsonFile } from "../exposure/load";

export interface ContractInput {
  readonly contract: ContractInfo;
  /** The stack to compare with; absent when only the contract output was given. */
  readonly stack?: StackDocument;
  /** The entry's authentication mode as the output states it (`auth.mode`: mtls, oidc, basic, none). */
  readonly authMode?: string;
  /** The client classes as the output lists them (`auth.classes`: name, mode, groups); undefined when it lists none. */
  readonly classes?: readonly ProbeClass[];
}

function classesOf(value: unknown): ProbeClass[] | undefined {
  const list = isPlainObject(value) && isPlainObject(value.auth) ? value.auth.classes : undefined;
  if (!Array.isArray(list)) return undefined;
  return list.filter(isPlainObject).map((c) => ({ name: String(c.name), mode: String(c.mode), groups: Array.isArray(c.groups) ? c.groups.map(String) : [] }));
}

const authModeOf = (value: unknown): string | undefined => (isPlainObject(value) && isPlainObject(value.auth) && typeof value.auth.mode === "string" ? value.auth.mode : undefined);

const EXPECTED = `a cdktf.out stack directory, a cdk.tf.json or the JSON of \`terraform output -json ${CONTRACT_OUTPUT}\``;

/** Every problem with --contract names the flag, the path and what it should be. */
export function readContractInput(path: string, stackName?: string): ContractInput {
  try {
    return readContract(path, stackName);
  } catch (err) {
    if (!(err instanceof InputError) || err.message.startsWith("--contract ")) throw err;
    const text = (err.message.startsWith(`${path}: `) ? err.message.slice(path.length + 2) : err.message).replace(/; expected JSON$/, "");
    throw new InputError(`--contract ${path}: ${text}${/; expected [^;]*$/.test(text) ? "" : `; expected ${EXPECTED}`}`);
  }
}

function readContract(path: string, stackName?: string): ContractInput {
  if (!existsSync(path)) throw new InputError(`--contract ${path}: no such file or directory; expected ${EXPECTED}`);
  const isStack = statSync(path).isDirectory() || basename(path) === "cdk.tf.json" || looksLikeTerraform(readJsonFile(path, "JSON"));
  if (!isStack) {
    if (stackName !== undefined) throw new InputError(`--contract ${path}: --stack ${stackName} picks a stack of a cdktf.out, but this is the contract output of one environment; drop --stack, or pass the cdktf.out`);
    const json = readJsonFile(path, `the JSON of \`terraform output -json ${CONTRACT_OUTPUT}\``);
    const contract = contractFrom(json, "plan");
    if (!contract.declared) throw new InputError(`--contract ${path}: no contract in it (expected {"ports": {"http": …, "grpc": …, "memberlist": …}}, the output of \`terraform output -json ${CONTRACT_OUTPUT}\`)`);
    return { contract: { ...contract, from: path }, authMode: authModeOf(json), classes: classesOf(json) };
  }
  const stacks = loadStacks(path).filter((s) => s.contract.declared && (stackName === undefined || s.stack === stackName));
  if (stacks.length === 0) throw new InputError(`--contract ${path}: ${stackName ? `no stack ${stackName} with` : "no stack has"} a ${CONTRACT_OUTPUT} output`);
  if (stacks.length > 1) throw new InputError(`--contract ${path}: ${stacks.length} stacks (${stacks.map((s) => s.stack).join(", ")}); name the one deployed in this environment with --stack NAME, or pass its stack directory`);
  const output = stacks[0].settings?.output as Record<string, { value?: unknown }> | undefined;
  return { contract: stacks[0].contract, stack: stacks[0], authMode: authModeOf(output?.[CONTRACT_OUTPUT]?.value), classes: classesOf(output?.[CONTRACT_OUTPUT]?.value) };
}

function looksLikeTerraform(json: unknown): boolean {
  return isPlainObject(json) && (isPlainObject(json.resource) || isPlainObject(json.output) || "planned_values" in json);
}
