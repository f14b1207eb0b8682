import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * One output folder per jest run (`__tests__/.out/run-<pid>`), so two suites run at once in one checkout
 * (CI beside a developer's run, or the loaded-machine check) never write into each other's fixtures.
 *
 * One temporary folder per run, too: TMPDIR points every worker and every process the tests spawn
 * (os.tmpdir(), mkdtemp, cdktf's Testing outdirs, git, npm) into `<system temp>/mimir-test-XXXXXX`,
 * which global-teardown.ts removes, so `npm test` leaves nothing in the system temp folder.
 */
export default function globalSetup(): void {
  process.env.MIMIR_TEST_OUT = `__tests__/.out/run-${process.pid}`;
  const system = tmpdir();
  process.env.MIMIR_TEST_SYSTEM_TMPDIR = system;
  process.env.MIMIR_TEST_TMPDIR = mkdtempSync(join(system, "mimir-test-"));
  process.env.TMPDIR = process.env.MIMIR_TEST_TMPDIR;
}
