import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "./helpers";

/**
 * Layers: a folder of modules/ (and main.ts, modules/index.ts, bin/) is one layer; the imports between layers
 * form no loop, so every layer sits above all it imports and a lower one never imports a higher one
 * (e.g. config below helm, aws below stack, main.ts below modules/cli).
 */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((f) => (f.isDirectory() ? sources(join(dir, f.name)) : f.name.endsWith(".ts") ? [join(dir, f.name)] : []));
}

function layerOf(file: string): string {
  const rel = relative(ROOT, file).split("\\").join("/");
  const parts = rel.split("/");
  if (parts[0] === "modules" && parts.length > 2) return `modules/${parts[1]}`;
  return parts[0] === "bin" ? "bin" : rel;
}

function layerGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of [join(ROOT, "main.ts"), ...sources(join(ROOT, "modules")), ...sources(join(ROOT, "bin"))]) {
    const from = layerOf(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^"'\n]*?(?:from\s*)?["'](\.{1,2}\/[^"']+)["']|require\(["'](\.{1,2}\/[^"']+)["']\)/g)) {
      const to = layerOf(resolve(dirname(file), m[1] ?? m[2]) + (/(\.ts|\.js)$/.test(m[1] ?? m[2]) ? "" : ".ts"));
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      graph.get(from)!.set(to, relative(ROOT, file));
    }
  }
  return graph;
}

test("the layers import each other in one direction only (no loop between folders)", () => {
  const graph = layerGraph();
  const loops: string[] = [];
  for (const [from, tos] of graph) {
    for (const [to, file] of tos) {
      const back = graph.get(to);
      // A path back from `to` to `from` closes a loop: report the edge that goes up.
      const seen = new Set<string>();
      const stack = [to];
      while (stack.length > 0) {
        const at = stack.pop()!;
        if (at === from) {
          loops.push(`${file} (${from}) imports ${to}, which imports ${from} back${back?.has(from) ? ` (${back.get(from)})` : " through other layers"}`);
          break;
        }
        if (seen.has(at)) continue;
        seen.add(at);
        for (const next of graph.get(at)?.keys() ?? []) stack.push(next);
      }
    }
  }
  expect(loops).toEqual([]);
});

test("the checker sees the layers it guards", () => {
  const graph = layerGraph();
  expect(graph.get("modules/helm")?.has("modules/config")).toBe(true);
  expect(graph.get("modules/stack")?.has("modules/aws")).toBe(true);
  expect(graph.get("main.ts")?.has("modules/cli")).toBe(true);
});
