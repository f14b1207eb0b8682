/**
 * The package entry keeps the review off a synth's path (modules/index.ts, docs/performance.md "The consumer case"):
 * loading it loads no review module; the review's functions load on first call and work through the entry.
 */
import { spawnSync } from "node:child_process";
import { ROOT } from "./helpers";

test("loading the package entry loads no review module; buildReview and renderJson load on first call", () => {
  const script = [
    `const entry = require("./modules/index.ts");`,
    `const loaded = () => Object.keys(require.cache).filter((k) => /[\\\\/]modules[\\\\/](review|exposure[\\\\/]load)[\\\\/.]/.test(k)).length;`,
    `const before = loaded();`,
    `const json = JSON.parse(entry.renderJson(entry.buildReview([], undefined, "error")));`,
    `console.log(JSON.stringify({ before, after: loaded(), keys: Object.keys(json).length > 0 }));`,
  ].join("\n");
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: ROOT, encoding: "utf8" });
  expect(r.stderr).toBe("");
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
  expect(out.before).toBe(0);
  expect(out.after).toBeGreaterThan(0);
  expect(out.keys).toBe(true);
});
