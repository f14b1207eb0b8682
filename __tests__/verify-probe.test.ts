/**
 * `verify --probe`: against loopback TLS servers (Node `https` with `requestCert`) that behave like a
 * correct mutual-TLS entry and like broken ones. Test-only PKI in __tests__/fixtures/probe (make.sh).
 */
import { readFileSync } from "node:fs";
import { createServer as createHttp, type Server as HttpServer } from "node:http";
import { createServer as createHttps, type Server as HttpsServer } from "node:https";
import { createServer as createTcp, type Server as TcpServer } from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { probe } from "../modules/live/probe";
import { readContractInput } from "../modules/live/contract-input";
import { GROUP_PROBES } from "../modules/live/probe-classes";
import { PUBLIC_API_GROUPS, READ_ONLY_OF, publicRoutes, routeFor, type PublicApiGroup } from "../modules/contract/public-api";

/** The reference prod's classes, read from its `terraform output -json mimir_port_contract` (auth.classes). */
const CLASSES = readContractInput(join(__dirname, "fixtures/live/prod/contract.json")).classes!;

const PKI = join(__dirname, "fixtures/probe");
const pem = (f: string) => readFileSync(join(PKI, f));
const seen: string[] = [];

/** The length of every request body the entry received (a probe never sends one). */
const bodies: number[] = [];

/**
 * Like a class's ALB listener: its rules forward only its groups' paths, each for its route's methods (the public
 * table's), to Mimir; every other request gets the listener's fixed 404. `groups` (default the agents': write);
 * `allGroups`: a broken listener that forwards every group's paths and methods to any valid certificate. Mimir's
 * answers: an empty push, rule group or Alertmanager configuration is a 400, the build info and rule listing 200.
 */
