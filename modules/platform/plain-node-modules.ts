/**
 * Under a TypeScript loader (`node --import tsx`), every file a `require`
 * loads goes through the loader's `.js` handler, which scans each dependency
 * for ES module syntax before handing it to Node: for cdktf and the providers,
 * about 400 files and 13 MB, a third of the floor's start-up. CommonJS files
 * in node_modules need none of that, so they are compiled here the way Node's
 * own handler does (read, `module._compile`). Our own .ts files, ES modules
 * and anything outside node_modules still go to the loader. Without a
 * TypeScript loader (the packaged JavaScript) nothing changes.
 */
import * as nodeModule from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";

type Handler = (module: { _compile(content: string, filename: string): unknown }, filename: string) => void;

const extensions = ((nodeModule as unknown as { default?: unknown }).default ?? nodeModule) as unknown as { _extensions: Record<string, Handler | undefined> };
const NODE_MODULES = `${sep}node_modules${sep}`;
/** Directory → is it in a CommonJS scope (its nearest package.json has no `"type": "module"`)? */
const commonJsDirs = new Map<string, boolean>();

function commonJsScope(dir: string): boolean {
  let known = commonJsDirs.get(dir);
  if (known !== undefined) return known;
  const pkg = join(dir, "package.json");
  const parent = dirname(dir);
  if (existsSync(pkg)) {
    try {
      known = (JSON.parse(readFileSync(pkg, "utf8")) as { type?: string }).type !== "module";
    } catch {
      known = false; // unreadable: leave it to the loader
    }
  } else known = parent !== dir && commonJsScope(parent); // the parent's scope (the root: leave it to the loader)
  commonJsDirs.set(dir, known);
  return known;
}

const isCommonJs = (filename: string) => filename.endsWith(".cjs") || (filename.endsWith(".js") && commonJsScope(dirname(filename)));

const typeScriptLoader = extensions._extensions[".js"];
if (extensions._extensions[".ts"] && typeScriptLoader) {
  extensions._extensions[".js"] = function plainCommonJs(this: unknown, module, filename) {
    if (filename.includes(NODE_MODULES) && isCommonJs(filename)) module._compile(readFileSync(filename, "utf8"), filename);
    else typeScriptLoader.call(this, module, filename);
  };
}

export {};
