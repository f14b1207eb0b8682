/**
 * The entry path in the review: read from the `mimir_port_contract` output,
 * each change one summary line (route table, groups, entry kind, hosts,
 * operator access, authentication), and an honest "unknown" when an input
 * does not declare it.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { buildApp, environments } from "../main";
import { load } from "../modules/cli/inputs";
import type { EntryInfo } from "../modules/exposure/entry-info";
import { entryFrom } from "../modules/exposure/entry-info";
import { fromSynthesized } from "../modules/exposure/terraform-json";
import { summarizeChanges } from "../modules/review/changes";
import { renderJson } from "../modules/review/json";
import { envSection } from "../modules/review/markdown-env";
import { buildReview, type StackReport } from "../modules/review/report";
import { ROOT, TEST_OUT } from "./helpers";

const OUT = join(ROOT, TEST_OUT, "review-entry");
let prod: StackReport;

beforeAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  buildApp(OUT, environments.filter((e) => e.name === "prod")).synth();
  prod = buildReview(load(OUT), undefined, "error").stacks[0];
});

/** prod with its declared entry (and optionally its auth) replaced: the resources stay the same. */
function withEntry(change: (e: EntryInfo) => EntryInfo | undefined, auth: readonly string[] = prod.auth): StackReport {
  const { entry, ...contract } = prod.model.contract;
  const next = change(entry!);
  return { ...prod, auth, model: { ...prod.model, contract: { ...contract, ...(next ? { entry: next } : {}) } } };
}
const lines = (head: StackReport) => summarizeChanges([prod], [head]).lines.map((l) => `${l.level ?? "-"} ${l.text}`);

test("the entry path is read from the contract output, templates unescaped", () => {
  const e = prod.model.contract.entry!;
  expect(e.kind).toBe("gateway-api");
  expect(e.routes).toContainEqual({ path: "/prometheus/config/v1/rules", match: "prefix", component: "ruler", service: "mimir-ruler", group: "rules", methods: ["GET", "POST", "DELETE"] });
  const doc = fromSynthesized("x", "x.json", { output: { mimir_port_contract: { value: { ports: { http: 8080 }, entry: { kind: "ingress", legacy: true, hosts: ["$${a}.example.com"], groups: [], routes: [], operatorAccess: null } } } } });
  expect(doc.contract.entry).toEqual({ kind: "ingress", legacy: true, hosts: ["${a}.example.com"], groups: [], routes: [] });
  expect(entryFrom({ routes: [] }, String)).toBeUndefined();
});

test("an input without a declared entry says the route table is unknown, and JSON has entry null", () => {
  const old = withEntry(() => undefined);
  expect(envSection(old)).toContain("**Entry:** ❔ not declared in this input's contract output");
  const json = JSON.parse(renderJson({ stacks: [old], threshold: "error", failing: [], riskThreshold: "none", failingRisks: [], status: "pass", context: {} }));
  expect(json.stacks[0].entry).toBeNull();
  // Nothing to compare: no entry line is invented.
  expect(lines(old)).toEqual([]);
});

test("a route added and one re-routed: one route-table line", () => {
  const head = withEntry((e) => ({
    ...e,
    routes: [...e.routes.map((r) => (r.path === "/api/v1/push" ? { ...r, service: "mimir-gateway", component: "gateway" } : r)), { path: "/api/v1/upload", match: "prefix", component: "distributor", service: "mimir-distributor" }],
  }));
  expect(lines(head)).toEqual(["medium **public route table changed** in prod: 1 added (`/api/v1/upload`), 1 re-routed (`/api/v1/push`: mimir-distributor → mimir-gateway)"]);
});

test("a public API group turned on: one line with the routes it adds; hosts are a line of their own", () => {
  const head = withEntry((e) => ({ ...e, groups: [...e.groups, "blocks-upload"], hosts: ["mimir.example.org"], routes: [...e.routes, { path: "/api/v1/upload/block", match: "prefix", component: "distributor", service: "mimir-distributor" }] }));
  expect(lines(head)).toEqual([
    "medium **public API groups +blocks-upload** in prod: public routes 1 added (`/api/v1/upload/block`)",
    "- **entry hosts** in prod: mimir.example.com → mimir.example.org",
  ]);
});

test("operator access removed or narrowed, and authentication removed", () => {
  const oa = { cidrs: ["203.0.113.0/26", "198.51.100.0/26"], routes: [{ path: "/distributor/ha_tracker", match: "prefix", component: "distributor", service: "mimir-distributor" }], acknowledged: "on-call debugging" };
  const before = withEntry((e) => ({ ...e, operatorAccess: oa }));
  const after = withEntry((e) => ({ ...e, operatorAccess: { ...oa, cidrs: ["203.0.113.0/26"] } }), []);
  expect(summarizeChanges([before], [after]).lines.map((l) => `${l.level ?? "-"} ${l.text}`)).toEqual([
    "high **high risk** in prod: authentication removed: none: any client that reaches the entry can choose its tenant (X-Scope-OrgID)",
    "- **operator access narrowed** in prod: `/distributor/ha_tracker` from 203.0.113.0/26",
  ]);
  expect(summarizeChanges([before], [prod]).lines.map((l) => l.text)).toEqual(["**operator access removed** in prod: `/distributor/ha_tracker` no longer reachable from outside the cluster"]);
});