type Behaviour = { requireCert: boolean; operator200?: boolean; allGroups?: boolean; groups?: readonly PublicApiGroup[] };
const MIMIR: Record<string, number> = {
  "POST /api/v1/push": 400,
  "GET /prometheus/api/v1/status/buildinfo": 200,
  "POST /prometheus/config/v1/rules/mimir-ports-probe": 400,
  "GET /prometheus/config/v1/rules": 200,
  "POST /api/v1/alerts": 400,
  "GET /alertmanager/api/v1/status/buildinfo": 200,
  "GET /api/v1/upload/block/01HXYZ/check": 400,
};
const forwards = (groups: readonly PublicApiGroup[], method: string, url: string) => {
  const route = routeFor(url, publicRoutes(groups).filter((r) => (r.methods as readonly string[]).includes(method)));
  return route !== undefined;
};
function tlsServer(b: Behaviour): Promise<HttpsServer> {
  const server = createHttps({ key: pem("server.key"), cert: pem("server.pem"), ca: pem("ca.pem"), requestCert: b.requireCert, rejectUnauthorized: b.requireCert }, (req, res) => {
    seen.push(`${req.method} ${req.url}`);
    let length = 0;
    req.on("data", (c: Buffer) => (length += c.length));
    req.on("end", () => {
      bodies.push(length);
      const url = req.url ?? "";
      const operator = ["/config", "/ingester/ring", "/debug/pprof/", "/memberlist"].includes(url);
      const key = `${req.method} ${url}`;
      const status = operator ? (b.operator200 ? 200 : 404) : forwards(b.allGroups ? PUBLIC_API_GROUPS : (b.groups ?? ["write"]), req.method ?? "", url) && MIMIR[key] ? MIMIR[key] : 404;
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status === 404 ? "404 page not found" : "ok");
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}
function plainServer(redirect: boolean): Promise<HttpServer> {
  const server = createHttp((req, res) => {
    seen.push(`${req.method} ${req.url} (http)`);
    if (redirect) res.writeHead(301, { location: `https://${req.headers.host}${req.url}` });
    else res.writeHead(200);
    res.end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}
const port = (s: { address(): AddressInfo | string | null }) => (s.address() as AddressInfo).port;
const close = (s: { close(cb: () => void): unknown }) => new Promise<void>((resolve) => s.close(() => resolve()));
/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createTcp();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const p = port(s);
  await close(s);
  return p;
}

let servers: Array<HttpServer | HttpsServer | TcpServer> = [];
afterEach(async () => {
  await Promise.all(servers.map(close));
  servers = [];
  seen.length = 0;
  bodies.length = 0;
});

async function entry(b: Behaviour, redirect = true, internalOpen = false) {
  const tls = await tlsServer(b);
  const http = await plainServer(redirect);
  servers.push(tls, http);
  let internal = await closedPort();
  if (internalOpen) {
    const tcp = createTcp((s) => s.end());
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    servers.push(tcp);
    internal = port(tcp);
  }
  return { target: `https://127.0.0.1:${port(tls)}`, httpPort: port(http), internal };
}

const opts = (e: { httpPort: number; internal: number }, cert = true) => ({
  authMode: "mtls",
  classes: CLASSES,
  ca: join(PKI, "ca.pem"),
  ...(cert ? { cert: join(PKI, "client.pem"), key: join(PKI, "client.key") } : {}),
  internalPorts: [e.internal],
  httpPort: e.httpPort,
  timeoutMs: 2000,
  stack: "prod",
});

/** Only reads were sent: GETs, HEAD to the redirect port, and POSTs with an empty body (nothing to store). */
const nothingWritten = () => {
  expect(seen.every((s) => /^(GET|HEAD|POST) /.test(s))).toBe(true);
  expect(bodies.every((n) => n === 0)).toBe(true);
};

test("a correct mutual-TLS entry: no finding; only GETs and empty POSTs were sent", async () => {
  const e = await entry({ requireCert: true });
  expect(await probe(e.target, opts(e))).toEqual([]);
  expect(seen.length).toBeGreaterThan(0);
  nothingWritten();
  // Without the client certificate the handshake failed: the public path was asked once, with the certificate (the class probe).
  expect(seen.filter((s) => s === "GET /prometheus/api/v1/status/buildinfo")).toHaveLength(1);
});

test("an entry that accepts clients without a certificate is MP018 critical", async () => {
  const e = await entry({ requireCert: false, allGroups: true });
  const findings = await probe(e.target, opts(e, false));
  expect(findings.map((f) => [f.ruleId, f.severity, f.live?.object])).toEqual([["MP018", "critical", `probe ${e.target}/prometheus/api/v1/status/buildinfo`]]);
  expect(findings[0].message).toBe(`${e.target} answers HTTP 200 without credentials (mutual TLS: the handshake must fail without a client certificate)`);
});

test("an operator path answering 200 to a client certificate is MP016, naming the path", async () => {
  const e = await entry({ requireCert: true, operator200: true });
  const findings = await probe(e.target, opts(e));
  expect(findings.map((f) => f.ruleId)).toEqual(["MP016", "MP016", "MP016", "MP016"]);
  expect(findings[0].message).toBe(`operator path /config answers HTTP 200 at ${e.target}`);
});

test("a certificate from another CA does not get in (the operator paths stay closed to it); the class scope is then unconfirmed, a warning", async () => {
  const e = await entry({ requireCert: true, operator200: true, allGroups: true });
  const findings = await probe(e.target, { ...opts(e), cert: join(PKI, "stranger.pem"), key: join(PKI, "stranger.key") });
  expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([["MP015", "warning"]]);
  expect(findings[0].message).toMatch(/^class agents's own groups do not answer its certificate at .*: write \(POST \/api\/v1\/push: TLS handshake refused/);
});

test("the class→groups mapping is the contract output's auth.classes", () => {
  expect(CLASSES).toEqual([
    { name: "agents", mode: "mtls", groups: ["write"] },
    { name: "operators", mode: "oidc", groups: ["read", "rules", "alertmanager"] },
  ]);
});

test("a per-class listener serves the agents' certificate only the write group: no finding, and no write was sent", async () => {
  const e = await entry({ requireCert: true });
  expect(await probe(e.target, opts(e))).toEqual([]);
  // Every group was asked about, write with an empty POST (the only method its listener forwards: it reached the distributor, wrote nothing).
  expect(seen).toEqual(expect.arrayContaining(["POST /api/v1/push", "GET /prometheus/api/v1/status/buildinfo", "POST /prometheus/config/v1/rules/mimir-ports-probe", "GET /prometheus/config/v1/rules", "POST /api/v1/alerts", "GET /alertmanager/api/v1/status/buildinfo", "GET /api/v1/upload/block/01HXYZ/check"]));
  nothingWritten();
});

test("a listener that serves every group to any valid certificate: each group outside the class is MP018, naming the group and path", async () => {
  const e = await entry({ requireCert: true, allGroups: true });
  const findings = await probe(e.target, opts(e));
  expect(findings.map((f) => [f.ruleId, f.severity, f.live?.object])).toEqual([
    ["MP018", "critical", `probe ${e.target}/prometheus/api/v1/status/buildinfo`],
    ["MP018", "error", `probe ${e.target}/prometheus/config/v1/rules/mimir-ports-probe`],
    ["MP018", "critical", `probe ${e.target}/prometheus/config/v1/rules`],
    ["MP018", "error", `probe ${e.target}/api/v1/alerts`],
    ["MP018", "critical", `probe ${e.target}/alertmanager/api/v1/status/buildinfo`],
    ["MP018", "error", `probe ${e.target}/api/v1/upload/block/01HXYZ/check`],
  ]);
  expect(findings[1].message).toBe(`class agents's certificate reaches group rules, which the class does not hold: POST /prometheus/config/v1/rules/mimir-ports-probe answers HTTP 400 at ${e.target} (past the listener: its fixed response is 404)`);
  expect(findings[2].message).toBe(`class agents's certificate reaches group rules-read, which the class does not hold: GET /prometheus/config/v1/rules answers HTTP 200 at ${e.target}`);
  expect(findings[5].message).toBe(`class agents's certificate reaches group block-upload, which the class does not hold: GET /api/v1/upload/block/01HXYZ/check answers HTTP 400 at ${e.target} (past the listener: its fixed response is 404)`);
  nothingWritten();
});

test("a read-only class: its listener forwarding only GET of the ruler and Alertmanager configuration is a clean pass; one forwarding every method is MP018 for rules and alertmanager", async () => {
  const viewers = [{ name: "viewers", mode: "mtls", groups: ["read", "rules-read", "alertmanager-read"] }];
  const ok = await entry({ requireCert: true, groups: ["read", "rules-read", "alertmanager-read"] });
  expect(await probe(ok.target, { ...opts(ok), classes: viewers })).toEqual([]);
  await Promise.all(servers.map(close));
  servers = [];
  const wide = await entry({ requireCert: true, groups: ["read", "rules", "alertmanager"] });
  const findings = await probe(wide.target, { ...opts(wide), classes: viewers });
  expect(findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
    ["MP018", "error", `class viewers's certificate reaches group rules, which the class does not hold: POST /prometheus/config/v1/rules/mimir-ports-probe answers HTTP 400 at ${wide.target} (past the listener: its fixed response is 404)`],
    ["MP018", "error", `class viewers's certificate reaches group alertmanager, which the class does not hold: POST /api/v1/alerts answers HTTP 400 at ${wide.target} (past the listener: its fixed response is 404)`],
  ]);
  nothingWritten();
});

test("a class with rules and alertmanager covers their read-only forms: the GETs answering is no finding", async () => {
  const e = await entry({ requireCert: true, groups: ["read", "rules", "alertmanager"] });
  expect(await probe(e.target, { ...opts(e), classes: [{ name: "operators", mode: "mtls", groups: ["read", "rules", "alertmanager"] }] })).toEqual([]);
});

test("a write-only class's write path refused as well is unconfirmed scope, not a clean pass", async () => {
  const e = await entry({ requireCert: true });
  const findings = await probe(e.target, { ...opts(e), classes: [{ name: "agents", mode: "mtls", groups: ["write", "read"] }] });
  expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([["MP015", "warning"]]);
  expect(findings[0].message).toContain("read (GET /prometheus/api/v1/status/buildinfo: HTTP 404)");
});

test("the certificate's class: --class names it; an oidc class, an unknown one, or two mtls classes without --class are one-line errors", async () => {
  const e = await entry({ requireCert: true, allGroups: true });
  const two = [{ name: "agents", mode: "mtls", groups: ["write"] }, { name: "admins", mode: "mtls", groups: ["write", "read", "rules", "alertmanager", "block-upload"] }];
  expect(await probe(e.target, { ...opts(e), classes: two, className: "admins" })).toEqual([]);
  await expect(probe(e.target, { ...opts(e), classes: two })).rejects.toThrow("--client-cert: the contract lists 2 mtls classes (agents, admins); name the certificate's with --class NAME");
  await expect(probe(e.target, { ...opts(e), className: "operators" })).rejects.toThrow("--class operators: its authentication is oidc; a client certificate proves only an mtls class (agents)");
  await expect(probe(e.target, { ...opts(e), className: "robots" })).rejects.toThrow("--class robots: the contract has no such client class; it lists agents (mtls), operators (oidc)");
});

test("a contract that lists no classes: the class scope is not probed, said as a warning (unknown is not safe)", async () => {
  const e = await entry({ requireCert: true });
  const findings = await probe(e.target, { ...opts(e), classes: undefined });
  expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([["MP015", "warning"]]);
  expect(findings[0].message).toMatch(/the contract lists no client classes \(auth\.classes\)/);
});

test("port 80 that serves instead of redirecting is MP003", async () => {
  const e = await entry({ requireCert: true }, false);
  const findings = await probe(e.target, opts(e));
  expect(findings.map((f) => [f.ruleId, f.message])).toEqual([["MP003", `port ${e.httpPort} at 127.0.0.1 answers HTTP 200 instead of redirecting to HTTPS`]]);
});

test("an internal port that accepts connections at the entry's address is MP001", async () => {
  const e = await entry({ requireCert: true }, true, true);
  const findings = await probe(e.target, opts(e));
  expect(findings.map((f) => [f.ruleId, f.message])).toEqual([["MP001", `Mimir's internal port ${e.internal} accepts connections at 127.0.0.1 (from where verify runs)`]]);
});

test("bad probe input is a one-line error naming the option", async () => {
  await expect(probe("http://127.0.0.1:1", { internalPorts: [], stack: "prod" })).rejects.toThrow("--probe http://127.0.0.1:1: expected https://host[:port] (the entry's TLS listener)");
  await expect(probe("https://127.0.0.1:1", { internalPorts: [], stack: "prod", cert: "x.pem" })).rejects.toThrow("--client-cert and --client-key go together");
});

test("each group's probe is a request its public route forwards, in a method its read-only form does not (GET, or POST which the probe sends empty)", () => {
  for (const [group, { method, path }] of Object.entries(GROUP_PROBES) as Array<[PublicApiGroup, { method: string; path: string }]>) {
    const route = routeFor(path, publicRoutes([group]));
    expect([group, route?.group, (route?.methods as readonly string[] | undefined)?.includes(method)]).toEqual([group, group, true]);
    expect(["GET", "POST"]).toContain(method);
    // Told apart from the group that reads it: the full group's probe method is not forwarded for the read-only form.
    const readOnly = (Object.keys(READ_ONLY_OF) as PublicApiGroup[]).find((g) => READ_ONLY_OF[g] === group);
    if (readOnly) expect(publicRoutes([readOnly]).some((r) => routeFor(path, [r]) && (r.methods as readonly string[]).includes(method))).toBe(false);
  }
  expect(Object.keys(GROUP_PROBES).sort()).toEqual([...PUBLIC_API_GROUPS].sort());
});

test("the URL's port names the class's listener: at the operators' (oidc) listener a redirect without credentials is right, and the agents' certificate scope is not probed there", async () => {
  const e = await entry({ requireCert: false });
  // A listener like the operators': every path redirects to the identity provider without a session.
  const oidc = createHttps({ key: pem("server.key"), cert: pem("server.pem") }, (req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(302, { location: "https://idp.example.com/oauth2/authorize" });
    res.end();
  });
  await new Promise<void>((resolve) => oidc.listen(0, "127.0.0.1", resolve));
  servers.push(oidc);
  const target = `https://127.0.0.1:${port(oidc)}`;
  const findings = await probe(target, { ...opts(e), classPorts: [port(servers[0] as HttpsServer), port(oidc)] });
  expect(findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([["MP015", "warning", `${target} is class operators's listener (oidc), not class agents's: the certificate's scope was not probed there`]]);
  nothingWritten();
});
