import { Testing } from "cdktf";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp, environments } from "../main";
import { env, ROOT, synthJson } from "./helpers";

function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p.slice(dir.length), readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return out;
}

describe("reference app", () => {
  const outA = mkdtempSync(join(tmpdir(), "mimir-a-"));
  const outB = mkdtempSync(join(tmpdir(), "mimir-b-"));
  beforeAll(() => {
    buildApp(outA).synth();
    buildApp(outB).synth();
  });

  test("synthesizes dev, staging and prod", () => {
    expect(readdirSync(join(outA, "stacks")).sort()).toEqual(["dev", "prod", "staging"]);
    expect(environments.map((e) => e.name)).toEqual(["dev", "staging", "prod"]);
  });

  test("two synths are byte-identical", () => {
    const a = readTree(outA);
    const b = readTree(outB);
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [file, text] of a) expect(b.get(file)).toBe(text);
  });

  test("the output holds no absolute path of this machine", () => {
    for (const [file, text] of readTree(outA)) {
      for (const path of [outA, ROOT, tmpdir(), process.env.HOME ?? "/root"]) {
        if (text.includes(path)) throw new Error(`${file} contains the machine path ${path}`);
      }
      expect(text).not.toMatch(/"\/(root|home|tmp|work|Users|var|private)\//);
      expect(text).not.toContain('"local"');
    }
  });

  test("each environment has an encrypted, locked S3 backend with its own state key", () => {
    const keys = new Set<string>();
    for (const name of ["dev", "staging", "prod"]) {
      const json = JSON.parse(readFileSync(join(outA, "stacks", name, "cdk.tf.json"), "utf8"));
      const s3 = json.terraform.backend.s3;
      expect(s3).toMatchObject({ bucket: "acme-terraform-state", key: `mimir/${name}/terraform.tfstate`, encrypt: true, use_lockfile: true });
      expect(json.terraform.backend.local).toBeUndefined();
      keys.add(s3.key);
    }
    expect(keys.size).toBe(3);
  });

  test("account identifiers are Terraform variables with validation", () => {
    const json = synthJson(env());
    expect(Object.keys(json.variable ?? {}).sort()).toEqual(["certificate_arn", "cluster_security_group_id", "kube_context", "kubeconfig_path", "node_security_group_id", "subnet_ids", "vpc_id"]);
    expect(JSON.stringify(json.variable!.vpc_id.validation)).toContain("vpc-");
    expect(JSON.stringify(json.variable!.certificate_arn.validation)).toContain(":acm:");
    // In Terraform JSON a string is a template: the condition must be a ${...} expression on its own variable.
    for (const [name, variable] of Object.entries(json.variable!)) {
      for (const v of (variable.validation as Array<{ condition: string; error_message: string }> | undefined) ?? []) {
        expect(v.condition).toMatch(new RegExp(`^\\$\\{.*var\\.${name}\\b.*\\}$`));
        expect(v.error_message).toMatch(/^\w+ must /);
      }
    }
  });

  test("a DynamoDB lock table replaces S3 native locking when configured", () => {
    const json = synthJson(env({ state: { bucket: "test-state-bucket", lockTable: "tf-locks" } }));
    expect(json.terraform.backend.s3).toMatchObject({ dynamodb_table: "tf-locks" });
    expect(json.terraform.backend.s3.use_lockfile).toBeUndefined();
  });

  test("full synth of the app passes cdktf's own validations", () => {
    const app = buildApp(mkdtempSync(join(tmpdir(), "mimir-c-")));
    expect(() => Testing.fullSynth(app.node.children[0] as never)).not.toThrow();
  });
});
