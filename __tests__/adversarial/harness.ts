/**
 * The adversarial suite's harness: build a real cdktf App with the project's
 * constructs plus an attacker's (or a neighbour's) resources, synthesize it as
 * a user would (`app.synth()`), and run `mimir-ports check` in-process through
 * its real entry (`runCli` + the `check` command) on the synthesized JSON or a
 * plan fixture.
 */
import { App, TerraformStack, Testing } from "cdktf";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Construct } from "constructs";
import { commands } from "../../modules/cli/commands";
import { runCli } from "../../modules/cli/run";
import { MimirStack } from "../../modules/stack/mimir-stack";
import { CA } from "../auth-fixtures";
import { env } from "../helpers";

export const FIXTURES = join(__dirname, "..", "fixtures", "adversarial");

/** The stack every synth case builds on. */
export type Base =
  /**
   * Internet-facing ALB in front of the chart's gateway (TargetGroupBinding to
   * mimir-gateway:http-metrics), NetworkPolicies off: an exposure must not
   * depend on whether the engine credits our deny-by-default policies (or the
   * cluster's CNI enforces them).
   */
  | "edge"
  /**
   * The same with our NetworkPolicies on and mutual TLS at the load balancer (NetworkPolicy classes and neighbours):
   * the hardened edge a neighbour lives beside. Without NetworkPolicies every pod reaches Mimir's http through the
   * nodes' probe rule (MP019), and an unauthenticated internet-facing listener needs an acknowledgement whose
   * fingerprint covers every forwarding rule, so a neighbour that adds a public route would be refused for that.
   */
  | "edge-np"
  /** Internal ALB in front of an ingress controller (the helpers' default environment). */
  | "internal"
  /** A plain TerraformStack: the case adds Mimir constructs itself. */
  | "plain";

export const ENV_NAME = "adv";

