import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";

/** Remove this run's output folder and its temporary folder (see global-setup.ts); the system temp folder keeps nothing of the run. */
export default function globalTeardown(): void {
  if (process.env.MIMIR_TEST_OUT) rmSync(join(__dirname, "..", process.env.MIMIR_TEST_OUT), { recursive: true, force: true });
  const tmp = process.env.MIMIR_TEST_TMPDIR;
  if (tmp) {
    rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
    if (existsSync(tmp)) throw new Error(`global-teardown: the run's temporary folder ${tmp} could not be removed`);
    if (process.env.MIMIR_TEST_SYSTEM_TMPDIR !== undefined) process.env.TMPDIR = process.env.MIMIR_TEST_SYSTEM_TMPDIR;
  }
}
