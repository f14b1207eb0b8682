/**
 * `--probe https://host[:port]`: from where verify runs, ask the entry what an outsider gets. GET and
 * HEAD only, never a write; at most fifteen requests (five more with a client certificate: one per API group), each bounded in time and bytes read.
 *  - without a client certificate the TLS handshake fails (mtls) or the answer is 401/403 (oidc, basic);
 *  - operator paths (`/config`, `/ingester/ring`, `/debug/pprof/`, `/memberlist`) never answer 2xx,
 *    even with the client certificate;
 *  - with a class's client certificate, only the class's API groups answer (./probe-classes.ts);
 *  - the plain-HTTP port (the contract's `httpRedirect`) only redirects (or refuses);
 *  - Mimir's internal ports at the host refuse connections.
 */
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import { PortContract } from "../contract/port-contract";
import { InputError } from "../exposure/terraform-json";
import { certificateClass, GROUP_PROBES, groupsToProbe, NOT_FORWARDED, type ProbeClass } from "./probe-classes";
import type { LiveFinding } from "./verify";

export const OPERATOR_PATHS = ["/config", "/ingester/ring", "/debug/pprof/", "/memberlist"] as const;
/** A public read path every Mimir answers (the build info), asked without credentials. */
const PUBLIC_PATH = "/prometheus/api/v1/status/buildinfo";

export interface ProbeOptions {
  /** `mtls`, `oidc`, `basic` or `none` (from the contract output); undefined: not known, the no-credential check still runs. */
  readonly authMode?: string;
  readonly cert?: string;
  /** The client classes (the contract output's `auth.classes`); undefined: not listed. */
  readonly classes?: readonly ProbeClass[];
  /** `--class NAME`: the class the certificate belongs to (default: the one mtls class). */
  readonly className?: string;
  /** The classes' listener ports, in class order (default: the contract's public `https`, then `secondClassHttps`). */
  readonly classPorts?: readonly number[];
  readonly key?: string;
  /** CA bundle to trust the entry's server certificate (default: the system's). */
  readonly ca?: string;
  /** Mimir's internal ports (http, grpc, memberlist): they must refuse connections at the host. */
  readonly internalPorts: readonly number[];
  /** The plain-HTTP port that must only redirect (default: the contract's public `httpRedirect`). */
  readonly httpPort?: number;
  readonly timeoutMs?: number;
  readonly stack: string;
}

type Answer = { kind: "status"; status: number; location?: string } | { kind: "tls-refused"; why: string } | { kind: "refused"; why: string } | { kind: "timeout" };

const MAX_BODY = 64 * 1024;

function ask(url: URL, method: "GET" | "HEAD" | "POST", tls: { cert?: Buffer; key?: Buffer; ca?: Buffer }, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = request(url, { method, timeout: timeoutMs, headers: { "user-agent": "mimir-ports-verify-probe", ...(method === "POST" ? { "content-length": "0" } : {}) }, ...(url.protocol === "https:" ? { ...tls, servername: url.hostname === "127.0.0.1" ? undefined : url.hostname, agent: false } : { agent: false }) }, (res) => {
      let read = 0;
      res.on("data", (c: Buffer) => {
        read += c.length;
        if (read > MAX_BODY) res.destroy();
      });
      res.on("close", () => resolve({ kind: "status", status: res.statusCode ?? 0, location: res.headers.location }));
      res.on("error", () => resolve({ kind: "status", status: res.statusCode ?? 0, location: res.headers.location }));
    });
    req.on("timeout", () => {
      req.destroy();
      resolve({ kind: "timeout" });
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ECONNREFUSED" || err.code === "EHOSTUNREACH" || err.code === "ENETUNREACH") return resolve({ kind: "refused", why: err.code });
      // A handshake the server ends (certificate required, bad certificate, reset during the handshake).
      resolve({ kind: "tls-refused", why: `${err.code ?? ""} ${err.message}`.trim() });
    });
    req.end();
  });
}

function tcpOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.on("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.on("error", () => resolve(false));
  });
}

