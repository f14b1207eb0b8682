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

const PKI = join(__dirname, "fixtures/probe");
const pem = (f: string) => readFileSync(join(PKI, f));
const seen: string[] = [];

type Behaviour = { requireCert: boolean; operator200?: boolean };
function tlsServer(b: Behaviour): Promise<HttpsServer> {
  const server = createHttps({ key: pem("server.key"), cert: pem("server.pem"), ca: pem("ca.pem"), requestCert: b.requireCert, rejectUnauthorized: b.requireCert }, (req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const operator = ["/config", "/ingester/ring", "/debug/pprof/", "/memberlist"].includes(req.url ?? "");
    res.writeHead(operator && !b.operator200 ? 404 : 200, { "content-type": "text/plain" });
    res.end(operator && !b.operator200 ? "404 page not found" : "ok");
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
  ca: join(PKI, "ca.pem"),
  ...(cert ? { cert: join(PKI, "client.pem"), key: join(PKI, "client.key") } : {}),
  internalPorts: [e.internal],
  httpPort: e.httpPort,
  timeoutMs: 2000,
  stack: "prod",
});

test("a correct mutual-TLS entry: no finding; only GET and HEAD were sent", async () => {
  const e = await entry({ requireCert: true });
  expect(await probe(e.target, opts(e))).toEqual([]);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.every((s) => /^(GET|HEAD) /.test(s))).toBe(true);
  // Without the client certificate the handshake failed: the public path was never served.
  expect(seen).not.toContain("GET /prometheus/api/v1/status/buildinfo");
});

test("an entry that accepts clients without a certificate is MP018 critical", async () => {
  const e = await entry({ requireCert: false });
  const findings = await probe(e.target, opts(e));
  expect(findings.map((f) => [f.ruleId, f.severity, f.live?.object])).toEqual([["MP018", "critical", `probe ${e.target}/prometheus/api/v1/status/buildinfo`]]);
  expect(findings[0].message).toBe(`${e.target} answers HTTP 200 without credentials (mutual TLS: the handshake must fail without a client certificate)`);
});

test("an operator path answering 200 to a client certificate is MP016, naming the path", async () => {
  const e = await entry({ requireCert: true, operator200: true });
  const findings = await probe(e.target, opts(e));
  expect(findings.map((f) => f.ruleId)).toEqual(["MP016", "MP016", "MP016", "MP016"]);
  expect(findings[0].message).toBe(`operator path /config answers HTTP 200 at ${e.target}`);
});

test("a certificate from another CA does not get in (the operator paths stay closed to it)", async () => {
  const e = await entry({ requireCert: true, operator200: true });
  const findings = await probe(e.target, { ...opts(e), cert: join(PKI, "stranger.pem"), key: join(PKI, "stranger.key") });
  expect(findings).toEqual([]);
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
