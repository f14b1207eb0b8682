import { readFileSync } from "node:fs";
import { InputError } from "../exposure/terraform-json";

/** A JSON file the user named; unreadable or invalid JSON is a one-line InputError naming the file. */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new InputError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); expected ${what}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${(err as Error).message.replace(/\s+/g, " ").slice(0, 120)}); expected ${what}`);
  }
}
