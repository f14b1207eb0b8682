import { readFileSync } from "node:fs";
import { join } from "node:path";

/** This package's root directory and package.json (found from both the sources and dist/). */
export function packageRoot(): { dir: string; pkg: Record<string, any> } | undefined {
  for (const up of ["../..", "../../.."]) {
    try {
      const dir = join(__dirname, up);
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      if (pkg.name === "mimir-port-contract") return { dir, pkg };
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

/** This package's version (from package.json, found from both the sources and dist/). */
export function packageVersion(): string {
  return String(packageRoot()?.pkg.version ?? "0.0.0");
}
