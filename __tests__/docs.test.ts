/**
 * The README is the front door and docs/ holds the rest: the README stays
 * short, every relative link lands on a file and an anchor that exist, every
 * TypeScript block is a tagged example or environment fragment (the pack smoke
 * compiles and synthesizes them), and every SARIF helpUri lands on a rule row.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { docBlocks, docFiles } from "../scripts/doc-blocks";
import { RULES } from "../modules/policy/rules";
import { renderSarif } from "../modules/review/sarif";

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