export function baseEnvironment(base: Base, overrides: Record<string, unknown> = {}) {
  if (base === "internal") return env({ name: ENV_NAME, monitoring: { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" }, securityGroupIds: ["sg-0a1b2c3d4e5f60718"] }, ...overrides });
  return env({
    name: ENV_NAME,
    loadBalancer: { scheme: "internet-facing", allowedCidrs: ["0.0.0.0/0"], target: { kind: "mimir" } },
    networkPolicy: base === "edge-np" ? { loadBalancerCidrs: ["10.0.0.0/16"] } : { enabled: false },
    monitoring: { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" }, securityGroupIds: ["sg-0a1b2c3d4e5f60718"] },
    ...(base === "edge-np"
      ? { auth: EDGE_MTLS, acknowledgements: [] }
      : // auth.mode none's reason does not cover a critical MP018 from the internet: this base accepts exactly its own
        // listener (the fingerprint synth prints), so a new listener, route or source is refused.
        { acknowledgements: [EDGE_AUTH_ACKNOWLEDGEMENT] }),
    ...overrides,
  });
}

/** Mutual TLS at the edge-np base's load balancer (client certificates verified against the agents' CA). */
export const EDGE_MTLS = { mode: "mtls", caBundle: CA, tenant: "t" } as const;

/** The edge base's explicit acknowledgement of its unauthenticated internet-facing listener (authentication is tested in auth*.test.ts). */
export const EDGE_AUTH_ACKNOWLEDGEMENT = {
  rule: "MP018",
  resource: ENV_NAME,
  reason: "test fixture: authentication is tested in auth*.test.ts",
  accepts: { severity: "critical", sources: ["0.0.0.0/0"], scheme: "internet-facing", via: ["9 forwarding rules 9123f4439a5d", "listener HTTPS 443"] },
} as const;

/** What a finding must say: every regex must match one finding (its line plus continuation lines). */
export interface Expect {
  /** The rule id; default any `MPnnn`. */
  readonly rule?: RegExp;
  /** The untrusted source (or the entry that makes it untrusted). */
  readonly source: RegExp;
  /** The Mimir port, by name or number. */
  readonly port: RegExp;
  /** A resource on the path (default: an attacker resource, every id starts with `atk`). */
  readonly at?: RegExp;
  /** Extra things the finding must say (e.g. /critical/). */
  readonly also?: readonly RegExp[];
  /** Things `check`'s whole output must say besides the finding (e.g. that validation was skipped). */
  readonly checkSays?: readonly RegExp[];
  /** Things synth's refusal must never say (e.g. cdktf's hint to skip validation). */
  readonly never?: readonly RegExp[];
  /** Exit code of `check` (default 1). */
  readonly exit?: 1 | 2;
}

export interface SynthCase {
  readonly class: string;
  readonly name: string;
  readonly base: Base;
  /** Environment overrides for the base. */
  readonly env?: Record<string, unknown>;
  /** Adds the attacker's resources (for "plain": everything). */
  readonly build: (stack: TerraformStack) => void;
  /** Exposure: synth refuses and check flags. Omitted for a legitimate neighbour. */
  readonly expect?: Expect;
  /** Extra `check` arguments. */
  readonly checkArgs?: readonly string[];
  /** App options (e.g. skipValidation). */
  readonly app?: { readonly skipValidation?: boolean };
}

export interface PlanCase {
  readonly class: string;
  readonly name: string;
  /** File under __tests__/fixtures/adversarial/. */
  readonly plan: string;
  readonly checkArgs?: readonly string[];
  /** Omitted for a clean plan (exit 0). */
  readonly expect?: Expect;
}

export const mimirStackOf = (s: TerraformStack): MimirStack => {
  if (!(s instanceof MimirStack)) throw new Error("this case needs a MimirStack base");
  return s;
};

export interface SynthResult {
  /** The message `app.synth()` threw, if it threw. */
  readonly error?: string;
  /** A directory `check` can read: the app's outdir, or (when synth refused) the stack's JSON written as cdktf would. */
  readonly checkInput: string;
  readonly stack: TerraformStack;
  /** Did synth write the stack's JSON into the app's outdir? */
  readonly written: boolean;
}

/** Build and synthesize one case in its own App. */
export function synthCase(c: SynthCase): SynthResult {
  const app = c.app?.skipValidation ? new App({ outdir: mkdtempSync(join(tmpdir(), "adv-")), skipValidation: true }) : Testing.app({ enableFutureFlags: false });
  let stack: TerraformStack;
  if (c.base === "plain") {
    stack = new TerraformStack(app as Construct, ENV_NAME);
  } else {
    stack = new MimirStack(app, { environment: baseEnvironment(c.base, c.env) });
  }
  c.build(stack);
  try {
    app.synth();
    return { checkInput: app.outdir, stack, written: true };
  } catch (err) {
    // Nothing was written: write what cdktf would have written, so `check` judges the same JSON.
    const dir = join(mkdtempSync(join(tmpdir(), "adv-refused-")), ENV_NAME);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(stack.toTerraform(), null, 2));
    return { error: (err as Error).message, checkInput: dir, stack, written: existsSync(join(app.outdir, "stacks", ENV_NAME, "cdk.tf.json")) };
  }
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `mimir-ports check <args>` in-process, through runCli as bin/mimir-ports.ts runs it. */
export async function runCheck(args: readonly string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const origOut = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  const listeners = process.stdout.listeners("error");
  const previousExit = process.exitCode;
  process.exitCode = undefined;
  (process.stdout as any).write = (chunk: unknown) => (out.push(String(chunk)), true);
  (process.stderr as any).write = (chunk: unknown) => (err.push(String(chunk)), true);
  let code: number;
  try {
    await runCli(() => commands.check([...args]), "mimir-ports");
    code = typeof process.exitCode === "number" ? process.exitCode : Number(process.exitCode ?? 0);
  } finally {
    (process.stdout as any).write = origOut;
    (process.stderr as any).write = origErr;
    for (const l of process.stdout.listeners("error")) if (!listeners.includes(l)) process.stdout.removeListener("error", l as (...a: any[]) => void);
    process.exitCode = previousExit;
  }
  return { code, stdout: out.join(""), stderr: err.join("") };
}

/** Findings in a text: a line naming a rule id, plus the lines after it that name none. */
export function findingBlocks(text: string): string[] {
  const blocks: string[] = [];
  for (const line of text.split("\n")) {
    if (/\bMP\d{3}\b/.test(line) || blocks.length === 0) blocks.push(line);
    else blocks[blocks.length - 1] += `\n${line}`;
  }
  return blocks.filter((b) => /\bMP\d{3}\b/.test(b));
}

export function expectationRegexes(e: Expect): RegExp[] {
  return [e.rule ?? /\bMP\d{3}\b/, e.source, e.port, e.at ?? /atk/, ...(e.also ?? [])];
}

/** Throws with the whole output when no finding says everything the case expects. */
export function assertFinding(where: string, text: string, e: Expect): void {
  const want = expectationRegexes(e);
  const ok = findingBlocks(text).some((b) => want.every((r) => r.test(b)));
  if (!ok) throw new Error(`${where}: no finding matches all of ${want.map(String).join(" ")}\n--- output:\n${text}`);
}

/**
 * The exposure assertions, one jest test per case, grouped by class:
 * synth refuses naming the path, and `check` exits 1 (or the case's code) naming it too.
 */
export function describeExposures(cases: readonly SynthCase[]): void {
  const byClass = new Map<string, SynthCase[]>();
  for (const c of cases) byClass.set(c.class, [...(byClass.get(c.class) ?? []), c]);
  describe.each([...byClass.entries()])("exposure class %s", (_klass, list) => {
    test.each(list.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
      const e = c.expect!;
      const result = synthCase(c);
      // skipValidation does not skip the contract policy: synth refuses all the same.
      if (result.error === undefined) throw new Error("app.synth() succeeded; expected the contract policy to refuse this exposure");
      assertFinding("app.synth()", result.error, e);
      if (result.written) throw new Error("app.synth() refused but wrote the stack's JSON anyway");
      for (const never of e.never ?? []) if (never.test(result.error)) throw new Error(`app.synth()'s refusal says ${never}\n--- output:\n${result.error}`);
      const check = await runCheck([result.checkInput, ...(c.checkArgs ?? [])]);
      const output = `${check.stdout}\n${check.stderr}`;
      if (check.code !== (e.exit ?? 1)) throw new Error(`mimir-ports check exited ${check.code}, expected ${e.exit ?? 1}\n--- output:\n${output}`);
      assertFinding("mimir-ports check", output, e);
      for (const says of e.checkSays ?? []) if (!says.test(output)) throw new Error(`mimir-ports check does not say ${says}\n--- output:\n${output}`);
    });
  });
}

/**
 * The neighbour assertions, one jest test per case: `app.synth()` passes and `mimir-ports check` exits 0 with
 * nothing at error or above, acknowledged or not, except the internal base's own decision to run without
 * authentication (auth.mode none acknowledges an internal MP018); the edge-np base authenticates (mutual TLS).
 */
export function describeNeighbours(title: string, cases: readonly SynthCase[]): void {
  const baseDecision = (b: string) => /^\s*\[acknowledged: auth\.mode none: [^\]]*\] MP018 /.test(b);
  describe(title, () => {
    test.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
      const result = synthCase(c);
      if (result.error !== undefined) throw new Error(`app.synth() refused a legitimate neighbour:\n${result.error}`);
      const check = await runCheck([result.checkInput]);
      const output = `${check.stdout}\n${check.stderr}`;
      if (check.code !== 0) throw new Error(`mimir-ports check exited ${check.code}, expected 0\n--- output:\n${output}`);
      expect(findingBlocks(check.stdout).filter((b) => /\b(critical|error)\b/.test(b) && !baseDecision(b))).toEqual([]);
    });
  });
}
