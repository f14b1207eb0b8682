import { readFileSync } from "node:fs";

/** A reader that reads each file once (undefined when it cannot be read): source lines for locations. */
export function textReader(): (file: string) => string | undefined {
  const texts = new Map<string, string | undefined>();
  return (file) => {
    if (!texts.has(file)) {
      try {
        texts.set(file, readFileSync(file, "utf8"));
      } catch {
        texts.set(file, undefined);
      }
    }
    return texts.get(file);
  };
}
