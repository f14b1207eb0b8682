/**
 * Bad input to `mimir-ports verify`, `init`, `synth` and the output paths of `review` and `pr-review`: one line naming the flag (or field), the
 * value and the fix, exit 2, nothing read as clean, nothing written, no stack trace.
 */
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { verifyCommand } from "../modules/cli/verify-command";
import { init } from "../modules/cli/init/init-command";
import { projectAppCommand } from "../modules/cli/project-app";
import { reviewCommand } from "../modules/cli/review-command";
import { prReviewCommand } from "../modules/cli/pr-review-command";
import { UserError } from "../modules/cli/run";
import { ROOT, runTsx, TEST_OUT } from "./helpers";

const W = join(ROOT, TEST_OUT, "cli-bad-input");
const LIVE = join(ROOT, "__tests__/fixtures/live/prod");
const CONTRACT = join(LIVE, "contract.json");
const KUBE = ["kube-core.json", "kube-gateway-api.json", "kube-envoy-gateway.json", "kube-aws.json"].flatMap((f) => ["--kube", join(LIVE, f)]);
const AWS = ["--aws", join(LIVE, "aws")];
const at = (name: string) => join(W, name);

const FILES: Record<string, string> = {
  "bad.json": "{bad",
  "text.json": "hello\n",
  "array.json": "[1, 2]",
  "object.json": '{"foo": 1}',
  "not-a-list.json": '{"kind": "Foo"}',
  "item-without-kind.json": JSON.stringify({ kind: "List", apiVersion: "v1", items: [{ metadata: { name: "x" } }] }),
  "item-without-metadata.json": JSON.stringify({ kind: "List", apiVersion: "v1", items: [{ kind: "Service", apiVersion: "v1" }] }),
  "item-not-an-object.json": JSON.stringify({ kind: "ServiceList", apiVersion: "v1", items: [null] }),
  "truncated.json": '{"kind": "List", "items": [{"kind": "Service", "metadata": {"name": "x"',
  "cert.pem": "not a certificate\n",
};

beforeAll(() => {
  rmSync(W, { recursive: true, force: true });
  mkdirSync(join(W, "empty-dir"), { recursive: true });
  for (const [name, text] of Object.entries(FILES)) writeFileSync(at(name), text);
  for (const [dir, file, text] of [
    ["aws-no-security-groups", "ec2-describe-security-groups.json", '{"Foo": []}'],
    ["aws-truncated", "ec2-describe-security-groups.json", '{"SecurityGroups": [{"GroupId": "sg-1"'],
    ["aws-null-entry", "ec2-describe-security-groups.json", '{"SecurityGroups": [null]}'],
  ] as const) {
    cpSync(join(LIVE, "aws"), at(dir), { recursive: true });
    writeFileSync(join(at(dir), file), text);
  }
});
afterAll(() => rmSync(W, { recursive: true, force: true }));

/** verify in process: a UserError is what the CLI prints (`mimir-ports: <message>`, its exit code); anything else thrown is a stack trace and fails the test. */
async function verifyRun(args: string[]): Promise<{ code: number; message: string; stdout: string }> {
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    return { code: await verifyCommand(args), message: "", stdout: out.join("") };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { code: err.exitCode, message: err.message, stdout: out.join("") };
  } finally {
    process.stdout.write = write;
  }
}

