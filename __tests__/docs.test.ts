/**
 * The README is the front door and docs/ holds the rest: the README stays
 * short, every relative link lands on a file and an anchor that exist, every
 * TypeScript block is a tagged example or environment fragment (the pack smoke
 * compiles and synthesizes them), and every SARIF helpUri lands on a rule row.
 * What the docs say cannot drift: the rule tables are checked against RULES,
 * and every `<!-- claim: NAME -->` paragraph (pod security groups, node-group
 * mode) is read and checked against what synth does; the acknowledgement
 * example is run as written.
 */
import { App, Testing } from "cdktf";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { docBlocks, docClaims, docFiles, quotedOutput } from "../scripts/doc-blocks";
import { RULES } from "../modules/policy/rules";
import { renderSarif } from "../modules/review/sarif";
import { entryWarningLines, MimirStack } from "../modules/stack/mimir-stack";
import { env, gatewayEnv, resources, ROOT as REPO, runTsx, synthJson, TEST_OUT } from "./helpers";

const ROOT = join(__dirname, "..");
const read = (f: string) => readFileSync(join(ROOT, f), "utf8");

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes; plus explicit `<a id>`. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const h = /^#{1,6} (.*)$/.exec(line);
    if (h) out.add(h[1].trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-"));
    for (const a of line.matchAll(/<a id="([^"]+)"><\/a>/g)) out.add(a[1]);
  }
  return out;
}

function links(markdown: string): string[] {
  const text = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
}

test("README is short: at most 400 lines, with the two set-up commands and links to every docs page", () => {
  const readme = read("README.md");
  expect(readme.split("\n").length).toBeLessThanOrEqual(400);
  expect(readme).toContain("npm ci && npm run synth");
  expect(readme).toContain("npm test");
  for (const f of docFiles(ROOT).filter((f) => f.startsWith("docs/"))) expect(readme).toContain(`](${f})`);
});

describe("every relative link lands on an existing file and anchor", () => {
  test.each(docFiles(ROOT))("%s", (file) => {
    const broken: string[] = [];
    for (const link of links(read(file))) {
      const [path, anchor] = link.split("#");
      const target = path ? normalize(join(dirname(file), path)) : file;
      if (!existsSync(join(ROOT, target))) broken.push(`${link} (no file ${target})`);
      else if (anchor && target.endsWith(".md") && !anchors(read(target)).has(anchor)) broken.push(`${link} (no anchor #${anchor} in ${target})`);
    }
    expect(broken).toEqual([]);
  });
});

test("every TypeScript block is a tagged example, environment fragment or module (the pack smoke compiles them)", () => {
  const blocks = docBlocks(ROOT);
  expect(blocks.filter((b) => b.kind === "untagged").map((b) => `${b.file}:${b.line}`)).toEqual([]);
  expect(blocks.filter((b) => b.kind === "example").map((b) => b.name)).toEqual(expect.arrayContaining(["library", "constructs"]));
  for (const b of blocks.filter((b) => b.kind === "fragment")) expect(b.name).toBe("environment");
});

test("every rule's SARIF helpUri lands on its row in the README and in docs/policy-rules.md", () => {
  const review = { stacks: [] } as unknown as Parameters<typeof renderSarif>[0];
  for (const [page, url] of [["README.md", undefined], ["docs/policy-rules.md", "https://example.com/o/r/blob/abc/docs/policy-rules.md"]] as const) {
    const sarif = JSON.parse(renderSarif(review, "0.0.0", ".", url));
    const uris: string[] = sarif.runs[0].tool.driver.rules.map((r: { helpUri: string }) => r.helpUri);
    expect(uris).toHaveLength(RULES.length);
    const known = anchors(read(page));
    for (const uri of uris) expect(known.has(uri.split("#")[1])).toBe(true);
  }
});

