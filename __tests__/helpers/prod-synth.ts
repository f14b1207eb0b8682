/** The reference app's prod environment alone, synthesized into `<out>/<name>` (optionally with other ports): one environment keeps a review about one change. */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { buildApp, environments } from "../../main";
import type { EnvironmentInput } from "../../modules/config/environment";
import { ROOT } from "../helpers";

export const prod = environments.find((e) => e.name === "prod")!;

export function synthProd(out: string, name: string, ports?: EnvironmentInput["ports"]): string {
  const dir = join(out, name);
  rmSync(join(ROOT, dir), { recursive: true, force: true });
  mkdirSync(join(ROOT, dir), { recursive: true });
  buildApp(join(ROOT, dir), [{ ...prod, ...(ports ? { ports } : {}) }]).synth();
  return dir;
}
