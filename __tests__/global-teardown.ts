import { rmSync } from "node:fs";
import { join } from "node:path";

/** Remove this run's output folder (see global-setup.ts). */
export default function globalTeardown(): void {
  if (process.env.MIMIR_TEST_OUT) rmSync(join(__dirname, "..", process.env.MIMIR_TEST_OUT), { recursive: true, force: true });
}
