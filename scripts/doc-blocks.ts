/**
 * The TypeScript blocks of README.md and docs/*.md, for the pack smoke (which
 * compiles and synthesizes them against the packed library) and the docs test
 * (which checks every block is one of the two kinds):
 * - `<!-- example: NAME -->`: a whole program, run as written;
 * - `<!-- fragment: environment -->`: properties of one environment, spread
 *   over a small valid environment (FRAGMENT_BASE) and synthesized as a stack;
 * - `<!-- compile: NAME -->`: a module (settings, a helper) that is type-checked, not run.
 *
 * And the behaviour claims the docs test checks (__tests__/docs.test.ts):
 * `<!-- claim: NAME -->` before a paragraph or list item; its backticked
 * quotes of synth output (`…` stands for any text) must occur in the output.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface DocBlock {
  readonly file: string;
  readonly line: number;
  readonly kind: "example" | "fragment" | "compile" | "untagged";
  readonly name: string;
  readonly code: string;
}

export function docFiles(root: string): string[] {
  return ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
}

export function docBlocks(root: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  for (const file of docFiles(root)) {
    const lines = readFileSync(join(root, file), "utf8").split("\n");
    let fence: string | undefined;
    for (let i = 0; i < lines.length; i++) {
      const open = /^(`{3,})(\S*)/.exec(lines[i]);
      if (fence) {
        if (lines[i].startsWith(fence) && lines[i].trim() === fence) fence = undefined;
        continue;
      }
      if (!open) continue;
      fence = open[1];
      if (open[2] !== "ts" && open[2] !== "typescript") continue;
      const end = lines.findIndex((l, j) => j > i && l.trim() === fence);
      const tag = /^<!-- (example|fragment|compile): ([\w-]+) -->$/.exec(lines[i - 1] ?? "");
      blocks.push({
        file,
        line: i + 1,
        kind: tag ? (tag[1] as "example" | "fragment" | "compile") : "untagged",
        name: tag ? tag[2] : "",
        code: lines.slice(i + 1, end).join("\n") + "\n",
      });
      i = end;
      fence = undefined;
    }
  }
  return blocks;
}

export interface DocClaim {
  readonly file: string;
  readonly line: number;
  readonly name: string;
  /** The paragraph (or list item) after the marker, up to a blank line or the next marker. */
  readonly text: string;
}

export function docClaims(root: string): DocClaim[] {
  const claims: DocClaim[] = [];
  for (const file of docFiles(root)) {
    const lines = readFileSync(join(root, file), "utf8").split("\n");
    lines.forEach((l, i) => {
      const m = /^<!-- claim: ([\w-]+) -->$/.exec(l.trim());
      if (!m) return;
      const end = lines.findIndex((x, j) => j > i && (x.trim() === "" || x.startsWith("<!--")));
      claims.push({ file, line: i + 2, name: m[1], text: lines.slice(i + 1, end < 0 ? undefined : end).join("\n") });
    });
  }
  return claims;
}

/** A claim's backticked quotes of output that hold `…` (an excerpt), as patterns (`…` matches any text on the line). */
export function quotedOutput(claim: DocClaim, startsWith: RegExp): RegExp[] {
  return [...claim.text.replace(/\s*\n\s*/g, " ").matchAll(/`([^`]+)`/g)]
    .map((m) => m[1])
    .filter((q) => startsWith.test(q))
    .map((q) => new RegExp(q.split("…").map((part) => part.trim().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*?")));
}

/** The environment every `fragment: environment` block is spread over (valid, authenticated, internal). */
export const FRAGMENT_BASE = `{
  region: "eu-west-1",
  state: { bucket: "my-terraform-state" },
  deploymentMode: "microservices",
  loadBalancer: { scheme: "internal", allowedCidrs: ["10.20.0.0/16"], subnetCidrs: ["10.20.0.0/24", "10.20.1.0/24"] },
  entry: {
    kind: "gateway-api",
    gateway: { className: "eg" },
    dataPlane: { namespace: "envoy-gateway-system", serviceName: "envoy-mimir", healthCheckPath: "/healthz", podLabels: { "app.kubernetes.io/name": "envoy" } },
    hosts: ["mimir.example.com"],
  },
  monitoring: { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" } },
  auth: { mode: "mtls", caBundle: { bucket: "my-pki", key: "docs/agents-ca.pem", objectVersion: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY" }, tenant: "docs" },
}`;

/** One program that synthesizes every fragment as its own stack (`fragment-<n>`). */
export function fragmentsProgram(blocks: readonly DocBlock[]): string {
  const fragments = blocks.filter((b) => b.kind === "fragment");
  const stacks = fragments.map((b, i) => {
    const body = b.code.trim().replace(/,$/, "");
    // A fragment that declares client classes replaces the base's single auth (an environment has one or the other).
    const auth = /^\s*clients\s*:/m.test(body) ? " auth: undefined," : "";
    return `// ${b.file}:${b.line}\nnew MimirStack(app, "fragment-${i + 1}", { backend: "local", environment: { ...base, name: "fragment-${i + 1}",${auth}\n${body}\n} });`;
  });
  return [
    `import { App } from "cdktf";`,
    `import { MimirStack, type EnvironmentInput } from "mimir-port-contract";`,
    `const base = ${FRAGMENT_BASE} satisfies Omit<EnvironmentInput, "name">;`,
    `const app = new App();`,
    ...stacks,
    `app.synth();`,
    "",
  ].join("\n");
}
