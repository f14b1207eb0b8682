/**
 * Golden reviews of the PR situations a reviewer meets, through
 * `mimir-ports pr-review` (the workflow's code path) or the same renderer.
 * Regenerate with `UPDATE_GOLDEN=1 npx jest review-pr`.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildApp, environments } from "../main";
import { load } from "../modules/cli/inputs";
import type { EnvironmentInput } from "../modules/config/environment";
import { COMMENT_LIMIT, MARKER, renderMarkdown } from "../modules/review/markdown";
import { buildReview } from "../modules/review/report";
import { buildApp as buildViolating } from "./fixtures/apps/violating-app";
import { ROOT, runTsx, TEST_OUT } from "./helpers";
import { sarifErrors } from "./sarif-schema";

const OUT = `${TEST_OUT}/review-pr`;

function golden(name: string, actual: string) {
  // The goldens name the default output folder; this run writes into its own (global-setup.ts).
  actual = actual.split(`${TEST_OUT}/`).join("__tests__/.out/");
  const file = join(ROOT, "__tests__/golden", name);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

function synth(name: string, inputs: readonly EnvironmentInput[] = environments, build = buildApp): string {
  const dir = join(OUT, name);
  rmSync(join(ROOT, dir), { recursive: true, force: true });
  mkdirSync(join(ROOT, dir), { recursive: true });
  build(join(ROOT, dir), inputs).synth();
  return dir;
}

/** Lines before the first <details>: what a reviewer sees without clicking. */
const visible = (md: string) => md.slice(0, md.indexOf("<details>")).trimEnd().split("\n");
/** The plain-words summary: the bullets before the first "###" heading. */
const summaryBullets = (md: string) => {
  const lines = visible(md);
  const end = lines.findIndex((l) => l.startsWith("### "));
  return lines.slice(0, end < 0 ? undefined : end).filter((l) => l.startsWith("- "));
};
/** One environment's collapsed section. */
const section = (md: string, env: string) => md.slice(md.indexOf(`<details><summary>${env}: `), md.indexOf("</details>", md.indexOf(`<details><summary>${env}: `)));
const review = (head: string, base?: string) => renderMarkdown(buildReview(load(head), base ? load(base) : undefined, "error"));

