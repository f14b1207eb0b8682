import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { PortContract } from "../modules/contract/port-contract";
import { ROOT } from "./helpers";

/** One source of truth: port numbers live in modules/contract/ and nowhere else in modules/ or main.ts. */
describe("port numbers appear only in the contract", () => {
  const contract = PortContract.create();
  const numbers = [...new Set([...contract.membersOnly.map((p) => p.port), contract.public.https, contract.public.httpRedirect, contract.dependencies.objectStorage, contract.dependencies.dns])];
  const files: string[] = [join(ROOT, "main.ts")];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(".ts")) files.push(p);
    }
  };
  walk(join(ROOT, "modules"));
  const outside = files.filter((f) => !relative(ROOT, f).startsWith("modules/contract/"));

  test("the scan covers the library", () => {
    expect(outside.length).toBeGreaterThan(30);
    expect(numbers).toEqual(expect.arrayContaining([8080, 9095, 7946, 9092, 9093, 11211, 443, 80]));
  });

  test.each(numbers)("%i", (n) => {
    const pattern = new RegExp(`(^|[^0-9a-zA-Z_.])${n}([^0-9]|$)`);
    const hits = outside.flatMap((f) =>
      readFileSync(f, "utf8")
        .split("\n")
        .map((line, i) => [line.replace(/Route 53/g, ""), i + 1] as const)
        .filter(([line]) => pattern.test(line))
        .map(([line, i]) => `${relative(ROOT, f)}:${i}: ${line.trim()}`),
    );
    expect(hits).toEqual([]);
  });
});
