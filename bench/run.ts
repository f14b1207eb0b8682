/**
 * `npm run bench`: wall time and peak RSS of whole processes, medians of
 * RUNS runs after one warm-up, all in one run so the numbers compare as ratios.
 *
 *   npm run bench                 # all cases, 5 runs each
 *   npm run bench -- --runs 7     # more runs
 *   npm run bench -- --synth-only # the synth cases only: floor, reference app, same-output peer (the targets),
 *                                 # and the floor and the peer given our start-up too (for reading the ratios)
 *   npm run bench -- --consumer-only  # the consumer case only (bench/consumer.ts): the packed library in a fresh
 *                                 # app beside the same-output peer and the floor in that app, paired runs
 *
 * CPU time (user + system, all processes of a case) is reported beside the
 * wall time: on a loaded machine it moves much less than the wall time.
 *
 * Peak RSS comes from a preloaded hook (bench/usage.cjs) in every node process
 * of a case; for the cdktf CLI, which runs the app in a child, the largest
 * process is reported.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join, relative } from "node:path";
import { parseArgs } from "node:util";
import { writeConsumerApp } from "./consumer";
import { generatedEnvironments } from "./environments";
import { syntheticPlan } from "./plan";
import { sameResources, startUpLine, writePeerApp, type StartUp } from "./same-output-peer";

const ROOT = join(__dirname, "..");
const WORK = join(ROOT, "bench", ".work");
// Every case runs under tsx the way `npm run synth` does: node --import tsx <file>.
const TSX = ["--import", "tsx"];
// The synth cases run exactly `npm run synth`'s command (its node options too: package.json, scripts.synth).
const SYNTH = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.synth.split(/\s+/).slice(1);
const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, "synth-only": { type: "boolean", default: false }, "consumer-only": { type: "boolean", default: false } } });
const RUNS = Math.max(5, Number(values.runs));

interface Sample {
  wallMs: number;
  rssMb: number;
  cpuMs: number;
}

function run(args: string[], opts: { cwd?: string; env?: Record<string, string>; okCodes?: number[] } = {}): Sample {
  const usage = join(WORK, `usage-${process.pid}.txt`);
  rmSync(usage, { force: true });
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd: opts.cwd ?? ROOT,
    encoding: "utf8",
    // `check` on the 20,000-resource plan prints 1.3 MB of findings: past spawnSync's 1 MB default the child is killed.
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, ...opts.env, BENCH_USAGE_FILE: usage, NODE_OPTIONS: `--require ${join(ROOT, "bench/usage.cjs")}`, CHECKPOINT_DISABLE: "1", CI: "true" },
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (!(opts.okCodes ?? [0]).includes(r.status ?? -1)) throw new Error(`${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
  const lines = readFileSync(usage, "utf8").trim().split("\n").map((l) => l.split(" ").map(Number));
  return { wallMs, rssMb: Math.max(...lines.map((l) => l[1])) / 1024, cpuMs: lines.reduce((sum, l) => sum + l[2], 0) / 1000 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function measure(name: string, args: string[], opts: { cwd?: string; env?: Record<string, string>; okCodes?: number[] } = {}) {
  run(args, opts); // warm-up (file cache, tsx cache)
  const samples = Array.from({ length: RUNS }, () => run(args, opts));
  const result = { name, wallMs: median(samples.map((s) => s.wallMs)), cpuMs: median(samples.map((s) => s.cpuMs)), rssMb: median(samples.map((s) => s.rssMb)), runs: RUNS };
  process.stderr.write(`  ${name}: ${result.wallMs.toFixed(0)} ms wall, ${result.cpuMs.toFixed(0)} ms CPU, ${result.rssMb.toFixed(0)} MB\n`);
  return result;
}

/** The floor: one empty stack, the same providers, the same deep-path modules our library loads up front, run the same way (source maps off; nothing else of fast-start). */
function writeFloorApp(startUp: StartUp = "maps-off", dir = WORK): string {
  const imports = new Set<string>();
  const walk = (dir: string) => {
    for (const f of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, f.name);
      if (f.isDirectory()) walk(p);
      // Value imports only: a type-only import loads nothing, and a class required on first use (platform/kubernetes's Ingress) is not loaded up front.
      else if (p.endsWith(".ts")) for (const m of readFileSync(p, "utf8").matchAll(/^(?:import|export) (?!type )[^;]*? from "(@cdktf\/provider-[a-z]+\/lib\/[a-z0-9-]+)"/gm)) imports.add(m[1]);
    }
  };
  walk(join(ROOT, "modules"));
  const file = join(dir, `floor-${startUp}.ts`);
  writeFileSync(
    file,
    [
      `// Generated by bench/run.ts: the cost any cdktf app with these providers pays, run under tsx (start-up: ${startUp}).`,
      startUpLine(startUp),
      `const { App, S3Backend, TerraformStack } = require("cdktf");`,
      ...[...imports].sort().map((m) => `require(${JSON.stringify(m)});`),
      `const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");`,
      `const { KubernetesProvider } = require("@cdktf/provider-kubernetes/lib/provider");`,
      `const { HelmProvider } = require("@cdktf/provider-helm/lib/provider");`,
      `const app = new App({ outdir: process.argv[2] });`,
      `const stack = new TerraformStack(app, "floor");`,
      `new S3Backend(stack, { bucket: "b", key: "k", region: "eu-west-1" });`,
      `new AwsProvider(stack, "aws", { region: "eu-west-1" });`,
      `new KubernetesProvider(stack, "kubernetes", {});`,
      `new HelmProvider(stack, "helm", {});`,
      `app.synth();`,
    ].join("\n"),
  );
  return file;
}

