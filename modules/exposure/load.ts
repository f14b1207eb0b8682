import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { isPlainObject } from "../shared/objects";
import { fromJson, InputError, type StackDocument } from "./terraform-json";

/** Paths in reports: relative to the working directory when inside it, with forward slashes. */
function displayPath(file: string): string {
  const abs = resolve(file);
  const rel = relative(process.cwd(), abs);
  const shown = rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
  return shown.split(sep).join("/");
}

/** A JSON file the user named: unreadable, empty or invalid JSON is a one-line InputError naming the file (and, given, what was expected). */
export function readJson(file: string, expected?: string): unknown {
  const hint = expected === undefined ? "" : `; expected ${expected}`;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new InputError(`${displayPath(file)}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})${hint}`);
  }
  if (text.trim() === "") throw new InputError(`${displayPath(file)}: empty file, expected ${expected ?? "Terraform JSON"}`);
  try {
    return JSON.parse(text);
  } catch (err) {
    // One line, whatever the file holds: JSON.parse quotes the input around the error.
    const why = (err as Error).message.replace(/\s+/g, " ").slice(0, 120);
    throw new InputError(`${displayPath(file)}: not valid JSON (${why})${hint}`);
  }
}

/**
 * Read what the user pointed at: a `cdktf.out` directory (its manifest.json,
 * or `stacks/<name>/cdk.tf.json`), one stack directory, one `cdk.tf.json`, or
 * a plan JSON file from `terraform show -json`.
 */
export function loadStacks(input: string): StackDocument[] {
  if (!existsSync(input)) throw new InputError(`${input}: no such file or directory (run \`npm run synth\` first, or pass a plan JSON)`);
  if (statSync(input).isFile()) {
    const json = readJson(input);
    const isStackFile = basename(input) === "cdk.tf.json";
    const name = isStackFile ? basename(dirname(resolve(input))) : basename(input).replace(/\.json$/, "");
    return [fromJson(name, displayPath(input), json)];
  }
  const manifestFile = join(input, "manifest.json");
  if (existsSync(manifestFile)) {
    const manifest = readJson(manifestFile);
    const stacks = isPlainObject(manifest) && isPlainObject(manifest.stacks) ? manifest.stacks : undefined;
    if (!stacks) throw new InputError(`${displayPath(manifestFile)}: not a cdktf manifest (no "stacks")`);
    return Object.keys(stacks)
      .sort()
      .map((name) => {
        const entry = stacks[name] as { synthesizedStackPath?: string };
        const file = join(input, entry.synthesizedStackPath ?? join("stacks", name, "cdk.tf.json"));
        return fromJson(name, displayPath(file), readJson(file));
      });
  }
  const stacksDir = join(input, "stacks");
  if (existsSync(stacksDir) && statSync(stacksDir).isDirectory()) {
    const names = readdirSync(stacksDir).filter((n) => existsSync(join(stacksDir, n, "cdk.tf.json"))).sort();
    if (names.length > 0) return names.map((n) => fromJson(n, displayPath(join(stacksDir, n, "cdk.tf.json")), readJson(join(stacksDir, n, "cdk.tf.json"))));
  }
  const single = join(input, "cdk.tf.json");
  if (existsSync(single)) return [fromJson(basename(resolve(input)), displayPath(single), readJson(single))];
  throw new InputError(`${input}: no stacks found (expected a cdktf.out directory with manifest.json, a stack directory with cdk.tf.json, or a plan JSON file)`);
}
