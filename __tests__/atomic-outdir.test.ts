/**
 * `cdktf synth` after an environment is removed works the first time (issue 29).
 * The cdktf CLI lists `<outdir>/stacks/*` before it runs the app, then removes
 * each listed folder the new manifest does not name with `fs.rmSync(dir,
 * { recursive: true })` (no `force`: a missing folder throws ENOENT). These
 * replay exactly that around the app's atomic write.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeAtomically } from "../modules/cli/atomic-outdir";
import { ROOT, TEST_OUT } from "./helpers";

const OUT = join(ROOT, TEST_OUT, "atomic-outdir");

const synth = (outdir: string, stacks: readonly string[]) =>
  writeAtomically(outdir, (tmp) => {
    for (const s of stacks) {
      mkdirSync(join(tmp, "stacks", s), { recursive: true });
      writeFileSync(join(tmp, "stacks", s, "cdk.tf.json"), "{}");
    }
    writeFileSync(join(tmp, "manifest.json"), JSON.stringify({ stacks: Object.fromEntries(stacks.map((s) => [s, {}])) }));
  });

const stackDirs = (outdir: string) => (existsSync(join(outdir, "stacks")) ? readdirSync(join(outdir, "stacks")).sort() : []);

/** What the cdktf CLI does around the app: list before, run, remove the folders the manifest no longer names. */
async function cdktfCliSynth(outdir: string, stacks: readonly string[]): Promise<void> {
  const existing = stackDirs(outdir).map((n) => join(outdir, "stacks", n));
  const before = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = "false";
  try {
    await synth(outdir, stacks);
  } finally {
    if (before === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = before;
  }
  for (const dir of existing.filter((d) => !stacks.includes(d.split("/").pop()!))) rmSync(dir, { recursive: true });
}

beforeEach(() => rmSync(OUT, { recursive: true, force: true }));
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

test("under the cdktf CLI: staging removed from the app, the first synth succeeds and only dev and prod remain", async () => {
  const outdir = join(OUT, "cli", "cdktf.out");
  await cdktfCliSynth(outdir, ["dev", "prod", "staging"]);
  await expect(cdktfCliSynth(outdir, ["dev", "prod"])).resolves.toBeUndefined();
  expect(stackDirs(outdir)).toEqual(["dev", "prod"]);
  expect(readdirSync(join(OUT, "cli"))).toEqual(["cdktf.out"]);
});

test("npm run synth (no cdktf CLI): the removed environment's folder is gone at once", async () => {
  const outdir = join(OUT, "npm", "cdktf.out");
  await synth(outdir, ["dev", "prod", "staging"]);
  await synth(outdir, ["dev", "prod"]);
  expect(stackDirs(outdir)).toEqual(["dev", "prod"]);
});
