import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { env, runTsx } from "./helpers";

/** `npm run synth` is `tsx bin/synth.ts`; these run it as a user would. */
describe("npm run synth", () => {
  const work = mkdtempSync(join(tmpdir(), "mimir-cli-"));
  const outdir = join(work, "cdktf.out");

  test("writes one stack per environment and reports it", () => {
    const r = runTsx(["bin/synth.ts", "--outdir", outdir]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("synthesized 3 stack(s)");
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["dev", "prod", "staging"]);
  });

  test("bad input: one line per problem, exit 1, no stack trace, previous output untouched", () => {
    const before = readFileSync(join(outdir, "stacks/prod/cdk.tf.json"), "utf8");
    const file = join(work, "bad.json");
    writeFileSync(
      file,
      JSON.stringify([
        env({ name: "dev", ports: { http: 0 } }),
        env({ name: "dev", ports: { grpc: 9095, memberlist: 9095 } }),
        env({ name: "", loadBalancer: { allowedCidrs: ["10.0.0.0/33"] } }),
      ]),
    );
    const r = runTsx(["bin/synth.ts", "--outdir", outdir, "--environments", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).toContain("[dev] ports.http = 0: must be an integer from 1 to 65535. Fix:");
    expect(r.stderr).toContain("[dev] environments[1].name = \"dev\": is used by another environment");
    expect(r.stderr).toContain("[dev] ports.memberlist = 9095: is already used by grpc");
    expect(r.stderr).toMatch(/name = "": must start with a lower-case letter.*Fix: /);
    expect(r.stderr).toContain('loadBalancer.allowedCidrs[0] = "10.0.0.0/33": has an IPv4 prefix length above 32');
    expect(readFileSync(join(outdir, "stacks/prod/cdk.tf.json"), "utf8")).toBe(before);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["dev", "prod", "staging"]);
    expect(readdirSync(work).filter((f) => f.includes("tmp"))).toEqual([]);
  });

  test("warnings print under their environment's summary and do not fail the synth", () => {
    const file = join(work, "warn.json");
    writeFileSync(file, JSON.stringify([env({ name: "qa" })]));
    const r = runTsx(["bin/synth.ts", "--outdir", join(work, "warn-out"), "--environments", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^  qa: internal listener :80 HTTP from 10\.0\.0\.0\/16; internal listener :443 HTTPS from 10\.0\.0\.0\/16 \| internal only: http 8080, grpc 9095, memberlist 7946 \| 0 error\(s\), 1 warning\(s\), 1 acknowledged$/m);
    // The designed residual: the nodes' group reaches http for kubelet probes (a hostNetwork pod could use it too).
    expect(r.stdout).toMatch(/^    warning: MP019 qa\/edge\/security-groups\/\S+: a node of the cluster reaches Mimir's http 8080 through the rule from var\.\w+ \(the [^)]*\): by design, for kubelet probes \(hostNetwork pods can use it too\)$/m);
    // The acknowledgement that silences it, ready to paste.
    expect(r.stdout).toMatch(/^    to accept in qa \(<environment>: each one's name\): acknowledgements: \[\{"rule":"MP019","resource":"<environment>\/edge\/security-groups\/[^"]+","reason":"<why this is accepted, ticket>","accepts":\{"severity":"warning",/m);
  });

  test("an unknown flag is a one-line usage error, exit 2", () => {
    const r = runTsx(["bin/synth.ts", "--outdir", join(work, "never2"), "--bogus"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^synth: Unknown option '--bogus'/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  test("mimir-ports --help prints the usage, exit 0", () => {
    const r = runTsx(["bin/mimir-ports.ts", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: mimir-ports <command>/);
    expect(r.stdout).toContain("check <cdktf.out | stack dir | plan.json>");
  });

  test("an unreadable environments file is a one-line error, exit 2", () => {
    const file = join(work, "broken.json");
    writeFileSync(file, "[{");
    const r = runTsx(["bin/synth.ts", "--outdir", join(work, "never"), "--environments", file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("not valid JSON");
    expect(existsSync(join(work, "never"))).toBe(false);
  });
});

describe("npm run synth -- --report", () => {
  const work = mkdtempSync(join(tmpdir(), "mimir-report-"));

  test("a head the policy refuses: output and findings written, exit 1, the refusal on stderr", () => {
    const outdir = join(work, "out");
    const r = runTsx(["bin/synth.ts", "--outdir", outdir, "--app", "__tests__/fixtures/apps/violating-app.ts", "--report"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("synth: the contract policy refused 1 finding(s); report mode wrote the output anyway");
    expect(r.stderr).toContain("[prod] MP001 critical aws_vpc_security_group_ingress_rule.debug-http (prod/debug-http): http 8080 reachable from 0.0.0.0/0");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["dev", "prod", "staging"]);
    expect(readFileSync(join(outdir, "stacks/prod/cdk.tf.json"), "utf8")).toContain('"debug-http"');
    const findings = JSON.parse(readFileSync(join(outdir, "mimir-ports-findings.json"), "utf8"));
    expect(findings.refused).toBe(true);
    expect(findings.findings.filter((f: { severity: string }) => f.severity === "critical").map((f: { address: string }) => f.address)).toEqual(["aws_vpc_security_group_ingress_rule.debug-http"]);
  });

  test("without --report the same head writes nothing (exit 1); MIMIR_PORTS_SYNTH_REPORT=1 is the same as --report", () => {
    const r = runTsx(["bin/synth.ts", "--outdir", join(work, "strict"), "--app", "__tests__/fixtures/apps/violating-app.ts"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("nothing was written");
    expect(existsSync(join(work, "strict"))).toBe(false);
    const spawned = require("node:child_process").spawnSync(process.execPath, ["--import", "tsx", "bin/synth.ts", "--outdir", join(work, "env"), "--app", "__tests__/fixtures/apps/violating-app.ts"], { cwd: join(__dirname, ".."), encoding: "utf8", env: { ...process.env, MIMIR_PORTS_SYNTH_REPORT: "1" } });
    expect(spawned.status).toBe(1);
    expect(existsSync(join(work, "env/stacks/prod/cdk.tf.json"))).toBe(true);
  });

  test("a clean head in report mode: exit 0, findings file says not refused", () => {
    const r = runTsx(["bin/synth.ts", "--outdir", join(work, "clean"), "--report"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(work, "clean/mimir-ports-findings.json"), "utf8")).refused).toBe(false);
  });
});