describe("the rule tables are RULES", () => {
  const rows = (page: string) =>
    read(page)
      .split("\n")
      .map((l) => /^\| <a id="(mp\d{3})"><\/a>(MP\d{3}) \| ([^|]+) \| ([^|]+) \|/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ anchor: m[1], id: m[2], severity: m[3].trim(), rule: m[4].replace(/\*\*/g, "").trim() }));

  test("README: one row per rule, in order, with its severity and title", () => {
    expect(rows("README.md")).toEqual(RULES.map((r) => ({ anchor: r.id.toLowerCase(), id: r.id, severity: r.severity, rule: r.title })));
  });

  test("docs/policy-rules.md: one row per rule, in order, its severity first and its title in bold", () => {
    const table = rows("docs/policy-rules.md");
    expect(table.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const [i, r] of RULES.entries()) {
      expect(table[i].severity.split(" ")[0]).toBe(r.severity);
      expect(table[i].rule.startsWith(r.title)).toBe(true);
    }
  });

  test("every rule range in README and docs ends at the last rule", () => {
    const last = RULES[RULES.length - 1].id;
    const ranges = docFiles(ROOT).flatMap((f) => [...read(f).matchAll(/MP001\s*[-–]\s*(MP\d{3})/g)].map((m) => `${f}: ${m[0]}`));
    expect(ranges.length).toBeGreaterThanOrEqual(2);
    for (const r of ranges) expect(r).toMatch(new RegExp(`${last}$`));
  });
});