type Case = { name: string; args: string[] };
type Result = ReturnType<typeof measure>;

/** Paired runs: every round runs each case once (the order rotating), so a load change hits all alike; the ratios are medians of each round's ratios. */
function measurePaired(cases: Case[], cwd: string): { results: Result[]; ratio: (a: number, b: number, key: "wallMs" | "cpuMs") => number } {
  for (const c of cases) run(c.args, { cwd }); // warm-up
  const samples = cases.map(() => [] as Sample[]);
  for (let round = 0; round < RUNS; round++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (round + k) % cases.length;
      samples[i].push(run(cases[i].args, { cwd }));
    }
  }
  const results = cases.map((c, i) => {
    const r = { name: c.name, wallMs: median(samples[i].map((s) => s.wallMs)), cpuMs: median(samples[i].map((s) => s.cpuMs)), rssMb: median(samples[i].map((s) => s.rssMb)), runs: RUNS };
    process.stderr.write(`  ${r.name}: ${r.wallMs.toFixed(0)} ms wall, ${r.cpuMs.toFixed(0)} ms CPU, ${r.rssMb.toFixed(0)} MB\n`);
    return r;
  });
  const ratio = (a: number, b: number, key: "wallMs" | "cpuMs") => median(samples[a].map((s, round) => s[key] / samples[b][round][key]));
  return { results, ratio };
}

/**
 * The consumer case (bench/consumer.ts): the packed library in a fresh app synthesizing the reference environments,
 * beside the same-output peer and the floor written into that app, all three run alike in two ways: as a user writes
 * them (nothing first: the targets, ≤ 1.0× the peer, ≤ 2.0× the floor) and with source maps off first in all three
 * (the synth cases' convention: a stricter yardstick, since source-mapped token traces cost a plain app most).
 */
