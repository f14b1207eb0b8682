/**
 * `--aws DIR`: one file per AWS CLI command (`--output json`), named after it:
 * `ec2-describe-security-groups.json`, ..., `elbv2-describe-rules*.json` (any
 * number of listeners; listeners likewise per load balancer), `elbv2-describe-target-health.<TargetGroupName>.json`.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { isPlainObject } from "../shared/objects";
import { InputError } from "../exposure/terraform-json";
import { AWS_READS, TARGET_HEALTH } from "./aws-commands";
import type { ApiObject, AwsState, Missing } from "./live-state";
import { readJson as readJsonFile } from "../exposure/load";

function listIn(json: unknown, field: string, file: string, command: string): ApiObject[] {
  if (!isPlainObject(json) || !Array.isArray(json[field])) throw new InputError(`${file}: no "${field}" list; expected the output of \`aws ${command} --output json\``);
  const list = json[field] as unknown[];
  const bad = list.findIndex((o) => !isPlainObject(o));
  // An entry verify cannot read is reported, never dropped.
  if (bad >= 0) throw new InputError(`${file}: ${field}[${bad}] is ${JSON.stringify(list[bad])?.slice(0, 40)}, not an object; expected the output of \`aws ${command} --output json\`, unedited`);
  return list as ApiObject[];
}

/** `--aws DIR` (repeatable: several directories' lists are read as one, e.g. another account's or a later read). */
export function readAwsDirs(dirs: readonly string[]): { aws: AwsState; missing: Missing[] } {
  for (const dir of dirs) if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`--aws ${dir}: no such directory; expected the files of \`mimir-ports verify --print-commands\``);
  const files = dirs.flatMap((dir) => readdirSync(dir).sort().map((n) => ({ n, path: join(dir, n) })));
  const dir = dirs.join(", ");
  const missing: Missing[] = [];
  const state: Record<string, unknown> = {};
  for (const read of AWS_READS) {
    // describe-listeners and describe-rules take one load balancer or listener: one file each (`elbv2-describe-rules.<anything>.json`).
    const found = files.filter(({ n }) => n === `${read.file}.json` || (read.perParent && n.startsWith(`${read.file}.`) && n.endsWith(".json")));
    if (found.length === 0) {
      if (!read.optional) missing.push({ source: `--aws ${dir}: ${read.file}${read.perParent ? "[.<name>]" : ""}.json`, shows: read.shows });
      continue;
    }
    state[read.key] = found.flatMap(({ path }) => listIn(readJsonFile(path, `the output of \`aws ${read.command} --output json\``), read.field, path, read.command));
  }
  const health: Record<string, ApiObject[]> = {};
  const prefix = `${TARGET_HEALTH.file}.`;
  for (const { n, path } of files.filter(({ n }) => n.startsWith(prefix) && n.endsWith(".json"))) {
    health[n.slice(prefix.length, -".json".length)] = listIn(readJsonFile(path, `the output of \`aws ${TARGET_HEALTH.command} --output json\``), TARGET_HEALTH.field, path, TARGET_HEALTH.command);
  }
  for (const tg of (state.targetGroups as ApiObject[] | undefined) ?? []) {
    const name = String(tg.TargetGroupName ?? "");
    if (!(name in health)) missing.push({ source: `--aws ${dir}: ${prefix}${name}.json`, shows: `${TARGET_HEALTH.shows} ${name} (which pods, instances or Lambdas it sends traffic to)` });
  }
  return { aws: { ...state, targetHealth: health } as AwsState, missing };
}
