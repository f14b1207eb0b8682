/**
 * The synth summary tells the truth (issue 29): what an acknowledgement opens
 * is "open by acknowledgement", never "internal only"; a port migration shows
 * both numbers and its phase; the by-design MP019 warning is one short line
 * naming its group as the README does, with the acknowledgement that silences it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { buildApp, environments } from "../main";
import type { EnvironmentInput } from "../modules/config/environment";
import { summaryLines } from "../modules/review/summary";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { runCli } from "../modules/cli/run";
import { synthApp } from "../modules/cli/synth-app";
import { MimirStack, policyResults } from "../modules/stack/mimir-stack";
import { buildApp as buildViolating } from "./fixtures/apps/violating-app";
import { ROOT, TEST_OUT } from "./helpers";

const OUT = `${TEST_OUT}/synth-summary`;

function summary(name: string, inputs: readonly EnvironmentInput[], build = buildApp): string[] {
  const dir = join(ROOT, OUT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const app = build(dir, inputs);
  app.synth();
  return summaryLines(policyResults(app));
}

const envLine = (lines: readonly string[], env: string) => lines.find((l) => l.startsWith(`${env}: `))!;

test("http 8080 opened to 0.0.0.0/0 and acknowledged: open by acknowledgement with the reason, not internal only", () => {
  const reason = "VPN debugging until 2027-01, OPS-123";
  const acked = environments.map((e) =>
    e.name === "prod" ? { ...e, acknowledgements: [{ rule: "MP001", resource: "prod/debug-http", reason, accepts: { severity: "critical" as const, sources: ["0.0.0.0/0"], via: ["aws_vpc_security_group_ingress_rule.debug-http tcp 8080", "pods mimir:http-metrics", "sg aws_security_group.edge_security-groups_members members"] } }] } : e,
  );
  const prod = envLine(summary("acknowledged", acked, buildViolating), "prod");
  expect(prod).toContain(` | open by acknowledgement: http 8080 from 0.0.0.0/0 — "${reason}" | internal only: grpc 9095, memberlist 7946 | 0 error(s), 1 warning(s), 1 acknowledged`);
  expect(prod).not.toMatch(/internal only: [^|]*http/);
});

test("a port migration in phase 1 and 2: both numbers and the phase in the summary's contract", () => {
  const prod = environments.find((e) => e.name === "prod")!;
  const open = envLine(summary("http-open", [{ ...prod, ports: { http: { from: 8080, to: 8081, phase: "open" } } }]), "prod");
  expect(open).toContain("| internal only: http 8080 → 8081 (phase 1 of 3: both ports open; Mimir listens on 8080), grpc 9095, memberlist 7946 |");
  const move = envLine(summary("grpc-move", [{ ...prod, ports: { grpc: { from: 9095, to: 9096, phase: "move" } } }]), "prod");
  expect(move).toContain("| internal only: http 8080, grpc 9095 → 9096 (phase 2 of 3: Mimir moves; Mimir listens on 9096), memberlist 7946 |");
});

describe("the by-design kubelet-probe warning", () => {
  let lines: string[];
  beforeAll(() => {
    lines = summary("reference", environments);
  });

  test("one short line per environment, naming var.node_security_group_id as the README does", () => {
    const warnings = lines.filter((l) => l.startsWith("  warning: MP019 "));
    expect(warnings).toHaveLength(3);
    for (const w of warnings) {
      expect(w.length).toBeLessThan(320);
      expect(w).toMatch(/^ {2}warning: MP019 (dev|prod|staging)\/edge\/security-groups\/pods\/ingress_http_from_nodes: a node of the cluster reaches Mimir's http 8080 through the rule from var\.node_security_group_id \(the nodes' group\): by design, for kubelet probes \(hostNetwork pods can use it too\)$/);
    }
    // The README's variable table says the same of the variable.
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toMatch(/`TF_VAR_node_security_group_id` .*the nodes' group, admitted on http for kubelet probes/);
  });

  test("the acknowledgement it prints, pasted into each environment, silences it", () => {
    const accept = lines.filter((l) => l.includes("acknowledgements: ["));
    expect(accept).toEqual([expect.stringMatching(/^ {2}to accept in dev, prod, staging \(<environment>: each one's name\): acknowledgements: \[\{"rule":"MP019","resource":"<environment>\/edge\/security-groups\/pods\/ingress_http_from_nodes",/)]);
    const template = JSON.parse(accept[0].slice(accept[0].indexOf("acknowledgements: ") + "acknowledgements: ".length))[0];
    const acknowledged = environments.map((e) => ({ ...e, acknowledgements: [...(e.acknowledgements ?? []), { ...template, resource: template.resource.replace("<environment>", e.name), reason: "kubelet probes, OPS-7" }] }));
    const after = summary("acknowledged-probes", acknowledged);
    expect(after.filter((l) => l.includes("warning: MP019") || l.includes("acknowledgements: ["))).toEqual([]);
    expect(envLine(after, "prod")).toMatch(/\| 0 error\(s\), 0 warning\(s\), 1 acknowledged$/);
  });
});

test("policy refusals in two environments: one run lists both, exit 1, nothing written", async () => {
  const build = (dir: string) => {
    const app = buildApp(dir, environments);
    for (const stack of app.node.children) {
      if (!(stack instanceof MimirStack) || stack.environment.name === "dev") continue;
      const http = stack.environment.contract.http.port;
      new VpcSecurityGroupIngressRule(stack, "debug-http", { securityGroupId: stack.edge.securityGroups.members.id, ipProtocol: "tcp", fromPort: http, toPort: http, cidrIpv4: "0.0.0.0/0", description: "debug" });
    }
    return app;
  };
  const outdir = join(ROOT, OUT, "refused-twice", "cdktf.out");
  const err: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const before = process.exitCode;
  process.stderr.write = ((chunk: string) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  let code: number;
  try {
    await runCli(() => synthApp({ outdir, build, report: false }), "synth");
    code = Number(process.exitCode);
  } finally {
    process.stderr.write = write;
    process.exitCode = before;
    process.stdout.removeAllListeners("error");
  }
  expect(code).toBe(1);
  const lines = err.join("").split("\n");
  expect(lines[0]).toBe("synth: the contract policy refused 2 finding(s); nothing was written:");
  const refusals = lines.filter((l) => /^ {2}\[\w+\] MP001 critical aws_vpc_security_group_ingress_rule\.debug-http \((prod|staging)\/debug-http\): http 8080 reachable from 0\.0\.0\.0\/0/.test(l));
  expect(refusals.map((l) => l.slice(3, l.indexOf("]"))).sort()).toEqual(["prod", "staging"]);
  expect(existsSync(outdir)).toBe(false);
});