function consumerCase(out: (name: string) => string): { rows: Result[]; targets: string[] } {
  if (!existsSync(out("ref"))) run([...SYNTH, "--outdir", out("ref")]);
  const app = writeConsumerApp();
  try {
    writeFileSync(join(app, "main-maps-off.ts"), `${startUpLine("maps-off")}\n${readFileSync(join(app, "main.ts"), "utf8")}`);
    const cases = [
      { name: "consumer: floor in the app (empty stack, same providers)", args: [...TSX, writeFloorApp("none", app), out("consumer-floor")] },
      { name: "consumer: same-output peer in the app", args: [...TSX, writePeerApp(out("ref"), app, "none"), out("consumer-peer")] },
      { name: "consumer: packed library, reference environments", args: [...TSX, "main.ts", out("consumer")] },
      { name: "consumer, source maps off first: floor", args: [...TSX, writeFloorApp("maps-off", app), out("consumer-floor-maps-off")] },
      { name: "consumer, source maps off first: peer", args: [...TSX, writePeerApp(out("ref"), app, "maps-off"), out("consumer-peer-maps-off")] },
      { name: "consumer, source maps off first: packed library", args: [...TSX, "main-maps-off.ts", out("consumer-maps-off")] },
    ];
    const { results, ratio } = measurePaired(cases, app);
    for (const o of ["consumer", "consumer-maps-off"]) {
      const differs = sameResources(out("ref"), out(o));
      if (differs) throw new Error(`the consumer app does not write the reference app's JSON: ${differs}`);
    }
    const line = (label: string, [f, p, c]: number[]) =>
      `${label} (paired, median of ${RUNS} rounds' ratios): ${ratio(c, p, "wallMs").toFixed(2)}× the same-output peer's wall, ${ratio(c, f, "wallMs").toFixed(2)}× the floor's; CPU ${ratio(c, p, "cpuMs").toFixed(2)}× the peer, ${ratio(c, f, "cpuMs").toFixed(2)}× the floor`;
    const targets = [`${line("consumer app as written", [0, 1, 2])} (targets ≤ 1.0, ≤ 2.0)`, line("consumer app, source maps off first in all three", [3, 4, 5])];
    return { rows: results, targets };
  } finally {
    rmSync(dirname(app), { recursive: true, force: true });
  }
}

const tableOf = (rows: Result[], floor: Result, peer: Result) =>
  [
    "| case | wall (median) | × floor | × peer | CPU (median) | peak RSS (median) | × floor |",
    "|---|---|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.name} | ${(r.wallMs / 1000).toFixed(2)} s | ${(r.wallMs / floor.wallMs).toFixed(2)} | ${(r.wallMs / peer.wallMs).toFixed(2)} | ${(r.cpuMs / 1000).toFixed(2)} s | ${r.rssMb.toFixed(0)} MB | ${(r.rssMb / floor.rssMb).toFixed(2)} |`),
  ].join("\n");

