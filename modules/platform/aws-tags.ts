/**
 * Which AWS resource types carry the provider's `default_tags` (they have a
 * computed `tags_all`), read from the installed @cdktf/provider-aws bindings
 * (`lib/<type>/index.d.ts` declares `get tagsAll()`), so a provider upgrade
 * needs no table here. `undefined` when the bindings are not installed or do
 * not know the type: the caller must then assume the type is tagged.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

let libDir: string | null | undefined;
const known = new Map<string, boolean | undefined>();

function providerLib(): string | undefined {
  if (libDir === undefined) {
    try {
      libDir = join(dirname(require.resolve("@cdktf/provider-aws/package.json")), "lib");
    } catch {
      libDir = null;
    }
  }
  return libDir ?? undefined;
}

/** Does `aws_<type>` carry the provider's default tags? */
export function awsTypeTakesDefaultTags(type: string): boolean | undefined {
  if (!type.startsWith("aws_")) return false;
  if (known.has(type)) return known.get(type);
  const lib = providerLib();
  const file = lib ? join(lib, type.slice(4).replace(/_/g, "-"), "index.d.ts") : undefined;
  const answer = file && existsSync(file) ? /\bget tagsAll\(\)/.test(readFileSync(file, "utf8")) : undefined;
  known.set(type, answer);
  return answer;
}
