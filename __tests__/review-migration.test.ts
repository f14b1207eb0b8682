/**
 * Golden reviews of a port migration, PR by PR, through the same path as the
 * other review goldens (synthesize the reference app, `buildReview`,
 * `renderMarkdown`). Regenerate with `UPDATE_GOLDEN=1 npx jest review-migration`.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "../modules/cli/inputs";
import type { EnvironmentInput } from "../modules/config/environment";
import type { InternalPortName } from "../modules/contract/port-contract";
import { renderMarkdown } from "../modules/review/markdown";
import { buildReview } from "../modules/review/report";
import { synthProd } from "./helpers/prod-synth";
import { ROOT } from "./helpers";

const OUT = "__tests__/.out/review-migration";

function golden(name: string, actual: string) {
  const file = join(ROOT, "__tests__/golden", name);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
}


const synth = (name: string, ports?: EnvironmentInput["ports"]) => synthProd(OUT, name, ports);

const review = (head: string, base: string) => renderMarkdown(buildReview(load(head), load(base), "error"));
const visible = (md: string) => md.slice(0, md.indexOf("<details>")).trimEnd().split("\n");
const bullets = (md: string) => visible(md).filter((l) => l.startsWith("- "));

const MOVES: ReadonlyArray<{ port: InternalPortName; from: number; to: number; move: RegExp }> = [
  { port: "http", from: 8080, to: 8081, move: /pods not yet restarted stay reachable on 8080$/ },
  { port: "grpc", from: 9095, to: 9096, move: /pods not yet restarted stay reachable on 9095$/ },
  { port: "memberlist", from: 7946, to: 7947, move: /gossip joins through both ports$/ },
];

let base: string;
beforeAll(() => {
  process.chdir(ROOT);
  base = synth("base");
});

describe.each(MOVES)("$port $from → $to in three PRs", ({ port, from, to, move }) => {
  const open = { [port]: { from, to, phase: "open" } } as EnvironmentInput["ports"];
  const moving = { [port]: { from, to, phase: "move" } } as EnvironmentInput["ports"];
  let phase1: string;
  let phase2: string;

  test("PR 1 (open): phase 1 of 3, no high risk, both ports admitted, Mimir stays", () => {
    phase1 = synth(`${port}-open`, open);
    const md = review(phase1, base);
    expect(visible(md)[1]).not.toMatch(/high-risk/);
    // Admitting the second number is the same way in, not a new one.
    expect(md).not.toContain("**opened");
    expect(bullets(md)[0]).toMatch(new RegExp(`^- \\*\\*port migration ${port} ${from} → ${to}, phase 1 of 3: both ports open\\*\\* in prod: \\d+ resources? change; rules, NetworkPolicies and Services admit ${from} and ${to}; Mimir stays on ${from} \\((no restart|pods restart once: the gossip join list names both ports)\\)$`));
    golden(`pr-migration-${port}-1-open.md`, md);
  });

  test("PR 2 (move): phase 2 of 3, Mimir moves, rolling restart", () => {
    phase2 = synth(`${port}-move`, moving);
    const md = review(phase2, phase1);
    expect(visible(md)[1]).not.toMatch(/high-risk/);
    expect(bullets(md)[0]).toMatch(new RegExp(`^- \\*\\*port migration ${port} ${from} → ${to}, phase 2 of 3: Mimir moves\\*\\* in prod: \\d+ resources? change; Mimir listens on ${to} \\(rolling restart\\); ${from} and ${to} stay admitted`));
    expect(bullets(md)[0]).toMatch(move);
    golden(`pr-migration-${port}-2-move.md`, md);
  });

  test("PR 3 (close, the plain port): phase 3 of 3, old port closed", () => {
    const md = review(synth(`${port}-close`, { [port]: to } as EnvironmentInput["ports"]), phase2);
    expect(bullets(md)[0]).toMatch(new RegExp(`^- \\*\\*port migration ${port} ${from} → ${to}, phase 3 of 3: old port closed\\*\\* in prod: \\d+ resources? change; only ${to} stays admitted`));
    golden(`pr-migration-${port}-3-close.md`, md);
  });
});

test("a one-step grpc change on a running environment: high risk, the three PRs spelled out", () => {
  const md = review(synth("grpc-one-step", { grpc: 9096 }), base);
  expect(visible(md)[1]).toMatch(/^## ⚠️ Mimir port contract: 1 environment passe?s?, but the change carries 1 high-risk change$/);
  expect(bullets(md)[0]).toBe(
    '- **grpc port 9095 → 9096** in prod: ' +
      bullets(md)[0].match(/\d+ resources? change/)![0] +
      "; a one-step change of a running environment's port: during the rolling restart pods listening on 9095 and 9096 are refused by the rules that do not admit their port (the ring dials each ingester and store-gateway at the address and port it registered); " +
      'split into three PRs: 1) `ports: { grpc: { from: 9095, to: 9096, phase: "open" } }` (both ports admitted, Mimir stays on 9095), 2) `phase: "move"` (Mimir moves to 9096; rolling restart), 3) `ports: { grpc: 9096 }` (old port closed)',
  );
  golden("pr-migration-one-step.md", md);
});

test("skipping phase 1 (base on 9095, head already moving) is a one-step change too", () => {
  const md = review(synth("grpc-skip-open", { grpc: { from: 9095, to: 9096, phase: "move" } }), base);
  expect(bullets(md)[0]).toMatch(/^- \*\*grpc port 9095 → 9096\*\* in prod: .*one-step change of a running environment's port \(the head is phase 2 but the base is not phase 1\): during the rolling restart pods listening on 9096 are refused by the rules that do not admit their port/);
});