function main() {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(join(WORK, "out"), { recursive: true });
  const out = (name: string) => join(WORK, "out", name);
  const envFile = (n: number) => {
    const f = join(WORK, `envs-${n}.json`);
    writeFileSync(f, JSON.stringify(generatedEnvironments(n)));
    return f;
  };
  process.stderr.write(`bench: ${RUNS} runs per case after a warm-up\n`);
  const machine = `machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
  if (values["consumer-only"]) {
    const consumer = consumerCase(out);
    process.stdout.write(`${tableOf(consumer.rows, consumer.rows[0], consumer.rows[1])}\n\n${consumer.targets.join("\n")}\n${machine}\n`);
    return;
  }
  const floorApp = writeFloorApp();
  const floor = measure("floor (empty stack, same providers)", [...TSX, floorApp, out("floor")]);
  const reference = measure("reference app (dev, staging, prod)", [...SYNTH, "--outdir", out("ref")]);
  // The same-output peer: a plain cdktf app writing the reference app's Terraform JSON with the providers' classes.
  const peerApp = writePeerApp(out("ref"), WORK);
  const peer = measure("same-output peer (plain cdktf app, same JSON)", [...TSX, peerApp, out("peer")]);
  const differs = sameResources(out("ref"), out("peer"));
  if (differs) throw new Error(`the same-output peer does not write the reference app's JSON: ${differs}`);
  const targets = [
    `reference app: ${(reference.wallMs / floor.wallMs).toFixed(2)}× the floor's wall (target ≤ 1.45), ${(reference.wallMs / peer.wallMs).toFixed(2)}× the same-output peer's (target ≤ 0.85), ${(reference.rssMb / floor.rssMb).toFixed(2)}× the floor's peak RSS (target ≤ 1.4)`,
    `CPU time: reference app ${(reference.cpuMs / floor.cpuMs).toFixed(2)}× the floor, ${(reference.cpuMs / peer.cpuMs).toFixed(2)}× the peer`,
  ];
  // Not the targets' yardsticks, for reading them: the floor and the peer given all of our start-up too (fast-start.ts and
  // npm run synth's node options), so what the reference app gains there is told apart from what its own work costs.
  const startUp = SYNTH.slice(0, -1);
  const floorOurs = measure("floor with our start-up", [...startUp, writeFloorApp("ours"), out("floor-ours")]);
  const peerOurs = measure("same-output peer with our start-up", [...startUp, writePeerApp(out("ref"), WORK, "ours"), out("peer-ours")]);
  targets.push(`with the same start-up for all: reference app ${(reference.wallMs / floorOurs.wallMs).toFixed(2)}× the floor's wall, ${(reference.wallMs / peerOurs.wallMs).toFixed(2)}× the peer's`);
  const consumer = consumerCase(out);
  targets.push(...consumer.targets);
  if (values["synth-only"]) {
    process.stdout.write(`${tableOf([floor, reference, peer, floorOurs, peerOurs, ...consumer.rows], floor, peer)}\n\n${targets.join("\n")}\n${machine}\n`);
    return;
  }
  const gen = [1, 10, 100].map((n) => ({ n, ...measure(`${n} environment(s)`, [...SYNTH, "--outdir", out(`gen-${n}`), "--environments", envFile(n)]) }));
  // A base that differs: the 100 environments with one more client CIDR each.
  const baseEnvs = generatedEnvironments(100).map((e) => ({ ...e, loadBalancer: { ...e.loadBalancer, allowedCidrs: [...(e.loadBalancer.allowedCidrs ?? []), "198.51.100.0/24"] } }));
  writeFileSync(join(WORK, "envs-base.json"), JSON.stringify(baseEnvs));
  run([...SYNTH, "--outdir", out("base-100"), "--environments", join(WORK, "envs-base.json")]);
  const review = measure("review of 100 environments", [...TSX, "bin/mimir-ports.ts", "review", "--head", relative(ROOT, out("gen-100")), "--out", join(WORK, "review.md")]);
  const reviewBase = measure("review of 100 environments with a base", [...TSX, "bin/mimir-ports.ts", "review", "--head", relative(ROOT, out("gen-100")), "--base", relative(ROOT, out("base-100")), "--out", join(WORK, "review-base.md")]);
  // `check` on terraform show -json plans of 2,000 and 20,000 resources (exit 1: the plans carry a few exposures on purpose).
  const plans = [2000, 20000].map((n) => {
    const file = join(WORK, `plan-${n}.json`);
    writeFileSync(file, JSON.stringify(syntheticPlan(n)));
    return { n, ...measure(`check on a ${n.toLocaleString("en-US")}-resource plan`, [...TSX, "bin/mimir-ports.ts", "check", relative(ROOT, file)], { okCodes: [1] }) };
  });
  // The cdktf CLI needs node-pty's native build, which its package ships for some Node versions only (none for Node 24 here).
  let cli: ReturnType<typeof measure> | undefined;
  try {
    cli = measure("cdktf synth CLI (reference app)", [join(ROOT, "node_modules/cdktf-cli/bundle/bin/cdktf"), "synth", "--output", out("cli")]);
  } catch (err) {
    process.stderr.write(`  cdktf synth CLI: not measured, it does not start on node ${process.version} (${String(err).split("\n").find((l) => /Cannot find module|Error:/.test(l))?.trim()})\n`);
  }

  const slope = (gen[2].wallMs - gen[0].wallMs) / 99;
  const rows = [floor, reference, peer, floorOurs, peerOurs, ...consumer.rows, ...gen, review, reviewBase, ...plans, ...(cli ? [cli] : [])];
  const table = tableOf(rows, floor, peer);
  const linearity = gen[1].wallMs - (gen[0].wallMs + 9 * slope);
  const summary = [
    ...targets,
    `per-environment slope (1 → 100): ${slope.toFixed(1)} ms/environment`,
    `10 environments vs the line through 1 and 100: ${linearity >= 0 ? "+" : ""}${linearity.toFixed(0)} ms`,
    `check: ${((plans[1].wallMs - plans[0].wallMs) / 18).toFixed(1)} ms per 1,000 resources (2k → 20k)`,
    machine,
  ];
  process.stdout.write(`${table}\n\n${summary.join("\n")}\n`);
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(
    join(ROOT, "bench/results/latest.json"),
    `${JSON.stringify({ runs: RUNS, machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version }, cases: rows.map((r) => ({ ...r, wallRatio: r.wallMs / floor.wallMs, peerWallRatio: r.wallMs / peer.wallMs, rssRatio: r.rssMb / floor.rssMb })), slopeMsPerEnvironment: slope }, null, 2)}\n`,
  );
  rmSync(join(WORK, "out"), { recursive: true, force: true });
}

main();
