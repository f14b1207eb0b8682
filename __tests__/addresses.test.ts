import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp, environments } from "../main";
import { ROOT } from "./helpers";

/**
 * Every Terraform resource address of every reference environment, committed.
 * A changed address means `terraform apply` destroys the old resource and
 * creates a new one (a load balancer's DNS name changes, a security group is
 * replaced). Rename safely with a `moved` block (cdktf `moveTo`/`moveFromId`),
 * then refresh: UPDATE_ADDRESSES=1 npx jest addresses
 */
describe("stable resource addresses", () => {
  const out = mkdtempSync(join(tmpdir(), "mimir-addr-"));
  beforeAll(() => buildApp(out).synth());

  test.each(environments.map((e) => e.name))("%s", (name) => {
    const json = JSON.parse(readFileSync(join(out, "stacks", name, "cdk.tf.json"), "utf8"));
    const addresses = Object.entries(json.resource as Record<string, Record<string, unknown>>)
      .flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`))
      .sort();
    const file = join(ROOT, "__tests__/addresses", `${name}.txt`);
    const actual = `${addresses.join("\n")}\n`;
    if (process.env.UPDATE_ADDRESSES === "1" || !existsSync(file)) writeFileSync(file, actual);
    const expected = readFileSync(file, "utf8");
    if (actual !== expected) {
      const before = new Set(expected.trim().split("\n"));
      const after = new Set(addresses);
      const gone = [...before].filter((a) => !after.has(a));
      const added = [...after].filter((a) => !before.has(a));
      throw new Error(
        [
          `Resource addresses of "${name}" changed. terraform apply would DESTROY and recreate:`,
          ...gone.map((a) => `  - ${a}`),
          "and create:",
          ...added.map((a) => `  + ${a}`),
          "If this is a rename, keep the address with a moved block (cdktf: resource.moveTo / moveFromId) so nothing is destroyed.",
          "If the change is intended, refresh the snapshot: UPDATE_ADDRESSES=1 npx jest addresses",
        ].join("\n"),
      );
    }
  });
});