/** The reference dev environment is unauthenticated on purpose (auth.mode none with a reason): one acknowledged MP018 line, on its HTTPS listener. */
/** Every environment's one warning: the nodes' group reaches http (kubelet probes; the data plane's group too). */
const NODES_WARNING = expect.stringMatching(/^- ⚠️ \*\*MP019 warning\*\* in all 3 environments · `aws_vpc_security_group_ingress_rule\.edge_security-groups_pods_ingress_http(_\d+)?_from_nodes_\w+`: a node of the cluster reaches Mimir's http \d+ through the rule from var\.node_security_group_id \(the nodes' group\): by design, for kubelet probes .*\(path and fix in the environment's section\)$/);
const DEV_UNAUTHENTICATED = expect.stringMatching(/^- ☑️ \*\*MP018 error\*\* in dev · `aws_lb_listener\.edge_load-balancer_https_\w+`: HTTPS listener on port 443 forwards to Mimir without authenticating clients, through \d+ listener rules .*Accepted: _auth\.mode none: dev accepts unauthenticated remote write and queries /);

let base: string;
beforeAll(() => {
  process.chdir(ROOT);
  base = synth("base");
});

test("a violating head: synth refuses it, the comment is still written, verdict and findings first", () => {
  // The head as the workflow gets it: synth in report mode wrote it although the policy refused.
  const head = join(OUT, "violating");
  rmSync(join(ROOT, head), { recursive: true, force: true });
  const s = runTsx(["bin/synth.ts", "--report", "--outdir", head, "--app", "__tests__/fixtures/apps/violating-app.ts"]);
  expect(s.code).toBe(1);
  const out = join(OUT, "pr-violating");
  const r = runTsx(["bin/mimir-ports.ts", "pr-review", "--base", base, "--head", head, "--out", out]);
  expect(r.code).toBe(1);
  const md = readFileSync(join(ROOT, out, "comment.md"), "utf8");
  const lines = visible(md);
  expect(lines[0]).toBe(MARKER);
  expect(lines[1]).toBe("## ❌ Mimir port contract: 1 finding at or above error in 1 of 3 environments");
  expect(md).toContain("> **synth refused: 1 critical finding.**");
  // The critical finding, then the nodes warning of each of the 3 environments.
  const findings = lines.indexOf("### Findings (4)");
  expect(findings).toBeGreaterThan(0);
  // The finding's reachability path (exposure graph), in the message and on its own line.
  expect(lines.slice(findings).join("\n")).toContain("- ⛔ **MP001 critical** in prod · `aws_vpc_security_group_ingress_rule.debug-http`: http 8080 reachable from 0.0.0.0/0 (anywhere) through tcp/8080  \n  Path: 0.0.0.0/0 → aws_vpc_security_group_ingress_rule.debug-http tcp 8080 → sg aws_security_group.edge_security-groups_members members → pods mimir:http-metrics  \n  Fix: remove the rule;");
  const sarif = JSON.parse(readFileSync(join(ROOT, out, "review.sarif"), "utf8"));
  expect(sarifErrors(sarif)).toEqual([]);
  expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("main.ts");
  expect(sarif.runs[0].tool.driver.rules.every((x: { id: string; helpUri: string }) => x.helpUri.endsWith(`#${x.id.toLowerCase()}`))).toBe(true);
  expect(JSON.parse(readFileSync(join(ROOT, out, "review.json"), "utf8")).context).toEqual({ headRefused: true });
  golden("pr-violating.md", md);
});

test("a no-op PR: at most 15 visible lines before the first <details>", () => {
  const md = review(synth("noop"), base);
  const lines = visible(md);
  expect(lines.length).toBeLessThanOrEqual(15);
  expect(lines[1]).toBe("## ⚠️ Mimir port contract: 3 environments pass, 3 warnings");
  expect(lines.filter((l) => l.startsWith("- ⚠️"))).toEqual([NODES_WARNING]);
  expect(lines).toContain("- No change: all 3 environments synthesize to the same resources as the base.");
  expect(lines.filter((l) => l.startsWith("- ☑️"))).toEqual([DEV_UNAUTHENTICATED]);
  golden("pr-noop.md", md);
});

test("a one-step port change of running environments: one grouped high-risk line that says how to split it", () => {
  const md = review(synth("http-8081", environments.map((e) => ({ ...e, ports: { http: 8081 } }))), base);
  expect(visible(md)[1]).toBe("## ⚠️ Mimir port contract: 3 environments pass, but the change carries 1 high-risk change");
  const bullets = visible(md).filter((l) => l.startsWith("- "));
  expect(bullets).toEqual([
    expect.stringMatching(/^- \*\*http port 8080 → 8081\*\* in all 3 environments: \d+ resources change; a one-step change of a running environment's port: during the rolling restart pods listening on 8080 and 8081 are refused .*split into three PRs: 1\) `ports: \{ http: \{ from: 8080, to: 8081, phase: "open" \} \}` .* 2\) `phase: "move"` .* 3\) `ports: \{ http: 8081 \}` \(old port closed\)$/),
    NODES_WARNING,
    DEV_UNAUTHENTICATED,
  ]);
  golden("pr-port-change.md", md);

  const gossip = visible(review(synth("memberlist-7947", environments.map((e) => ({ ...e, ports: { memberlist: 7947 } }))), base)).filter((l) => l.startsWith("- "));
  expect(gossip).toEqual([expect.stringMatching(/^- \*\*memberlist port 7946 → 7947\*\* in all 3 environments: \d+ resources change; a one-step change .*members on different ports cannot gossip and the hash ring splits.*split into three PRs/), NODES_WARNING, DEV_UNAUTHENTICATED]);
});

test("moving the load balancer to internet-facing: high risk, DNS name changes", () => {
  const moved = environments.map((e) => (e.name === "staging" ? { ...e, loadBalancer: { ...e.loadBalancer!, scheme: "internet-facing" as const } } : e));
  const md = review(synth("internet-facing", moved), base);
  const lines = visible(md);
  expect(lines[1]).toBe("## ⚠️ Mimir port contract: 3 environments pass, but the change carries 2 high-risk changes");
  expect(lines).toContain("- **high risk** in staging: the load balancer becomes internet-facing: anyone on the internet the allowed CIDRs admit can reach Mimir's entry");
  expect(lines).toContain("- **high risk** in staging: the load balancer is replaced: its DNS name changes, clients and DNS records that use the old name break until they follow");
  golden("pr-internet-facing.md", md);
});

test("an acknowledged exposure: listed as such in the visible part and drawn in the diagram", () => {
  const acked = environments.map((e) => (e.name === "prod" ? { ...e, acknowledgements: [{ rule: "MP001", resource: "prod/debug-http", reason: "VPN debugging until 2027-01, OPS-123", accepts: { severity: "critical" as const, sources: ["0.0.0.0/0"], via: ["aws_vpc_security_group_ingress_rule.debug-http tcp 8080", "pods mimir:http-metrics", "sg aws_security_group.edge_security-groups_members members"] } }] } : e));
  const md = review(synth("acknowledged", acked, buildViolating), base);
  const lines = visible(md);
  // The exposure acknowledged in prod, and dev's unauthenticated entry.
  expect(lines[1]).toBe("## ⚠️ Mimir port contract: 3 environments pass, 3 warnings");
  expect(md).not.toContain("nothing exposed");
  expect(lines).toContain("### Acknowledged (2)");
  expect(lines).toContainEqual(DEV_UNAUTHENTICATED);
  expect(lines).toContain("- ☑️ **MP001 critical** in prod · `aws_vpc_security_group_ingress_rule.debug-http`: http 8080 reachable from 0.0.0.0/0 (anywhere) through tcp/8080. Accepted: _VPN debugging until 2027-01, OPS-123_");
  expect(md).toContain("<details><summary>prod: ⚠️ 1 warning · ☑️ 1 acknowledged</summary>");
  expect(md).toMatch(/ {2}(n\d+)\(\["☑ 0\.0\.0\.0\/0 \(anywhere\)"\]\)\n(?: {2}n\d+\[.*\]\n)? {2}\1 -\.->\|"http 8080: acknowledged \(MP001\)"\| n\d+\n {2}class \1 acknowledged/);
  expect(md).toContain("classDef acknowledged");
  golden("pr-acknowledged.md", md);
});

test("100 environments with one critical: the critical environment is shown, under GitHub's limit", () => {
  const clean = load(join(OUT, "base", "stacks", "prod"));
  const bad = load(join(OUT, "violating", "stacks", "prod"));
  // The files as the default output folder names them, so where the report is cut does not depend on this run's folder.
  const file = (m: (typeof clean)[number]) => m.file.split(`${TEST_OUT}/`).join("__tests__/.out/");
  const many = Array.from({ length: 100 }, (_, i) => { const m = i === 73 ? bad[0] : clean[0]; return { ...m, file: file(m), stack: `env-${String(i).padStart(3, "0")}` }; });
  const md = renderMarkdown(buildReview(many, undefined, "error"));
  expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT);
  expect(visible(md)[1]).toBe("## ❌ Mimir port contract: 1 finding at or above error in 1 of 100 environments");
  expect(md).toContain("- ⛔ **MP001 critical** in env-073 · `aws_vpc_security_group_ingress_rule.debug-http`");
  // Its section comes first of the environments; clean ones are cut, and the cut is said.
  expect(md.indexOf("<details><summary>env-073: ⛔ 1 critical · ⚠️ 1 warning</summary>")).toBe(md.indexOf("<details><summary>env-"));
  // The other 99 carry only the nodes warning: cut after the critical one, and the cut is said.
  expect(md).toMatch(/Report truncated.*\d+ of 100 environment\(s\) with only warnings or acknowledged findings not shown/);
  golden("pr-100-environments.md", md);
});

test("operator access turned on in prod: one high-risk line naming the paths and CIDRs, shown in prod's entry block", () => {
  const operatorAccess = { cidrs: ["203.0.113.0/26"], routes: [{ path: "/distributor/ha_tracker" }], acknowledged: "on-call HA tracker debugging from the office range, OPS-42" };
  const opened = environments.map((e) => (e.name === "prod" ? { ...e, entry: { ...e.entry!, operatorAccess } } : e));
  const md = review(synth("operator-access", opened), base);
  const lines = visible(md);
  expect(lines.length).toBeLessThanOrEqual(15);
  expect(lines[1]).toBe("## ⚠️ Mimir port contract: 3 environments pass, but the change carries 1 high-risk change");
  // One line for the cause: the listener rule, the operator HTTPRoute it adds and the route SecurityPolicy that now names it are counted there, not listed.
  expect(summaryBullets(md)).toEqual([
    "- **high risk** in prod: operator endpoints `/distributor/ha_tracker` now reachable from 203.0.113.0/26 through the load balancer; acknowledged as _on-call HA tracker debugging from the office range, OPS-42_; 3 entry resources change",
  ]);
  const prod = section(md, "prod");
  expect(prod).toContain("**⚠️ Operator access (acknowledged exposure): `/distributor/ha_tracker` → `mimir-distributor` (distributor) from 203.0.113.0/26.** Accepted: _on-call HA tracker debugging from the office range, OPS-42_");
  expect(prod).toContain("| `/api/v1/push` | exact | POST | `mimir-distributor` (distributor) |");
  expect(prod).not.toMatch(/\| `\/distributor\/ha_tracker` \|/); // not a public route
  expect(section(md, "staging")).toContain("**Operator access:** none (operator endpoints are reachable only inside the cluster)");
  golden("pr-operator-access.md", md);
});

test("staging moved to the legacy ingress-nginx entry: one line flags the deprecated entry, the section says so", () => {
  const controller = { kind: "ingress-controller" as const, namespace: "ingress-nginx", serviceName: "ingress-nginx-controller" };
  const moved = (acknowledgements: unknown[]) =>
    environments.map((e) =>
      e.name === "staging" ? { ...e, entry: { kind: "ingress" as const }, loadBalancer: { ...e.loadBalancer!, target: controller }, ingress: { className: "nginx", hosts: ["mimir.staging.example.com"], tlsSecretName: "mimir-tls" }, acknowledgements } : e,
    ) as EnvironmentInput[];
  // The controller is reachable from any pod, so the load balancer's mutual TLS is skipped there: refused unless accepted.
  expect(() => synth("legacy-ingress-refused", moved([]))).toThrow(/\[staging\] MP018 error kubernetes_manifest\.edge_target-group-binding_\w+ .*a pod in any namespace reaches Mimir's http port through the entry's data plane without passing the load balancer/);
  const accepted = {
    rule: "MP018",
    resource: "staging/edge/target-group-binding/binding",
    reason: "until the move back to gateway-api (OPS-7): the controller's namespace admits only the platform's pods",
    accepts: {
      severity: "error",
      sources: ["a pod in any namespace"],
      via: [
        "Ingress mimir/mimir (an Ingress: nothing authenticates at the controller)",
        "no NetworkPolicy in namespace ingress-nginx selects the data-plane pods → Service ingress-nginx/ingress-nginx-controller (the entry's data plane, registered by TargetGroupBinding mimir-staging-edge), reached without the load balancer",
        "paths =/prometheus/api/v1/cardinality/active_series → Service mimir/mimir-query-frontend:8080 (http-metrics)",
        "pods mimir-query-frontend:http-metrics",
        "targetPort http-metrics",
      ],
    },
  };
  const md = review(synth("legacy-ingress", moved([accepted])), base);
  const bullets = summaryBullets(md);
  // 15 lines, plus the acknowledged data-plane finding and the warnings section (heading, two lines, blanks): the legacy
  // entry has no group of its own, so it reopens http to the cluster group (its own MP019 line, "opened in staging").
  expect(visible(md).length).toBeLessThanOrEqual(24);
  expect(bullets).toContain("- **opened in staging**: http 8080 from group var.cluster_security_group_id through security group aws_security_group.edge_security-groups_members — MP019 warning");
  expect(bullets[0]).toMatch(/^- \*\*entry kind gateway-api → ingress\*\* in staging: the legacy ingress-nginx entry is deprecated \(retired in March 2026, no more security fixes\); prefer entry.kind gateway-api; \d+ entry resources change$/);
  // The same public route table: no route line.
  expect(bullets.some((l) => l.includes("route table"))).toBe(false);
  const staging = section(md, "staging");
  expect(staging).toContain("**Entry:** ⚠️ `ingress` (legacy ingress-nginx entry, **deprecated**: retired in March 2026, no more security fixes; move to `gateway-api`) · hosts: `mimir.staging.example.com`");
  expect(staging).toContain("| `/api/v1/push` | exact | POST | `mimir-distributor` (distributor) |");
  expect(section(md, "prod")).toContain("**Entry:** `gateway-api` · hosts: `mimir.example.com` · public API groups: write, read, rules, alertmanager");
  golden("pr-legacy-ingress.md", md);
});
