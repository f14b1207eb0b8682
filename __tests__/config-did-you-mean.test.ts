/** A misspelt setting suggests the nearest known one (issue 29); a key nothing resembles is only named. */
import { defineEnvironment } from "../modules/config/environment";
import { editDistance, nearestKey } from "../modules/config/checks/known-keys";
import { configErrorMessage, env } from "./helpers";

const messageFor = (extra: Record<string, unknown>) => configErrorMessage(() => defineEnvironment({ ...env(), ...extra } as never));

test.each([
  ["loadBalancr", "loadBalancer", { loadBalancr: { allowedCidrs: ["10.0.0.0/16"] } }],
  ["prots", "ports", { prots: { http: 8081 } }],
  ["loadBalancer.allowedCidr", "allowedCidrs", { loadBalancer: { ...env().loadBalancer, allowedCidr: ["10.0.0.0/8"] } }],
  ["entry.gateway.classname", "className", { entry: { kind: "gateway-api", gateway: { classname: "eg" } } }],
  ["auth.reasn", "reason", { auth: { mode: "none", reason: "dev only, synthetic data", reasn: "typo" } }],
] as Array<[string, string, Record<string, unknown>]>)("%s: not a known setting, did you mean `%s`?", (field, near, extra) => {
  const line = messageFor(extra).split("\n").find((l) => l.includes(`${field} =`));
  expect(line).toMatch(new RegExp(`^\\[test\\] ${field.replace(/\./g, "\\.")} = \\(value not shown: [^)]*\\): is not a known setting\\. Fix: did you mean \`${near}\`\\? \\(see docs/configuration\\.md\\)$`));
});

test("a key nothing resembles: no guess, the usual fix", () => {
  expect(messageFor({ zzzz: 1 })).toContain("[test] zzzz = (value not shown: a number): is not a known setting. Fix: remove it or correct its spelling (see docs/configuration.md)");
});

test("edit distance counts a swap of neighbours as one edit; far keys are not suggested", () => {
  expect(editDistance("prots", "ports")).toBe(1);
  expect(editDistance("kitten", "sitting")).toBe(3);
  expect(nearestKey("LOADBALANCER", ["loadBalancer", "ports"])).toBe("loadBalancer");
  expect(nearestKey("xyz", ["loadBalancer", "ports"])).toBeUndefined();
});
