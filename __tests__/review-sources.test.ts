/**
 * Who may reach the entry, in the review: a CIDR added to `loadBalancer.allowedCidrs` stays inside the contract
 * (no finding), but it lets more clients try to authenticate, so the review names it as a risk.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { buildApp, environments } from "../main";
import { load } from "../modules/cli/inputs";
import { summarizeChanges } from "../modules/review/changes";
import { buildReview, type StackReport } from "../modules/review/report";
import type { EnvironmentInput } from "../modules/config/environment";
import { ROOT, TEST_OUT } from "./helpers";

const OUT = join(ROOT, TEST_OUT, "review-sources");
const prodInput = environments.find((e) => e.name === "prod")! as EnvironmentInput & { loadBalancer: { allowedCidrs: string[] } };

function report(dir: string, input: EnvironmentInput): StackReport {
  const out = join(OUT, dir);
  mkdirSync(out, { recursive: true });
  buildApp(out, [input]).synth();
  return buildReview(load(out), undefined, "error").stacks.find((s) => s.stack === "prod")!;
}

let base: StackReport;
let wider: StackReport;
beforeAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  base = report("base", prodInput);
  wider = report("wider", { ...prodInput, loadBalancer: { ...prodInput.loadBalancer, allowedCidrs: [...prodInput.loadBalancer.allowedCidrs, "192.0.2.0/24"] } } as EnvironmentInput);
});
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

test("a CIDR added to the load balancer's clients is a medium risk per listener port it opens, naming the CIDR", () => {
  const risks = summarizeChanges([base], [wider]).risks.filter((r) => r.says.includes("192.0.2.0/24"));
  expect(risks.map((r) => r.level)).toEqual(risks.map(() => "medium"));
  expect(risks.map((r) => r.says.match(/on port (\d+)/)![1]).sort()).toEqual(["443", "80", "8443"]);
  expect(risks[0].says).toMatch(/lets 192\.0\.2\.0\/24 reach the load balancer on port \d+: more clients can try to authenticate/);
});

test("the same sources again (no change) are no risk", () => {
  expect(summarizeChanges([base], [base]).risks.filter((r) => /reach the load balancer/.test(r.says))).toEqual([]);
});