const said = (a: Answer) => (a.kind === "status" ? `HTTP ${a.status}${a.location ? ` → ${a.location}` : ""}` : a.kind === "timeout" ? "no answer (timed out)" : a.kind === "refused" ? `connection refused (${a.why})` : `TLS handshake refused (${a.why})`);

const PEM_OF: Record<string, string> = { "--client-cert": "the class's client certificate", "--client-key": "the client certificate's private key", "--probe-ca": "the CA bundle that signed the entry's server certificate" };

function readPem(file: string | undefined, option: string): Buffer | undefined {
  if (file === undefined) return undefined;
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (err) {
    throw new InputError(`${option} ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); expected ${PEM_OF[option]} (a PEM file)`);
  }
  if (!pem.includes("-----BEGIN ")) throw new InputError(`${option} ${file}: not a PEM file (no "-----BEGIN" line); expected ${PEM_OF[option]} (a PEM file)`);
  return pem;
}

/** The --probe URL, checked: https, a host, a port from 1 to 65535 when one is given. */
function probeUrl(target: string): URL {
  const port = /^[a-z][a-z0-9+.-]*:\/\/(?:\[[^\]]*\]|[^/:?#]*):([^/?#]*)/i.exec(target)?.[1];
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw new InputError(`--probe ${target}: port ${JSON.stringify(port)} is not an integer from 1 to 65535; expected https://host[:port], or no port for the contract's https listener`);
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new InputError(`--probe ${target}: not a URL; expected https://host[:port]`);
  }
  if (url.protocol !== "https:") throw new InputError(`--probe ${target}: expected https://host[:port] (the entry's TLS listener)`);
  if (url.hostname === "") throw new InputError(`--probe ${target}: no host; expected https://host[:port]`);
  return url;
}

/** Every probe flag checked before anything is read or asked: the URLs, the certificate with its key, the PEM files. */
export function checkProbeInput(targets: readonly string[], o: Pick<ProbeOptions, "cert" | "key" | "className" | "ca">): { urls: URL[]; ca?: Buffer; cert?: Buffer; key?: Buffer } {
  const urls = targets.map(probeUrl);
  if ((o.cert === undefined) !== (o.key === undefined)) throw new InputError(`${o.cert === undefined ? `--client-key ${o.key}` : `--client-cert ${o.cert}`} without ${o.cert === undefined ? "--client-cert" : "--client-key"}: --client-cert and --client-key go together (the class's certificate and its key)`);
  if (o.className !== undefined && o.cert === undefined) throw new InputError(`--class ${o.className} names the class of --client-cert; give --client-cert and --client-key too`);
  return { urls, ca: readPem(o.ca, "--probe-ca"), cert: readPem(o.cert, "--client-cert"), key: readPem(o.key, "--client-key") };
}

