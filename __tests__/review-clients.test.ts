/**
 * Client classes in the review (issue 27): read from the `mimir_port_contract` output, printed in each
 * environment's section like the synth summary prints them, and a change that widens what a class reaches
 * (a group gained, a new class, weaker authentication) is a high risk on `contract.clients.<name>`.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { buildApp, environments } from "../main";
import { load } from "../modules/cli/inputs";
import type { ClientClassInfo } from "../modules/exposure/clients-info";
import { fromSynthesized } from "../modules/exposure/terraform-json";
import { summarizeChanges } from "../modules/review/changes";
import { renderJson } from "../modules/review/json";
import { envSection } from "../modules/review/markdown-env";
import { buildReview, type StackReport } from "../modules/review/report";
import { ROOT, TEST_OUT } from "./helpers";

const OUT = join(ROOT, TEST_OUT, "review-clients");
let prod: StackReport;
let dev: StackReport;

beforeAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  buildApp(OUT, environments.filter((e) => e.name === "prod" || e.name === "dev")).synth();
  const stacks = buildReview(load(OUT), undefined, "error").stacks;
  prod = stacks.find((s) => s.stack === "prod")!;
  dev = stacks.find((s) => s.stack === "dev")!;
});
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

/** prod with its declared classes changed: the resources stay the same. */
function withClients(change: (cs: readonly ClientClassInfo[]) => ClientClassInfo[]): StackReport {
  return { ...prod, model: { ...prod.model, contract: { ...prod.model.contract, clients: change(prod.model.contract.clients!) } } };
}
const agentsWith = (patch: Partial<ClientClassInfo>) => withClients((cs) => cs.map((c) => (c.name === "agents" ? { ...c, ...patch } : c)));
const lines = (head: StackReport) => summarizeChanges([prod], [head]).lines.map((l) => `${l.level ?? "-"} ${l.text}`);
const risks = (head: StackReport) => summarizeChanges([prod], [head]).risks.map((r) => `${r.level} ${r.address}: ${r.says}`);

