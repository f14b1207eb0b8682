/**
 * `cdktf synth` runs cdktf.json's `app` command (the app file under tsx).
 * These spawn exactly that command (the cdktf CLI itself would need network to
 * fetch providers) and wait for the process to exit: a refused change prints
 * the same short lines as `npm run synth`, exits 1, shows no stack trace and
 * never cdktf's hint to skip validation.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./helpers";

const APP = String(JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app);

/** cdktf.json's command, with its app file replaced by `file` (a user's main.ts with other inputs). */
function cdktfApp(file: string | undefined, outdir: string) {
  expect(APP).toMatch(/\bmain\.ts$/);
  const command = file ? APP.replace(/\bmain\.ts$/, file) : APP;
  const r = spawnSync(command, { cwd: ROOT, shell: true, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: outdir, FORCE_COLOR: "0" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const work = mkdtempSync(join(tmpdir(), "mimir-cdktf-"));
const noTrace = (text: string) => {
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toMatch(/skipValidation|skip validation/i);
};

test("the reference app writes its stacks where the cdktf CLI asks and prints the summary", () => {
  const outdir = join(work, "ok");
  const r = cdktfApp(undefined, outdir);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("synthesized 3 stack(s)");
  expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["dev", "prod", "staging"]);
});

test("a bad environment: environment, field, value and fix on one line, exit 1, nothing written", () => {
  const outdir = join(work, "bad-environment");
  const r = cdktfApp("__tests__/fixtures/apps/cdktf-bad-environment.ts", outdir);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr.trim().split("\n")).toEqual([
    "synth: 1 problem(s) in the configuration, nothing was written:",
    '  [prod] loadBalancer.allowedCidrs[0] = "10.0.0.0/33": has an IPv4 prefix length above 32. Fix: write an IPv4 CIDR like 10.0.0.0/16 or an IPv6 prefix like 2001:db8::/32',
  ]);
  noTrace(r.stderr);
  expect(existsSync(outdir)).toBe(false);
});

test("a policy violation: the finding with its path and fix, exit 1, nothing written", () => {
  const outdir = join(work, "violation");
  const r = cdktfApp("__tests__/fixtures/apps/cdktf-policy-violation.ts", outdir);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trim().split("\n");
  expect(lines[0]).toBe("synth: the contract policy refused 1 finding(s); nothing was written:");
  expect(lines[1].split(". To accept exactly this: acknowledgements: [")[0]).toBe(
    "  [prod] MP001 critical aws_vpc_security_group_ingress_rule.debug-http (prod/debug-http): http 8080 reachable from 0.0.0.0/0 (anywhere) through tcp/8080; path: 0.0.0.0/0 → aws_vpc_security_group_ingress_rule.debug-http tcp 8080 → sg aws_security_group.edge_security-groups_members members → pods mimir:http-metrics. Fix: remove the rule; reach Mimir through the load balancer's TLS listener, or allow a security group instead of a CIDR",
  );
  expect(lines).toHaveLength(3);
  noTrace(r.stderr);
  // Not even the stacks that passed: the output is swapped in only when every stack synthesizes.
  expect(existsSync(outdir)).toBe(false);
});