export async function probe(target: string, o: ProbeOptions): Promise<LiveFinding[]> {
  const checked = checkProbeInput([target], o);
  const url = checked.urls[0];
  const cls = o.cert !== undefined && o.classes ? certificateClass(o.classes, o.className) : undefined;
  // The class whose listener the URL names (the first class on the contract's https port, the second on secondClassHttps): its mode is what an outsider meets.
  const pub = PortContract.create().public;
  const atClass = o.classes?.[(o.classPorts ?? [pub.https, pub.secondClassHttps]).indexOf(url.port === "" ? pub.https : Number(url.port))]; // no port: the first class's (https) listener
  const mode = atClass?.mode ?? o.authMode;
  const timeout = o.timeoutMs ?? 5000;
  const ca = checked.ca;
  const withCert = { cert: checked.cert, key: checked.key, ca };
  const base = `${url.protocol}//${url.host}`;
  const findings: LiveFinding[] = [];
  const finding = (ruleId: string, severity: LiveFinding["severity"], where: string, message: string, fix: string): void => {
    const address = `probe.live[${JSON.stringify(where)}]`;
    findings.push({ ruleId, severity, stack: o.stack, file: target, address, message, fix, path: [`verify's host`, where], live: { status: "out-of-band", object: `probe ${where}`, notes: [] } });
  };

  // 1. No credentials.
  const anon = await ask(new URL(PUBLIC_PATH, base), "GET", { ca }, timeout);
  const refusedAnon = anon.kind !== "status" || anon.status === 401 || anon.status === 403 || (mode === "oidc" && anon.status >= 300 && anon.status < 400);
  if (mode !== "none" && !refusedAnon) {
    finding("MP018", "critical", `${base}${PUBLIC_PATH}`, `${base} answers ${said(anon)} without credentials${mode === "mtls" ? " (mutual TLS: the handshake must fail without a client certificate)" : ""}`, mode === "mtls" ? "set the listener's mutual authentication to verify with the trust store (mutual_authentication.mode verify)" : "put the authentication in front of every public route");
  }
  // 2. Operator paths, with the strongest credential the probe has.
  for (const path of OPERATOR_PATHS) {
    const a = await ask(new URL(path, base), "GET", withCert, timeout);
    if (a.kind === "status" && a.status >= 200 && a.status < 300) finding("MP016", "critical", `${base}${path}`, `operator path ${path} answers ${said(a)} at ${base}`, "route only Mimir's public API to the entry; operator endpoints stay inside the cluster");
  }
  // 2b. The class's scope: its groups answer, no other group does.
  if (o.cert !== undefined && !cls) {
    finding("MP015", "warning", base, `the contract lists no client classes (auth.classes), so which API groups the certificate may use is unknown: the class scope at ${base} was not probed`, "pass the stack or `terraform output -json mimir_port_contract` of a version that lists auth.classes");
  }
  if (cls && atClass && atClass.name !== cls.name) {
    finding("MP015", "warning", base, `${base} is class ${atClass.name}'s listener (${atClass.mode}), not class ${cls.name}'s: the certificate's scope was not probed there`, `probe class ${cls.name}'s listener port with its certificate`);
  } else if (cls) {
    const unconfirmed: string[] = [];
    for (const { group, inClass } of groupsToProbe(cls)) {
      const { method, path } = GROUP_PROBES[group];
      const a = await ask(new URL(path, base), method, withCert, timeout);
      const forwarded = a.kind === "status" && !(NOT_FORWARDED as readonly number[]).includes(a.status);
      if (inClass && !forwarded) unconfirmed.push(`${group} (${method} ${path}: ${said(a)})`);
      if (!inClass && forwarded) {
        const ok = a.status >= 200 && a.status < 300;
        finding("MP018", ok ? "critical" : "error", `${base}${path}`, `class ${cls.name}'s certificate reaches group ${group}, which the class does not hold: ${method} ${path} answers ${said(a)} at ${base}${ok ? "" : " (past the listener: its fixed response is 404)"}`, `forward only class ${cls.name}'s groups (${cls.groups.join(", ")}) on its listener; every other path gets the listener's fixed 404`);
      }
    }
    if (unconfirmed.length > 0) {
      finding("MP015", "warning", base, `class ${cls.name}'s own groups do not answer its certificate at ${base}: ${unconfirmed.join("; ")}; the class scope is unconfirmed (is the URL the class's listener port and the certificate the class's?)`, `probe the listener of class ${cls.name} with a certificate its trust store accepts`);
    }
  }
  // 3. The plain-HTTP port only redirects to HTTPS (or is closed).
  const httpPort = o.httpPort ?? PortContract.create().public.httpRedirect;
  const plain = await ask(new URL(`http://${url.hostname}:${httpPort}/`), "HEAD", {}, timeout);
  if (plain.kind === "status" && !(plain.status >= 300 && plain.status < 400 && /^https:/i.test(plain.location ?? ""))) {
    finding("MP003", "error", `http://${url.hostname}:${httpPort}/`, `port ${httpPort} at ${url.hostname} answers ${said(plain)} instead of redirecting to HTTPS`, "make the HTTP listener redirect to HTTPS (or remove it)");
  }
  // 4. Internal ports at the host refuse connections.
  for (const port of [...new Set(o.internalPorts)]) {
    if (await tcpOpen(url.hostname, port, timeout)) finding("MP001", "critical", `${url.hostname}:${port}`, `Mimir's internal port ${port} accepts connections at ${url.hostname} (from where verify runs)`, "remove the listener or rule that opens it; only the TLS listener faces clients");
  }
  return findings;
}