test("the classes are read from the contract output: prod's two classes, dev's single auth as one class with every served group", () => {
  expect(prod.model.contract.clients!.map((c) => [c.name, c.mode, c.groups])).toEqual([
    ["agents", "mtls", ["write"]],
    ["operators", "oidc", ["read", "rules", "alertmanager"]],
  ]);
  expect(prod.model.contract.clients![0].trusts).toMatch(/^s3:\/\/acme-mimir-pki\/prod\//);
  expect(dev.model.contract.clients).toEqual([{ name: "default", mode: "none", groups: dev.model.contract.entry!.groups }]);
  // An older output without `auth` declares no classes: nothing is invented.
  const old = fromSynthesized("x", "x.json", { output: { mimir_port_contract: { value: { ports: { http: 8080 } } } } });
  expect(old.contract.clients).toBeUndefined();
});

test("each environment's section prints its classes and their groups as the synth summary does", () => {
  expect(envSection(prod)).toContain("**Client classes:** agents (mtls): write; operators (oidc): read, rules, alertmanager");
  expect(envSection(dev)).toContain(`**Client classes:** default (none): ${dev.model.contract.entry!.groups.join(", ")}`);
});

test("agents that gain alertmanager: a high risk on contract.clients.agents in the comment and in review.json", () => {
  const head = agentsWith({ groups: ["write", "alertmanager"] });
  expect(lines(head)).toEqual(["high **high risk** in prod: client class `agents` (mtls) gains `alertmanager`: every credential of the class now reaches it"]);
  const review = buildReview([], undefined, "error");
  const json = JSON.parse(renderJson({ ...review, stacks: [head], changes: summarizeChanges([prod], [head]), riskThreshold: "high", status: "fail" }));
  // The class is the environment's: its source is the line that creates the environment's stack.
  expect(json.risks).toEqual([{ level: "high", stack: "prod", address: "contract.clients.agents", says: "client class `agents` (mtls) gains `alertmanager`: every credential of the class now reaches it", source: expect.stringMatching(/^main\.ts:\d+$/) }]);
  expect(json.stacks[0].contract.clients[0]).toEqual(expect.objectContaining({ name: "agents", mode: "mtls", groups: ["write", "alertmanager"] }));
});

test("a new class is a high risk; a class removed or narrowed is a line without risk", () => {
  const added = withClients((cs) => [...cs, { name: "backfill", mode: "mtls", groups: ["block-upload"], trusts: "s3://acme-mimir-pki/prod/backfill-ca.pem" }]);
  expect(risks(added)).toEqual(["high contract.clients.backfill: new client class `backfill` (mtls) reaches `block-upload`"]);
  const narrowed = withClients((cs) => cs.filter((c) => c.name === "agents").map((c) => c));
  expect(risks(narrowed)).toEqual([]);
  expect(lines(narrowed)).toEqual(["- **client class `operators` removed** in prod: its oidc credentials no longer reach `read`, `rules`, `alertmanager`"]);
  const fewer = withClients((cs) => cs.map((c) => (c.name === "operators" ? { ...c, groups: ["read"] } : c)));
  expect(risks(fewer)).toEqual([]);
  expect(lines(fewer)).toEqual(["- **client class `operators` narrowed** in prod: loses `rules`, `alertmanager`"]);
});

test("weaker authentication of a class is a high risk; another CA of the same strength is a line", () => {
  expect(risks(agentsWith({ mode: "basic", trusts: "mimir-basic-auth" }))).toEqual(["high contract.clients.agents: client class `agents` authenticates less: authentication mtls → basic"]);
  expect(risks(agentsWith({ revocations: 0 }))).toEqual(["high contract.clients.agents: client class `agents` authenticates less: checks 0 revocation list(s) instead of 1: revoked certificates are accepted again"]);
  // An identity provider's signed token proves as much as a certificate: a line, not a risk.
  expect(risks(agentsWith({ mode: "jwt", trusts: "https://login.example.com/realms/acme" }))).toEqual([]);
  expect(lines(agentsWith({ mode: "jwt", trusts: "https://login.example.com/realms/acme" }))).toEqual([`- **client class \`agents\` authentication changed** in prod: mtls (${prod.model.contract.clients![0].trusts}) → jwt (https://login.example.com/realms/acme)`]);
  const rotated = agentsWith({ trusts: "s3://acme-mimir-pki/prod/agents-ca-2027.pem" });
  expect(risks(rotated)).toEqual([]);
  expect(lines(rotated)).toEqual([`- **client class \`agents\` authentication changed** in prod: mtls (${prod.model.contract.clients![0].trusts}) → mtls (s3://acme-mimir-pki/prod/agents-ca-2027.pem)`]);
});

test("across environments the same widening is one line naming both", () => {
  const staging = { ...prod, stack: "staging" };
  const wide = (s: StackReport) => ({ ...s, model: { ...s.model, contract: { ...s.model.contract, clients: s.model.contract.clients!.map((c) => (c.name === "agents" ? { ...c, groups: ["write", "read"] } : c)) } } });
  const summary = summarizeChanges([prod, staging], [wide(prod), wide(staging)]);
  expect(summary.lines.map((l) => l.text)).toEqual(["**high risk** in all 2 environments: client class `agents` (mtls) gains `read`: every credential of the class now reaches it"]);
  expect(summary.risks.map((r) => `${r.stack} ${r.address}`)).toEqual(["prod contract.clients.agents", "staging contract.clients.agents"]);
});

test("--fail-on-risk high fails the review when a class widens, and passes when it narrows", () => {
  const model = (s: StackReport) => s.model;
  const wide = agentsWith({ groups: ["write", "rules"] });
  const narrow = withClients((cs) => cs.map((c) => (c.name === "operators" ? { ...c, groups: ["read", "alertmanager"] } : c)));
  expect(buildReview([model(wide)], [model(prod)], "error", {}, { failOnRisk: "high" }).status).toBe("fail");
  expect(buildReview([model(narrow)], [model(prod)], "error", {}, { failOnRisk: "high" }).status).toBe("pass");
});

test("splitting a single auth into classes: the class on the same CA is the old one renamed and narrowed; the operators' class is new", () => {
  const single = withClients((cs) => [{ ...cs[0], name: "default", groups: ["write", "read", "rules", "alertmanager"] }]);
  const summary = summarizeChanges([single], [prod]);
  expect(summary.lines.map((l) => `${l.level ?? "-"} ${l.text}`)).toEqual([
    "high **high risk** in prod: new client class `operators` (oidc) reaches `read`, `rules`, `alertmanager`",
    `- **client class \`default\` renamed \`agents\`** in prod: the same mtls credentials (${prod.model.contract.clients![0].trusts})`,
    "- **client class `agents` narrowed** in prod: loses `read`, `rules`, `alertmanager`",
  ]);
  expect(summary.risks.map((r) => r.address)).toEqual(["contract.clients.operators"]);
});

test("read-only groups: operators narrowed from rules to rules-read is a plain narrowing line; agents gaining alertmanager-read is a high risk", () => {
  const narrowed = withClients((cs) => cs.map((c) => (c.name === "operators" ? { ...c, groups: ["read", "rules-read", "alertmanager"] } : c)));
  expect(lines(narrowed)).toEqual(["- **client class `operators` narrowed** in prod: loses `rules`"]);
  expect(lines(agentsWith({ groups: ["write", "alertmanager-read"] }))).toEqual(["high **high risk** in prod: client class `agents` (mtls) gains `alertmanager-read`: every credential of the class now reaches it"]);
  // rules-read → rules widens (POST and DELETE of the ruler configuration) and loses nothing (rules covers rules-read)
  const reading = withClients((cs) => cs.map((c) => (c.name === "agents" ? { ...c, groups: ["write", "rules-read"] } : c)));
  expect(summarizeChanges([reading], [agentsWith({ groups: ["write", "rules"] })]).lines.map((l) => `${l.level ?? "-"} ${l.text}`)).toEqual(["high **high risk** in prod: client class `agents` (mtls) gains `rules`: every credential of the class now reaches it"]);
});
