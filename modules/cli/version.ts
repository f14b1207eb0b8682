import { readFileSync } from "node:fs";
import { join } from "node:path";

/** This package's version (from package.json, found from both the sources and dist/). */
export function packageVersion(): string {
  for (const up of ["../..", "../../.."]) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, up, "package.json"), "utf8"));
      if (pkg.name === "mimir-port-contract") return String(pkg.version);
    } catch {
      // try the next candidate
    }
  }
  return "0.0.0";
}
