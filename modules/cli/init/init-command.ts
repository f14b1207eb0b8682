/**
 * `mimir-ports init [dir]`: an infra repository that works from the first
 * commit: package.json (the peers pinned at the versions this package is
 * tested with), cdktf.json running main.ts with tsx, a main.ts with one
 * environment that passes the policy, the PR-review workflows (this package's
 * own, calling `npx mimir-ports`), .gitignore, tsconfig.json and a short
 * README. It never overwrites a file.
 *
 * The templates live in ./templates; the workflows are the package's own
 * .github/workflows/mimir-ports-*.yml (shipped in the tarball).
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseCliArgs, UserError } from "../run";
import { packageRoot } from "../version";

const USAGE = "usage: mimir-ports init [dir]   (default: the current directory)";

/** The packages the app imports (the library's peers) and the ones it runs with. */
const APP_DEPENDENCIES = ["cdktf", "constructs", "@cdktf/provider-aws", "@cdktf/provider-kubernetes", "@cdktf/provider-helm"] as const;
const APP_DEV_DEPENDENCIES = ["tsx", "typescript", "@types/node"] as const;
export const WORKFLOWS = ["mimir-ports-review.yml", "mimir-ports-comment.yml"] as const;

type Pkg = { name: string; version: string; engines?: Record<string, string>; peerDependencies?: Record<string, string>; devDependencies?: Record<string, string> };

/** The version this package is tested with (its exact dev pin), else its peer range. */
function pinned(pkg: Pkg, name: string): string {
  const version = pkg.devDependencies?.[name] ?? pkg.peerDependencies?.[name];
  if (!version) throw new Error(`mimir-port-contract's package.json names no version of ${name}`);
  return version;
}

/** npm's package name rules, from the directory's name. */
function packageName(dir: string): string {
  const name = basename(resolve(dir)).toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[._-]+|[-]+$/g, "");
  return name || "mimir-infra";
}

/** Every file init writes, path → content. */
function initFiles(dir: string, pkg: Pkg, readPackageFile: (path: string) => string): Record<string, string> {
  const template = (name: string) => readPackageFile(join("modules/cli/init/templates", name));
  const manifest = {
    name: packageName(dir),
    private: true,
    description: "Grafana Mimir's infrastructure from one port contract (mimir-port-contract)",
    scripts: {
      synth: "mimir-ports synth",
      review: "mimir-ports pr-review --base origin/main --head . --out review-out",
      typecheck: "tsc --noEmit",
    },
    ...(pkg.engines?.node ? { engines: { node: pkg.engines.node } } : {}),
    dependencies: Object.fromEntries([["mimir-port-contract", pkg.version], ...APP_DEPENDENCIES.map((n) => [n, pinned(pkg, n)])].sort(([a], [b]) => a.localeCompare(b))),
    devDependencies: Object.fromEntries(APP_DEV_DEPENDENCIES.map((n) => [n, pinned(pkg, n)])),
    // npm 11 lists install scripts it skipped after every install: esbuild's (through tsx) only swaps its launcher for the platform binary.
    allowScripts: { esbuild: false },
  };
  const cdktf = { language: "typescript", app: "node --import tsx main.ts", sendCrashReports: "false", terraformProviders: [], terraformModules: [], context: {} };
  return {
    "package.json": `${JSON.stringify(manifest, null, 2)}\n`,
    "cdktf.json": `${JSON.stringify(cdktf, null, 2)}\n`,
    "main.ts": template("main.ts.tmpl"),
    "tsconfig.json": template("tsconfig.json"),
    ".gitignore": template("gitignore"),
    "README.md": template("README.md.tmpl").replace(/\{\{cdktfCli\}\}/g, pinned(pkg, "cdktf-cli")),
    ...Object.fromEntries(WORKFLOWS.map((w) => [`.github/workflows/${w}`, readPackageFile(join(".github/workflows", w))])),
  };
}

/** Write the files into `dir`; refuses (nothing written) when any of them exists. Returns the paths written. */
export function init(dir: string): string[] {
  const root = packageRoot();
  if (!root) throw new Error("mimir-ports init: cannot find mimir-port-contract's package.json");
  const files = initFiles(dir, root.pkg as Pkg, (path) => readFileSync(join(root.dir, path), "utf8"));
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UserError(`init: ${dir} is a file, not a directory; nothing was written. Name a new or empty directory (npx mimir-ports init <new-dir>)`);
  // A file where init needs a folder (e.g. a file named .github): refused before anything is written.
  const folders = Object.keys(files).flatMap((f) => f.split("/").slice(0, -1).map((_, i, parts) => join(dir, ...parts.slice(0, i + 1))));
  const notDirs = [...new Set(folders)].filter((d) => existsSync(d) && !statSync(d).isDirectory());
  if (notDirs.length > 0) throw new UserError(`init: ${notDirs.join(", ")} is a file, not a directory; nothing was written. Run init in an empty directory (npx mimir-ports init <new-dir>)`);
  const existing = Object.keys(files).filter((f) => existsSync(join(dir, f)));
  if (existing.length > 0) {
    throw new UserError(
      `init: ${existing.join(", ")} already exist${existing.length === 1 ? "s" : ""} in ${dir}; nothing was written. Run init in an empty directory (npx mimir-ports init <new-dir>), or add the library to an existing cdktf app as docs/getting-started.md describes`,
    );
  }
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return Object.keys(files);
}

export function initCommand(args: string[]): number {
  const { values, positionals } = parseCliArgs({ args, options: { help: { type: "boolean", short: "h" } }, allowPositionals: true }, USAGE);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UserError(`init: one directory at most; ${USAGE}`);
  const dir = positionals[0] ?? ".";
  const written = init(dir);
  const cd = dir === "." ? "" : `cd ${dir} && `;
  process.stdout.write(`init: wrote ${written.join(", ")}${dir === "." ? "" : ` into ${dir}`}\nnext: ${cd}npm install && npx mimir-ports synth\n`);
  return 0;
}
