/**
 * Issue 13 adversarial suite: `mimir-ports check` on `terraform show -json`
 * plans (frozen fixtures in __tests__/fixtures/adversarial, written by
 * make-plan-fixtures.ts): child modules, module internals the plan does not
 * show, values unknown until apply, and plans without a contract.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PORT, SRC, CRITICAL } from "./expectations";
import { assertFinding, FIXTURES, runCheck, synthCase, type PlanCase } from "./harness";

const MODULE = /module\.debug/;
const MIMIR_SCOPE = /members|mimir|\b(8080|9095|7946)\b|http-metrics|grpc|memberlist|port/i;
const f = (file: string) => join(FIXTURES, file);

export const PLAN_EXPOSURES: PlanCase[] = [
  { class: "plan-contract", name: "plan without a contract: check cannot judge and says --contract (exit 2)", plan: "plan-no-contract.json", expect: { source: /./, port: /./, exit: 2 } },
  { class: "plan-contract", name: "plan without a contract, --contract FILE given: 8080 open to the world", plan: "plan-no-contract.json", checkArgs: ["--contract", f("contract-default.json")], expect: { source: SRC.internet, port: PORT.http } },
  { class: "plan-contract", name: "plan without a contract, --contract FILE with http 8081: 8081 open to the world", plan: "plan-no-contract-http-8081.json", checkArgs: ["--contract", f("contract-http-8081.json")], expect: { source: SRC.internet, port: /\b8081\b/ } },
  { class: "plan-opaque", name: "module call handed the members group, internals not in the plan", plan: "plan-opaque-module.json", expect: { source: SRC.unknown, port: MIMIR_SCOPE, at: /module\.debug|debug/ } },
  { class: "plan-opaque", name: "rule in a child module with a CIDR unknown until apply", plan: "plan-unknown-cidr-in-module.json", expect: { source: SRC.unknown, port: PORT.http, at: MODULE } },
  { class: "plan-module", name: "0.0.0.0/1 + 128.0.0.0/1 on grpc inside a child module", plan: "plan-internet-halves-in-module.json", expect: { source: SRC.internetSet, port: PORT.grpc, at: MODULE, also: [CRITICAL] } },
  { class: "plan-module", name: "NLB TCP 443 (no TLS) → target group → TargetGroupBinding to the gateway's http, in a child module", plan: "plan-tcp443-in-module.json", expect: { source: SRC.internet, port: PORT.http, at: MODULE, also: [/\b443\b/] } },
  { class: "plan-module", name: "kubernetes_manifest LoadBalancer Service on the ingesters' grpc, in a child module", plan: "plan-manifest-loadbalancer.json", expect: { source: SRC.loadBalancerService, port: PORT.grpc, at: MODULE } },
  { class: "plan-helm", name: "helm_release `set` makes the ingester Service a NodePort", plan: "plan-helm-set.json", expect: { source: /NodePort/, port: PORT.any, at: /helm_release/ } },
];

export const PLAN_NEIGHBOURS: PlanCase[] = [
  { class: "plan-neighbour", name: "another app's 8080 LoadBalancer Service and open group, the ingress controller's policy", plan: "plan-neighbours.json" },
  { class: "plan-neighbour", name: "the edge stack alone", plan: "plan-clean.json" },
];

describe("check on plans: exposures", () => {
  test.each(PLAN_EXPOSURES.map((c) => [c.class, c.name, c] as const))("[%s] %s", async (_k, _n, c) => {
    const e = c.expect!;
    const check = await runCheck([f(c.plan), ...(c.checkArgs ?? [])]);
    const output = `${check.stdout}\n${check.stderr}`;
    if (check.code !== (e.exit ?? 1)) throw new Error(`mimir-ports check exited ${check.code}, expected ${e.exit ?? 1}\n--- output:\n${output}`);
    if (e.exit === 2) expect(output).toMatch(/--contract/);
    else assertFinding("mimir-ports check", output, e);
  });
});

describe("check on plans: legitimate neighbours", () => {
  test.each(PLAN_NEIGHBOURS.map((c) => [c.name, c] as const))("%s", async (_n, c) => {
    const check = await runCheck([f(c.plan), ...(c.checkArgs ?? [])]);
    if (check.code !== 0) throw new Error(`mimir-ports check exited ${check.code}, expected 0\n--- output:\n${check.stdout}\n${check.stderr}`);
  });
});

describe("skipValidation does not skip the contract policy", () => {
  test("a clean stack synthesized with skipValidation: the policy ran, the output says so, check passes", async () => {
    const result = synthCase({ class: "contract", name: "clean, skipped", base: "edge-np", app: { skipValidation: true }, build: () => undefined });
    expect(result.error).toBeUndefined();
    const json = JSON.parse(readFileSync(join(result.checkInput, "stacks", "adv", "cdk.tf.json"), "utf8"));
    expect(json.output.mimir_port_contract.value.validation).toBe("enforced");
    const check = await runCheck([result.checkInput]);
    expect(check.code).toBe(0);
    expect(`${check.stdout}\n${check.stderr}`).not.toMatch(/MP017/);
  });
});