type Row = [label: string, args: () => string[], message: RegExp];
const ROWS: Row[] = [
  ["unknown flag", () => ["--contrct", CONTRACT], /^Unknown option '--contrct'; usage: mimir-ports verify --contract /],
  ["--contract missing", () => [...KUBE, ...AWS], /^verify: --contract is required \(the stack directory of cdktf\.out/],
  ["--contract that does not exist", () => ["--contract", at("nope"), ...KUBE, ...AWS], /^--contract .*nope: no such file or directory; expected a cdktf\.out stack directory/],
  ["--contract a directory without stacks", () => ["--contract", at("empty-dir"), ...KUBE, ...AWS], /^--contract .*empty-dir: no stacks found \(expected a cdktf\.out directory/],
  ["--contract invalid JSON", () => ["--contract", at("bad.json"), ...KUBE, ...AWS], /^--contract .*bad\.json: not valid JSON \(.+\); expected a cdktf\.out stack directory, a cdk\.tf\.json or the JSON of `terraform output -json mimir_port_contract`$/],
  ["--contract text", () => ["--contract", at("text.json"), ...KUBE, ...AWS], /^--contract .*text\.json: not valid JSON \(.+\); expected a cdktf\.out stack directory/],
  ["--contract JSON of the wrong shape", () => ["--contract", at("object.json"), ...KUBE, ...AWS], /^--contract .*object\.json: no contract in it \(expected \{"ports"/],
  ["--contract a JSON array", () => ["--contract", at("array.json"), ...KUBE, ...AWS], /^--contract .*array\.json: no contract in it/],
  ["--kube not JSON", () => ["--contract", CONTRACT, "--kube", at("text.json"), ...AWS], /text\.json: not valid JSON \(.+\); expected the JSON of `kubectl get <kinds> -A -o json`/],
  ["--kube truncated JSON", () => ["--contract", CONTRACT, "--kube", at("truncated.json"), ...AWS], /truncated\.json: not valid JSON .*; expected the JSON of `kubectl get/],
  ["--kube a JSON array", () => ["--contract", CONTRACT, "--kube", at("array.json"), ...AWS], /array\.json: not a JSON object; expected the JSON of `kubectl get/],
  ["--kube JSON that is not a List", () => ["--contract", CONTRACT, "--kube", at("not-a-list.json"), ...AWS], /not-a-list\.json: neither a List nor a Kubernetes object \(kind "Foo"\)/],
  ["--kube a directory", () => ["--contract", CONTRACT, "--kube", at("empty-dir"), ...AWS], /empty-dir: cannot read \(EISDIR\); expected the JSON of `kubectl get/],
  ["--kube List item without kind", () => ["--contract", CONTRACT, "--kube", at("item-without-kind.json"), ...AWS], /item-without-kind\.json: items\[0\] is not a Kubernetes object \(it needs kind and metadata\.name; got \{"metadata":\{"name":"x"\}\}\); expected the JSON of `kubectl get <kinds> -A -o json` \(a List with items\), unedited$/],
  ["--kube List item without metadata", () => ["--contract", CONTRACT, "--kube", at("item-without-metadata.json"), ...AWS], /item-without-metadata\.json: items\[0\] is not a Kubernetes object \(it needs kind and metadata\.name; got \{"kind":"Service","apiVersion":"v1"\}\)/],
  ["--kube List item null", () => ["--contract", CONTRACT, "--kube", at("item-not-an-object.json"), ...AWS], /item-not-an-object\.json: items\[0\] is not a Kubernetes object \(it needs kind and metadata\.name; got null\)/],
  ["--aws directory missing", () => ["--contract", CONTRACT, ...KUBE, "--aws", at("no-such-dir")], /^--aws .*no-such-dir: no such directory; expected the files of `mimir-ports verify --print-commands`$/],
  ["--aws a file", () => ["--contract", CONTRACT, ...KUBE, "--aws", at("bad.json")], /^--aws .*bad\.json: no such directory/],
  ["--aws file without SecurityGroups", () => ["--contract", CONTRACT, ...KUBE, "--aws", at("aws-no-security-groups")], /ec2-describe-security-groups\.json: no "SecurityGroups" list; expected the output of `aws ec2 describe-security-groups --output json`$/],
  ["--aws truncated file", () => ["--contract", CONTRACT, ...KUBE, "--aws", at("aws-truncated")], /ec2-describe-security-groups\.json: not valid JSON .*; expected the output of `aws ec2 describe-security-groups --output json`$/],
  ["--aws list entry null", () => ["--contract", CONTRACT, ...KUBE, "--aws", at("aws-null-entry")], /ec2-describe-security-groups\.json: SecurityGroups\[0\] is null, not an object; expected the output of `aws ec2 describe-security-groups --output json`, unedited$/],
  ["--stack with the contract output", () => ["--contract", CONTRACT, "--stack", "prod", ...KUBE, ...AWS], /^--contract .*contract\.json: --stack prod picks a stack of a cdktf\.out, but this is the contract output of one environment; drop --stack, or pass the cdktf\.out$/],
  ["--kubeconfig without --kube-context", () => ["--contract", CONTRACT, "--kubeconfig", at("no-kubeconfig"), ...KUBE, ...AWS], /^verify: --kubeconfig .*no-kubeconfig is read only with --kube-context NAME; add --kube-context \(the context to read\) or drop --kubeconfig$/],
  ["--format bogus", () => ["--contract", CONTRACT, ...KUBE, ...AWS, "--format", "bogus"], /^verify: --format "bogus" is not one of text, json, sarif$/],
  ["--fail-on bogus", () => ["--contract", CONTRACT, ...KUBE, ...AWS, "--fail-on", "bogus"], /^--fail-on "bogus" is not a severity; use one of critical, error, warning, note$/],
  ["--probe http", () => ["--contract", CONTRACT, "--probe", "http://mimir.example.com"], /^--probe http:\/\/mimir\.example\.com: expected https:\/\/host\[:port\] \(the entry's TLS listener\)$/],
  ["--probe not a URL", () => ["--contract", CONTRACT, "--probe", "mimir.example.com"], /^--probe mimir\.example\.com: not a URL; expected https:\/\/host\[:port\]$/],
  ["--probe port 99999", () => ["--contract", CONTRACT, "--probe", "https://mimir.example.com:99999"], /^--probe https:\/\/mimir\.example\.com:99999: port "99999" is not an integer from 1 to 65535; expected https:\/\/host\[:port\]/],
  ["--probe port 0", () => ["--contract", CONTRACT, "--probe", "https://mimir.example.com:0"], /^--probe https:\/\/mimir\.example\.com:0: port "0" is not an integer from 1 to 65535/],
  ["--probe port abc", () => ["--contract", CONTRACT, "--probe", "https://mimir.example.com:abc"], /^--probe https:\/\/mimir\.example\.com:abc: port "abc" is not an integer from 1 to 65535/],
  ["the second --probe bad", () => ["--contract", CONTRACT, "--probe", "https://127.0.0.1:1", "--probe", "https://[::1]:70000"], /^--probe https:\/\/\[::1\]:70000: port "70000" is not an integer from 1 to 65535/],
  ["--client-cert without --client-key", () => ["--contract", CONTRACT, "--probe", "https://127.0.0.1:1", "--client-cert", at("cert.pem")], /^--client-cert .*cert\.pem without --client-key: --client-cert and --client-key go together/],
  ["--client-key without --client-cert", () => ["--contract", CONTRACT, "--probe", "https://127.0.0.1:1", "--client-key", at("cert.pem")], /^--client-key .*cert\.pem without --client-cert: --client-cert and --client-key go together/],
  ["--class without --client-cert", () => ["--contract", CONTRACT, "--probe", "https://127.0.0.1:1", "--class", "tenant"], /^--class tenant names the class of --client-cert; give --client-cert and --client-key too$/],
  ["--client-cert unreadable", () => ["--contract", CONTRACT, "--probe", "https://127.0.0.1:1", "--client-cert", at("no-cert.pem"), "--client-key", at("cert.pem")], /^--client-cert .*no-cert\.pem: cannot read \(ENOENT\); expected the class's client certificate \(a PEM file\)$/],
  ["--client-cert a directory", () => ["--contract", CONTRACT, "--probe", "https://127.0.0.1:1", "--client-cert", at("empty-dir"), "--client-key", at("cert.pem")], /^--client-cert .*empty-dir: cannot read \(EISDIR\)/],
  ["--client-cert not PEM", () => ["--contract", CONTRACT, "--probe", "https://127.0.0.1:1", "--client-cert", at("cert.pem"), "--client-key", at("cert.pem")], /^--client-cert .*cert\.pem: not a PEM file \(no "-----BEGIN" line\); expected the class's client certificate \(a PEM file\)$/],
  ["--probe-ca unreadable", () => ["--contract", CONTRACT, "--probe", "https://127.0.0.1:1", "--probe-ca", at("no-ca.pem")], /^--probe-ca .*no-ca\.pem: cannot read \(ENOENT\); expected the CA bundle/],
  ["--client-cert without --probe", () => ["--contract", CONTRACT, ...KUBE, ...AWS, "--client-cert", at("cert.pem"), "--client-key", at("cert.pem")], /^verify: --client-cert .*cert\.pem is used only by --probe; add --probe https:\/\/host\[:port\] \(the entry to ask\) or drop --client-cert$/],
  ["--class without --probe", () => ["--contract", CONTRACT, ...KUBE, ...AWS, "--class", "tenant"], /^verify: --class tenant is used only by --probe; add --probe/],
  ["--probe-ca without --probe", () => ["--contract", CONTRACT, ...KUBE, ...AWS, "--probe-ca", at("cert.pem")], /^verify: --probe-ca .* is used only by --probe/],
];

describe("mimir-ports verify: each bad input is one line, exit 2, nothing printed on stdout", () => {
  test.each(ROWS)("%s", async (_label, args, message) => {
    const r = await verifyRun(args());
    expect(r.message).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.message.split("\n")).toHaveLength(1);
    expect(r.stdout).toBe("");
  });

  test("the bad probe flags are refused before any probe is sent (the first --probe's closed port is never asked)", async () => {
    const started = Date.now();
    const r = await verifyRun(["--contract", CONTRACT, "--probe", "https://127.0.0.1:1", "--probe", "https://127.0.0.1:99999"]);
    expect(r.code).toBe(2);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("mimir-ports init: a file where a folder goes is refused, exit 2, nothing written", () => {
  test("init into a file path: one line, no stack trace", () => {
    const file = at("a-file");
    writeFileSync(file, "mine\n");
    const r = runTsx(["bin/mimir-ports.ts", "init", file]);
    expect(r.stderr.trim().split("\n")).toEqual([`mimir-ports: init: ${file} is a file, not a directory; nothing was written. Name a new or empty directory (npx mimir-ports init <new-dir>)`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
  });

  test("a file named .github where the workflows' folder goes: refused before any file is written", () => {
    const dir = at("github-file");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, ".github"), "mine\n");
    let error: unknown;
    try {
      init(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as UserError).message).toBe(`init: ${join(dir, ".github")} is a file, not a directory; nothing was written. Run init in an empty directory (npx mimir-ports init <new-dir>)`);
    expect(readdirSync(dir)).toEqual([".github"]);
  });
});

describe("mimir-ports synth: cdktf.json that names no app", () => {
  const project = (name: string, cdktf?: string) => {
    const dir = at(name);
    mkdirSync(dir, { recursive: true });
    if (cdktf !== undefined) writeFileSync(join(dir, "cdktf.json"), cdktf);
    return dir;
  };
  test.each([
    ["no cdktf.json", undefined, /^no cdktf\.json in .*: run this in your cdktf project \(or create one with `npx mimir-ports init`\)$/],
    ["cdktf.json without app", '{"language": "typescript"}', /cdktf\.json: "app" must name the command that runs your app, e.g\. "node --import tsx main\.ts"$/],
    ["cdktf.json with an empty app", '{"app": "  "}', /cdktf\.json: "app" must name the command that runs your app/],
    ["cdktf.json null", "null", /cdktf\.json: "app" must name the command that runs your app/],
    ["cdktf.json an array", '["node main.ts"]', /cdktf\.json: "app" must name the command that runs your app/],
    ["cdktf.json invalid JSON", "{app", /cdktf\.json: not valid JSON \(.+\); expected cdktf's project file, e.g\. \{"app": "node --import tsx main\.ts"\}$/],
  ] as const)("%s: one line, exit 2", (label, cdktf, message) => {
    const dir = project(label.replace(/\W+/g, "-"), cdktf);
    let error: unknown;
    try {
      projectAppCommand(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(message);
    expect((error as UserError).exitCode).toBe(2);
  });
});

describe("review and pr-review: an output path that cannot be written is refused before anything is read or written", () => {
  const refused = async (command: (args: string[]) => Promise<number>, args: string[]): Promise<UserError> => {
    let error: unknown;
    try {
      await command(args);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    return error as UserError;
  };
  const head = () => at("no-head-needed");

  test.each([
    ["--out a directory", () => ["--out", at("empty-dir")], () => `review: --out ${at("empty-dir")} is a directory; name a file to write (a new one, or one to overwrite)`],
    ["--json in a missing directory", () => ["--json", at("no-dir/review.json")], () => `review: --json ${at("no-dir/review.json")}: no directory ${at("no-dir")}; create it first or name a file in an existing directory`],
    ["--sarif under a file", () => ["--sarif", at("bad.json/review.sarif")], () => `review: --sarif ${at("bad.json/review.sarif")}: ${at("bad.json")} is a file, not a directory; name a file in a directory`],
    ["--fail-on-risk bogus", () => ["--fail-on-risk", "bogus"], () => 'review: --fail-on-risk "bogus" is not one of critical, high, medium, none'],
  ])("review %s", async (_label, args, message) => {
    expect((await refused(reviewCommand, ["--head", head(), ...args()])).message).toBe(message());
  });

  test.each([
    ["--out a file", () => at("bad.json"), () => `pr-review: --out ${at("bad.json")}: ${at("bad.json")} is a file, not a directory; name a new or existing directory`],
    ["--out under a file", () => at("bad.json/sub/out"), () => `pr-review: --out ${at("bad.json/sub/out")}: ${at("bad.json")} is a file, not a directory; name a new or existing directory`],
  ])("pr-review %s", async (_label, out, message) => {
    expect((await refused(prReviewCommand, ["--head", head(), "--out", out()])).message).toBe(message());
  });

  test("pr-review --fail-on-risk bogus: refused before the --out folder is made", async () => {
    const out = at("pr-out-never-made");
    expect((await refused(prReviewCommand, ["--head", head(), "--out", out, "--fail-on-risk", "HIGH"])).message).toBe('pr-review: --fail-on-risk "HIGH" is not one of critical, high, medium, none');
    expect(readdirSync(W)).not.toContain("pr-out-never-made");
  });
});