describe("behaviour claims in the docs hold", () => {
  const claims = docClaims(ROOT);
  const named = (name: string) => claims.filter((c) => c.name === name);

  test("the claims are where the docs make them", () => {
    expect(named("pod-groups").map((c) => c.file)).toEqual(["docs/storage.md", "docs/what-gets-built.md", "docs/what-gets-built.md"]);
    expect(named("node-group").map((c) => c.file)).toEqual(["docs/storage.md", "docs/what-gets-built.md"]);
  });

  test("pod-groups: the SecurityGroupPolicy gives Mimir's pods exactly the groups each claim names in bold, never the cluster group", () => {
    const json = synthJson(gatewayEnv());
    const policy = Object.values(resources(json, "kubernetes_manifest")).map((m) => m.manifest as { kind: string; metadata: { namespace?: string }; spec: { securityGroups: { groupIds: string[] } } }).find((m) => m.kind === "SecurityGroupPolicy" && m.metadata.namespace !== "envoy-gateway-system")!;
    const roleOf = (ref: string) => {
      const name = /^\$\{aws_security_group\.([^.]+)\.id\}$/.exec(ref)?.[1] ?? ref;
      return ((resources(json, "aws_security_group")[name] as { name_prefix?: string } | undefined)?.name_prefix ?? ref).replace(/^mimir-test-/, "").replace(/-$/, "");
    };
    const attached = policy.spec.securityGroups.groupIds.map(roleOf);
    expect(attached).toEqual(["members", "pods"]);
    for (const claim of named("pod-groups")) {
      const text = claim.text.replace(/\s*\n\s*/g, " ");
      expect({ at: `${claim.file}:${claim.line}`, groups: [...text.matchAll(/\*\*(\w+)\*\* group/g)].map((m) => m[1]) }).toEqual({ at: `${claim.file}:${claim.line}`, groups: attached });
      // Any mention of the cluster group says it is not attached.
      for (const sentence of text.split(/(?<=\.)\s/).filter((x) => /cluster (security )?group/.test(x))) expect(sentence).toMatch(/\b(never|not|no longer)\b/);
    }
  });

  test("node-group: synth refuses it with the MP019 finding each claim quotes; the acknowledgement the refusal prints lets it pass, and the summary still warns", () => {
    const input = env({ podSecurityGroups: { mode: "node-group", nodeSecurityGroupId: "sg-0aaaabbbbccccdddd" } });
    let refusal = "";
    try {
      const app = Testing.app();
      new MimirStack(app, "test", { environment: input });
      app.synth();
    } catch (err) {
      refusal = (err as Error).message;
    }
    for (const claim of named("node-group")) {
      expect(claim.text).toMatch(/\brefuses\b/);
      expect(claim.text.replace(/still\s+warns/g, "")).not.toMatch(/\bwarns\b/);
      const quotes = quotedOutput(claim, /^MP0/);
      expect(quotes.length).toBe(1);
      for (const q of quotes) expect(refusal).toMatch(q);
    }
    const pasted = JSON.parse(/To accept exactly this: acknowledgements: (\[.*?\])\n/.exec(`${refusal}\n`)![1].replace(/\s+If you wish.*$/s, ""));
    mkdirSync(join(REPO, TEST_OUT, "docs-node-group"), { recursive: true });
    const app = new App({ outdir: join(REPO, TEST_OUT, "docs-node-group") });
    new MimirStack(app, "test", { environment: { ...input, acknowledgements: pasted.map((a: { reason: string }) => ({ ...a, reason: "node-group mode accepted for the docs test, OPS-1" })) } as typeof input });
    expect(() => app.synth()).not.toThrow();
    expect(entryWarningLines(app)).toContainEqual(expect.stringMatching(/^test: warning: podSecurityGroups\.mode node-group: .*every pod and process on those nodes carries it/));
    rmSync(join(REPO, TEST_OUT, "docs-node-group"), { recursive: true, force: true });
  });

  test("acknowledge: the example passes synth as written, and without its accepts synth refuses and prints the accepts to paste", () => {
    const block = docBlocks(ROOT).find((b) => b.kind === "example" && b.name === "acknowledge")!;
    expect(block.file).toBe("docs/policy-rules.md");
    expect(block.code).toMatch(/stack\.policy\.acknowledge\("MP001", vpnRule, "[^"]+", \{/);
    const dir = join(REPO, TEST_OUT, "docs-acknowledge");
    mkdirSync(dir, { recursive: true });
    const library = relative(dir, join(REPO, "modules/index")).split("\\").join("/");
    const run = (name: string, code: string) => {
      writeFileSync(join(dir, `${name}.ts`), code.replace(/from "mimir-port-contract"/g, `from "${library}"`));
      const r = runTsx([join(dir, `${name}.ts`)], dir);
      return { ...r, synthesized: existsSync(join(dir, "cdktf.out", "stacks", "prod", "cdk.tf.json")) };
    };
    try {
      const asWritten = run("as-written", block.code.replace("new App()", `new App({ outdir: "cdktf.out" })`));
      expect(asWritten).toMatchObject({ code: 0, synthesized: true });
      rmSync(join(dir, "cdktf.out"), { recursive: true, force: true });
      const withoutAccepts = block.code.replace(/(acknowledge\("MP001", vpnRule, "[^"]+"), \{[\s\S]*?\}\);/, "$1);");
      expect(withoutAccepts).not.toBe(block.code);
      const bare = run("without-accepts", withoutAccepts.replace("new App()", `new App({ outdir: "cdktf.out" })`));
      expect(bare.code).not.toBe(0);
      expect(bare.synthesized).toBe(false);
      expect(bare.stderr).toContain("MP001 error aws_vpc_security_group_ingress_rule.vpn (prod/vpn)");
      expect(bare.stderr).toContain("does not record what it accepts (add accepts)");
      // What it prints to paste is what the example passes.
      const printed = JSON.parse(/To accept exactly this: acknowledgements: (\[.*\])/.exec(bare.stderr)![1])[0].accepts;
      const written = /acknowledge\("MP001", vpnRule, "[^"]+", (\{[\s\S]*?\})\);/.exec(block.code)![1];
      expect(JSON.parse(written.replace(/([{,]\s*)(\w+):/g, '$1"$2":').replace(/,\s*\}/g, "}"))).toEqual(printed);
      // The refusal the page quotes (`...` stands for any text) is what synth prints.
      const quoted = /^MP001 error aws_vpc_security_group_ingress_rule\.vpn .*$/m.exec(read("docs/policy-rules.md"))![0];
      expect(bare.stderr).toMatch(new RegExp(quoted.split("...").map((p) => p.trim().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*?")));
      // The page's other copies of that acknowledgement (the environment fragment and the JSON) accept the same.
      const fragment = docBlocks(ROOT).find((b) => b.file === "docs/policy-rules.md" && b.kind === "fragment")!;
      const fromFragment = (new Function(`return {${fragment.code.trim().replace(/,$/, "")}}`)() as { acknowledgements: Array<{ rule: string; resource: string; accepts: unknown }> }).acknowledgements;
      expect(fromFragment).toEqual([expect.objectContaining({ rule: "MP001", resource: "prod/vpn", accepts: printed })]);
      const json = /```json\n([\s\S]*?)```/.exec(read("docs/policy-rules.md"))![1];
      expect(JSON.parse(json).acknowledgements).toEqual([expect.objectContaining({ rule: "MP001", resource: "prod/vpn", accepts: printed })]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
