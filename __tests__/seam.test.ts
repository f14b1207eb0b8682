import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./helpers";

/** Every cdktf / @cdktf/* import of the library goes through modules/platform/, so moving to CDK Terrain is a change in one folder. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

test("only modules/platform imports cdktf and the @cdktf providers (import, export ... from, require, import())", () => {
  const offenders = [...tsFiles(join(ROOT, "modules")), ...tsFiles(join(ROOT, "bin")), join(ROOT, "main.ts")]
    .filter((f) => !relative(ROOT, f).startsWith("modules/platform/"))
    .filter((f) => /(?:^\s*(?:import|export)[^;]*?from\s+|\brequire\(\s*|\bimport\(\s*)"(?:cdktf|@cdktf\/[^"]+)(?:\/[^"]*)?"/m.test(readFileSync(f, "utf8")))
    .map((f) => relative(ROOT, f));
  expect(offenders).toEqual([]);
});

test("the platform seam re-exports provider classes from deep paths, never a provider barrel", () => {
  for (const f of tsFiles(join(ROOT, "modules/platform"))) {
    const text = readFileSync(f, "utf8");
    expect(text).not.toMatch(/from "@cdktf\/provider-[a-z0-9-]+"/);
  }
});
