/** `mimir-ports init [dir]`: a new infra repository, and never over an existing file. */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { init, WORKFLOWS } from "../modules/cli/init/init-command";
import { UserError } from "../modules/cli/run";
import { failing } from "../modules/policy/evaluate";
import type { MimirStack } from "../modules/stack/mimir-stack";
import { ROOT, runTsx, TEST_OUT } from "./helpers";

const OUT = join(ROOT, TEST_OUT, "init");
const library = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const FILES = ["package.json", "cdktf.json", "main.ts", "tsconfig.json", ".gitignore", "README.md", ".github/workflows/mimir-ports-review.yml", ".github/workflows/mimir-ports-comment.yml"];

beforeAll(() => rmSync(OUT, { recursive: true, force: true }));
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe("a new repository", () => {
  const dir = join(OUT, "fresh");
  let written: string[];
  beforeAll(() => {
    written = init(dir);
  });
  const read = (f: string) => readFileSync(join(dir, f), "utf8");

  test("writes the app, its configuration, the PR workflows, .gitignore and a README", () => {
    expect(written.sort()).toEqual([...FILES].sort());
    for (const f of FILES) expect(existsSync(join(dir, f))).toBe(true);
  });

  test("package.json pins every peer at the version the library is tested with, and runs the package's own CLI", () => {
    const pkg = JSON.parse(read("package.json"));
    // Optional peers (cdktn, verify's live clients) are the user's choice: init pins the required ones.
    const optional = library.peerDependenciesMeta ?? {};
    const peers = Object.keys(library.peerDependencies).filter((p) => !optional[p]?.optional).sort();
    expect(peers.length).toBeGreaterThan(0);
    for (const peer of peers) expect(pkg.dependencies[peer]).toBe(library.devDependencies[peer]);
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["mimir-port-contract", ...peers].sort());
    expect(pkg.dependencies["mimir-port-contract"]).toBe(library.version);
    expect(pkg.devDependencies).toEqual({ tsx: library.devDependencies.tsx, typescript: library.devDependencies.typescript, "@types/node": library.devDependencies["@types/node"] });
    expect(pkg.devDependencies).not.toHaveProperty("ts-jest");
    expect(pkg.scripts.synth).toBe("mimir-ports synth");
    expect(pkg.engines).toEqual(library.engines);
  });

  test("npm install does not list esbuild's install script (through tsx): package.json denies it by name", () => {
    expect(JSON.parse(read("package.json")).allowScripts).toEqual({ esbuild: false });
  });

  test("cdktf.json runs main.ts with tsx (ts-node crashes under TypeScript 7)", () => {
    const cdktf = JSON.parse(read("cdktf.json"));
    expect(cdktf.app).toBe("node --import tsx main.ts");
    expect(read("cdktf.json")).not.toContain("ts-node");
  });

  test("the workflows are the package's own, calling its CLI with npx", () => {
    for (const w of WORKFLOWS) {
      expect(read(`.github/workflows/${w}`)).toBe(readFileSync(join(ROOT, ".github/workflows", w), "utf8"));
    }
    expect(read(".github/workflows/mimir-ports-review.yml")).toContain("npx --no-install mimir-ports pr-review --base ../base --head . --out ../review");
    // npm leaves .gitignore out of a tarball: the template is shipped as `gitignore`.
    expect(read(".gitignore").split("\n")).toEqual(expect.arrayContaining(["node_modules/", "cdktf.out/"]));
  });

  test("main.ts has one environment that the policy passes with no error, and synthesizes through runAppSynth", () => {
    const text = read("main.ts");
    expect(text).toContain('import { defineEnvironments, MimirStack, runAppSynth, type EnvironmentInput } from "mimir-port-contract";');
    expect(text).toContain("runAppSynth((outdir) => buildApp(outdir))");
    expect(text).not.toMatch(/^\s*app\.synth\(\)/m);
    expect(text).toContain("node_modules/mimir-port-contract/docs/configuration.md");
    // The same file against this repository's sources (the pack smoke runs it against the installed tarball).
    const app = join(OUT, "app");
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, "main.ts"), text.replace('from "mimir-port-contract"', `from ${JSON.stringify(join(ROOT, "modules/index"))}`));
    const mod = require(join(app, "main.ts")) as { buildApp(outdir?: string): import("cdktf").App; environments: unknown[] };
    expect(mod.environments).toHaveLength(1);
    const built = mod.buildApp(join(app, "cdktf.out"));
    built.synth();
    const stacks = built.node.children as MimirStack[];
    expect(stacks.map((s) => s.node.id)).toEqual(["prod"]);
    expect(failing(stacks[0].policy.findings, "error")).toEqual([]);
    expect(readdirSync(join(app, "cdktf.out/stacks"))).toEqual(["prod"]);
  });
});

describe("never over an existing file", () => {
  test("a second init refuses, names the files and leaves them as they were", () => {
    const dir = join(OUT, "twice");
    init(dir);
    writeFileSync(join(dir, "main.ts"), "// mine\n");
    let error: unknown;
    try {
      init(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as UserError).message).toMatch(/^init: package\.json, cdktf\.json, main\.ts, .+ already exist in .+; nothing was written\. /);
    expect(readFileSync(join(dir, "main.ts"), "utf8")).toBe("// mine\n");
  });

  test("one existing file: nothing at all is written; the CLI prints one line, exit 2, and points at the existing-app guide", () => {
    const dir = join(OUT, "existing");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cdktf.json"), "{}\n");
    const r = runTsx(["bin/mimir-ports.ts", "init", dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toEqual([`mimir-ports: init: cdktf.json already exists in ${dir}; nothing was written. Run init in an empty directory (npx mimir-ports init <new-dir>), or add the library to an existing cdktf app as docs/getting-started.md describes`]);
    expect(readdirSync(dir)).toEqual(["cdktf.json"]);
    expect(readFileSync(join(dir, "cdktf.json"), "utf8")).toBe("{}\n");
  });
});
