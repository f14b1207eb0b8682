/**
 * One output folder per jest run (`__tests__/.out/run-<pid>`), so two suites run at once in one checkout
 * (CI beside a developer's run, or the loaded-machine check) never write into each other's fixtures.
 */
export default function globalSetup(): void {
  process.env.MIMIR_TEST_OUT = `__tests__/.out/run-${process.pid}`;
}
