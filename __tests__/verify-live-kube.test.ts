/**
 * `verify --kube-context`: the Kubernetes side read live with @kubernetes/client-node's kubeconfig
 * handling, against a loopback server that speaks the API's list endpoints (paged) from the fixtures.
 * The AWS side stays the offline files here (EC2 and ELBv2 speak the query/XML protocol; not served).
 * The CLI runs as a child process (the client is an ES module, which jest's module loader does not load).
 */
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { readKubeFiles } from "../modules/live/kube-files";
import { ROOT, TEST_OUT } from "./helpers";
import { synthInProcess } from "./helpers/synth-in-process";

const OUT = join(ROOT, TEST_OUT, "verify-live-kube");
const LIVE = join(ROOT, "__tests__/fixtures/live");
const PROD_KUBE = ["kube-core.json", "kube-gateway-api.json", "kube-envoy-gateway.json", "kube-aws.json"].map((f) => join(LIVE, "prod", f));
const TOKEN = "verify-test-token";
const plural = (kind: string) => { const k = kind.toLowerCase(); return k.endsWith("y") ? `${k.slice(0, -1)}ies` : k.endsWith("s") ? `${k}es` : `${k}s`; };
const pathOf = (o: Record<string, any>) => (String(o.apiVersion).includes("/") ? `/apis/${o.apiVersion}/${plural(o.kind)}` : `/api/${o.apiVersion}/${plural(o.kind)}`);

let server: Server;
let objects: Array<Record<string, any>> = [];
let refused = new Set<string>();
const seen: Array<{ method: string; path: string; auth?: string }> = [];
let kubeconfig: string;
let STACK: string;

beforeAll(async () => {
  STACK = join(OUT, "stacks", "prod");
  expect((await synthInProcess(["--outdir", OUT])).code).toBe(0);
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    seen.push({ method: req.method ?? "", path: url.pathname, auth: req.headers.authorization });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (refused.has(url.pathname)) return send(403, { kind: "Status", apiVersion: "v1", status: "Failure", message: `forbidden: cannot list resource at ${url.pathname}`, reason: "Forbidden", code: 403 });
    const all = objects.filter((o) => pathOf(o) === url.pathname);
    if (all.length === 0 && !objects.some((o) => pathOf(o).split("/").slice(0, -1).join("/") === url.pathname.split("/").slice(0, -1).join("/"))) return send(404, { kind: "Status", apiVersion: "v1", status: "Failure", message: "the server could not find the requested resource", reason: "NotFound", code: 404 });
    // Pages of 4, whatever the limit asks: the reader must follow `continue`.
    const from = Number(url.searchParams.get("continue") ?? "0");
    const page = all.slice(from, from + 4);
    const next = from + 4 < all.length ? String(from + 4) : undefined;
    const kind = all[0]?.kind ?? "Unknown";
    send(200, { kind: `${kind}List`, apiVersion: all[0]?.apiVersion ?? "v1", metadata: { resourceVersion: "4242", ...(next ? { continue: next } : {}) }, items: page.map(({ kind: _k, apiVersion: _a, ...rest }) => rest) });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  mkdirSync(OUT, { recursive: true });
  kubeconfig = join(OUT, "kubeconfig.yaml");
  writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: loopback\n  cluster:\n    server: http://127.0.0.1:${port}\n    insecure-skip-tls-verify: true\ncontexts:\n- name: acme-prod\n  context:\n    cluster: loopback\n    user: auditor\ncurrent-context: acme-prod\nusers:\n- name: auditor\n  user:\n    token: ${TOKEN}\n`);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(OUT, { recursive: true, force: true });
});
beforeEach(() => {
  objects = readKubeFiles(PROD_KUBE).objects;
  refused = new Set();
  seen.length = 0;
});

/** `mimir-ports verify ...` in a child process (the loopback server keeps answering in this one). */
function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "bin/mimir-ports.ts", "verify", ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: "0" }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

const args = () => ["--contract", STACK, "--kube-context", "acme-prod", "--kubeconfig", kubeconfig, "--aws", join(LIVE, "prod/aws"), "--format", "json"];

test("read live, the reference prod verifies clean as the offline files do; only GETs of list endpoints, with the context's credentials, every page", async () => {
  const r = await run(args());
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const json = JSON.parse(r.stdout);
  expect(json.live).toEqual(["context acme-prod", `--aws ${join(LIVE, "prod/aws")}`]);
  expect(json.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(["MP019"]);
  expect(new Set(seen.map((s) => s.method))).toEqual(new Set(["GET"]));
  expect(seen.every((s) => s.auth === `Bearer ${TOKEN}`)).toBe(true);
  expect(seen.map((s) => s.path)).toContain("/apis/networking.k8s.io/v1/networkpolicies");
  // More pods than one page: the reader followed `continue`.
  expect(seen.filter((s) => s.path === "/api/v1/pods").length).toBeGreaterThan(1);
});

test("read live, an out-of-band NetworkPolicy in the cluster is one finding naming it", async () => {
  objects.push(...readKubeFiles([join(LIVE, "out-of-band/allow-all-ns/kube.json")]).objects);
  const r = await run(args());
  expect(r.code).toBe(1);
  const live = JSON.parse(r.stdout).findings.filter((f: { live?: unknown }) => f.live);
  expect(live).toHaveLength(1);
  expect(live[0]).toMatchObject({ ruleId: "MP007", live: { status: "out-of-band", object: "NetworkPolicy mimir/allow-all-ns" } });
});

test("a kind the identity may not list (403) is unknown, not safe: MP015 names it and what it would have shown", async () => {
  refused.add("/apis/vpcresources.k8s.aws/v1beta1/securitygrouppolicies");
  const r = await run(args());
  expect(r.code).toBe(1);
  const msgs = JSON.parse(r.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === "MP015").map((f: { message: string }) => f.message);
  expect(msgs).toContainEqual(expect.stringMatching(/context acme-prod: securitygrouppolicies\.vpcresources\.k8s\.aws \(HTTP 403: forbidden: .*\) is missing, so SecurityGroupPolicies and TargetGroupBindings are unknown/));
});

test("an unknown context is one line naming the contexts there are, exit 2", async () => {
  const r = await run(["--contract", STACK, "--kube-context", "acme-staging", "--kubeconfig", kubeconfig, "--aws", join(LIVE, "prod/aws")]);
  expect(r).toMatchObject({ code: 2, stderr: "mimir-ports: --kube-context acme-staging: no such context in the kubeconfig (contexts: acme-prod)\n" });
});
