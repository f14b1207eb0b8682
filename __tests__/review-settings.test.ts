/**
 * The review accounts for every difference in the Terraform JSON, not only
 * resources: provider default tags, region and assumed role, the state
 * backend, required providers, data sources, outputs and any other block.
 * "No change" only when nothing differs. Regenerate goldens with
 * `UPDATE_GOLDEN=1 npx jest review-settings`.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildApp, environments } from "../main";
import { load } from "../modules/cli/inputs";
import type { EnvironmentInput } from "../modules/config/environment";
import { buildModel } from "../modules/exposure/model";
import { fromSynthesized } from "../modules/exposure/terraform-json";
import { renderJson } from "../modules/review/json";
import { renderMarkdown } from "../modules/review/markdown";
import { buildReview } from "../modules/review/report";
import { ROOT } from "./helpers";

const OUT = "__tests__/.out/review-settings";

function golden(name: string, actual: string) {
  const file = join(ROOT, "__tests__/golden", name);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

function synth(name: string, inputs: readonly EnvironmentInput[] = environments): string {
  const dir = join(OUT, name);
  rmSync(join(ROOT, dir), { recursive: true, force: true });
  mkdirSync(join(ROOT, dir), { recursive: true });
  buildApp(join(ROOT, dir), inputs).synth();
  return dir;
}

/** The plain-words summary: bullets before the first "###" heading or <details>. */
function summaryBullets(md: string): string[] {
  const lines = md.slice(0, md.indexOf("<details>")).split("\n");
  const end = lines.findIndex((l) => l.startsWith("### "));
  return lines.slice(0, end < 0 ? undefined : end).filter((l) => l.startsWith("- "));
}

/** AWS resources of a synthesized stack whose type has `tags_all` (default tags apply), counted from the provider's bindings. */
function taggedAwsResources(dir: string, stack: string): number {
  const json = JSON.parse(readFileSync(join(ROOT, dir, "stacks", stack, "cdk.tf.json"), "utf8"));
  return Object.entries(json.resource as Record<string, object>)
    .filter(([type]) => type.startsWith("aws_") && /\bget tagsAll\(\)/.test(readFileSync(require.resolve(`@cdktf/provider-aws/lib/${type.slice(4).replace(/_/g, "-")}/index.d.ts`), "utf8")))
    .reduce((n, [, byName]) => n + Object.keys(byName).length, 0);
}

let base: string;
beforeAll(() => {
  process.chdir(ROOT);
  base = synth("base");
});

test("tags on an environment: not 'No change', but the count of AWS resources whose tags change", () => {
  const head = synth("tags", environments.map((e) => (e.name === "staging" ? { ...e, tags: { team: "observability", "cost-center": "1234" } } : e)));
  const md = renderMarkdown(buildReview(load(head), load(base), "error"));
  const n = taggedAwsResources(head, "staging");
  expect(n).toBeGreaterThan(20);
  expect(md).not.toContain("No change");
  expect(summaryBullets(md).filter((l) => !l.startsWith("- ☑️"))).toEqual([`- tags change on ${n} AWS resources in staging (provider \`aws\` default tags: added \`cost-center\`, \`team\`); Terraform updates them in place`]);
  expect(md).toContain("<details><summary>Changes against base: 1 environment changed, 2 unchanged</summary>");
  expect(md).toContain("**staging: Terraform settings changed:** `provider`");
  const json = JSON.parse(renderJson(buildReview(load(head), load(base), "error")));
  expect(json.diff.find((d: { stack: string }) => d.stack === "staging")).toMatchObject({ status: "changed", settings: ["provider"], added: [], removed: [], changed: [] });
  expect(json.changes).toContainEqual({ text: expect.stringMatching(/^tags change on \d+ AWS resources in staging/) });
  golden("pr-tag-change.md", md);
});

test("state backend key, provider region and state locking: critical risks first, in plain words", () => {
  const head = synth(
    "provider-backend",
    environments.map((e) =>
      e.name === "prod" ? { ...e, state: { ...e.state!, keyPrefix: "mimir-v2" } } : e.name === "staging" ? { ...e, region: "eu-central-1" } : { ...e, state: { ...e.state!, lockTable: "terraform-locks" } },
    ),
  );
  const review = buildReview(load(head), load(base), "error");
  const md = renderMarkdown(review);
  const bullets = summaryBullets(md);
  expect(md.split("\n")[1]).toMatch(/^## ⚠️ Mimir port contract: 3 environments pass, but the change carries 3 high-risk changes \(3 critical\)$/);
  expect(bullets).toContain("- **critical risk** in prod: state backend key changes (`mimir/prod/terraform.tfstate` → `mimir-v2/prod/terraform.tfstate`): Terraform would start from empty state and plan to create every resource again (the existing ones stay, no longer managed); move the state first (`terraform init -migrate-state`)");
  expect(bullets).toContainEqual(expect.stringMatching(/^- \*\*critical risk\*\* in staging: provider `aws` region changes \(`eu-west-1` → `eu-central-1`\): Terraform looks for the \d+ resources it manages in the new region, finds none/));
  expect(bullets).toContain("- state locking changes in dev (dynamodb_table unset → `terraform-locks`, use_lockfile `true` → unset): run `terraform init -reconfigure`; do not apply from the old and the new setting at the same time");
  // Critical before the rest.
  expect(bullets.findIndex((l) => l.startsWith("- **critical risk**"))).toBe(0);
  const json = JSON.parse(renderJson(review));
  expect(json.risks).toContainEqual(expect.objectContaining({ level: "critical", stack: "prod", address: "terraform.backend.s3.key", source: expect.stringMatching(/^main\.ts:\d+$/) }));
  golden("pr-provider-backend-change.md", md);
});

test("no change only when nothing differs: outputs, data sources, variables, required providers each get a line", () => {
  const json = JSON.parse(readFileSync(join(ROOT, base, "stacks/dev/cdk.tf.json"), "utf8"));
  const model = (j: unknown) => buildModel(fromSynthesized("dev", "dev.json", j));
  const same = renderMarkdown(buildReview([model(json)], [model(json)], "error"));
  expect(same).toContain("- No change: the environment synthesizes to the same resources as the base.");

  const edited = structuredClone(json);
  edited.output.extra = { value: "x" };
  delete edited.output.load_balancer_dns_name;
  const [type] = Object.keys(edited.data);
  const [name] = Object.keys(edited.data[type]);
  edited.data[type][name].name = "com.amazonaws.eu-west-1.s3-other";
  edited.variable.vpc_id.description = "another description";
  const pinned = json.terraform.required_providers.aws.version;
  edited.terraform.required_providers.aws.version = "99.0.0";
  const md = renderMarkdown(buildReview([model(edited)], [model(json)], "error"));
  const bullets = summaryBullets(md);
  expect(md).not.toContain("No change");
  expect(bullets).toEqual(
    expect.arrayContaining([
      "- outputs removed in dev: `load_balancer_dns_name`; whatever reads them (terraform_remote_state, scripts) breaks",
      "- outputs in dev: added `extra`",
      `- data sources in dev: 1 changed (\`data.${type}.${name}\`); what reads them may change`,
      "- `variable` blocks change in dev (`vpc_id`)",
      `- provider \`aws\` version \`${pinned}\` → \`99.0.0\` in dev: \`terraform init -upgrade\`; read the provider's changelog for changed defaults`,
    ]),
  );
});
