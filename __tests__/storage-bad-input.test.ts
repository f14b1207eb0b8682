import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { formatValue, Redacted } from "../modules/contract/problems";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, defineEnvironments } from "../modules/index";
import { buildApp } from "../main";
import { env, runTsx } from "./helpers";

/**
 * Bad storage settings: each row names the field, the value and the rule;
 * every problem carries a fix, and `npm run synth` writes nothing.
 */
const buckets = { blocks: "acme-t-blocks", ruler: "acme-t-ruler", alertmanager: "acme-t-alertmanager" };
const irsa = { oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123" };
const storage = (extra: Record<string, unknown>) => ({ storage: { buckets, irsa, ...extra } });

type Row = [label: string, overrides: Record<string, unknown>, field: string, value: unknown, rule: RegExp];
const ROWS: Row[] = [
  ["bucket name with capitals and underscore", storage({ buckets: { ...buckets, blocks: "Acme_Blocks" } }), "storage.buckets.blocks", "Acme_Blocks", /not a valid S3 bucket name/],
  ["bucket name too short", storage({ buckets: { ...buckets, ruler: "ab" } }), "storage.buckets.ruler", "ab", /3 to 63 characters/],
  ["bucket name like an IP address", storage({ buckets: { ...buckets, ruler: "192.168.5.4" } }), "storage.buckets.ruler", "192.168.5.4", /IP address/],
  ["bucket name with adjacent dots", storage({ buckets: { ...buckets, alertmanager: "acme..alerts" } }), "storage.buckets.alertmanager", "acme..alerts", /two adjacent dots/],
  ["bucket name with a reserved prefix", storage({ buckets: { ...buckets, blocks: "xn--mimir-blocks" } }), "storage.buckets.blocks", "xn--mimir-blocks", /reserved prefix xn--/],
  ["bucket name with a reserved suffix", storage({ buckets: { ...buckets, blocks: "mimir-blocks-s3alias" } }), "storage.buckets.blocks", "mimir-blocks-s3alias", /reserved suffix -s3alias/],
  ["two stores in one bucket", storage({ buckets: { ...buckets, ruler: buckets.blocks } }), "storage.buckets.ruler", buckets.blocks, /also the blocks bucket/],
  ["KMS key of another region", storage({ kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }), "storage.kmsKeyArn", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", /key in us-east-1.*eu-west-1/],
  ["KMS alias instead of a key", storage({ kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:alias/mimir" }), "storage.kmsKeyArn", "arn:aws:kms:eu-west-1:111122223333:alias/mimir", /not a KMS key ARN/],
  ["role ARN that is a user", storage({ roleArn: "arn:aws:iam::111122223333:user/mimir" }), "storage.roleArn", "arn:aws:iam::111122223333:user/mimir", /not an IAM role ARN/],
  ["role ARN that is a policy", storage({ roleArn: "arn:aws:iam::111122223333:policy/mimir-s3" }), "storage.roleArn", "arn:aws:iam::111122223333:policy/mimir-s3", /not an IAM role ARN/],
  ["IRSA without an OIDC provider", storage({ irsa: {} }), "storage.irsa.oidcProviderArn", undefined, /required for IRSA/],
  ["OIDC provider ARN of the wrong shape", storage({ irsa: { oidcProviderArn: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC" } }), "storage.irsa.oidcProviderArn", "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC", /not an IAM OIDC provider ARN/],
  ["no identity for the pods", { storage: { buckets } }, "storage.irsa", undefined, /need an AWS identity/],
  ["IRSA and Pod Identity together", storage({ podIdentity: { clusterName: "eks" } }), "storage.podIdentity", { clusterName: "eks" }, /together with irsa/],
  ["Pod Identity without a cluster", { storage: { buckets, podIdentity: {} } }, "storage.podIdentity.clusterName", undefined, /required for EKS Pod Identity/],
  ["chart values turning MinIO back on", { ...storage({}), helm: { values: { minio: { enabled: true } } } }, "helm.values.minio.enabled", true, /demo MinIO/],
  ["a static AWS key in chart values", { helm: { values: { mimir: { structuredConfig: { common: { storage: { s3: { secret_access_key: "wJalrXUtnFEMI" } } } } } } } }, "helm.values.mimir.structuredConfig.common.storage.s3.secret_access_key", "(redacted)", /static AWS credential/],
  ["chart values moving a store to another bucket", { ...storage({}), helm: { values: { mimir: { structuredConfig: { ruler_storage: { s3: { bucket_name: "elsewhere" } } } } } } }, "helm.values.mimir.structuredConfig.ruler_storage.s3.bucket_name", "elsewhere", /no access to/],
  ["production-like without storage", { productionLike: true }, "storage", undefined, /demo MinIO with default credentials/],
  ["misspelt storage setting (its value is never echoed)", storage({ bucket: "x" }), "storage.bucket", new Redacted("a string"), /not a known setting/],
  ["node-group mode without the node group's group", { podSecurityGroups: { mode: "node-group" } }, "podSecurityGroups.nodeSecurityGroupId", undefined, /required in node-group mode/],
  ["unknown pod security group mode", { podSecurityGroups: { mode: "none" } }, "podSecurityGroups.mode", "none", /must be one of "security-group-policy", "node-group"/],
  ["too many pod security groups", { podSecurityGroups: { mode: "security-group-policy", additionalGroupIds: ["sg-00000001", "sg-00000002", "sg-00000003", "sg-00000004"] } }, "podSecurityGroups.additionalGroupIds", ["sg-00000001", "sg-00000002", "sg-00000003", "sg-00000004"], /at most 5/],
];

const nameOf = (i: number) => `storage-${String(i).padStart(2, "0")}`;
const inputOf = (row: Row, i: number) => env({ ...row[1], name: nameOf(i) });

describe("through the public API", () => {
  test.each(ROWS.map((r, i) => [r[0], r, i] as const))("%s", (_label, row, i) => {
    const [, , field, value, rule] = row;
    let err: unknown;
    try {
      defineEnvironments([inputOf(row, i)]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problem = (err as ConfigError).problems.find((p) => p.field === field);
    if (!problem) throw new Error(`no problem for ${field}: ${(err as Error).message}`);
    expect(problem.env).toBe(nameOf(i));
    expect(problem.value).toEqual(value);
    expect(problem.rule).toMatch(rule);
    expect(problem.fix).toMatch(/[a-z]{3,}/);
  });

  test("a key read from the environment at run time (${VAR}) is not a static credential", () => {
    expect(() => defineEnvironments([env({ helm: { values: { mimir: { structuredConfig: { common: { storage: { s3: { secret_access_key: "${AWS_SECRET_ACCESS_KEY}" } } } } } } } })])).not.toThrow();
  });

  test("an existing role needs no OIDC provider (its trust is already set up)", () => {
    expect(() => defineEnvironments([env({ storage: { buckets, irsa: {}, roleArn: "arn:aws:iam::111122223333:role/mimir" } })])).not.toThrow();
  });
});

describe("through npm run synth", () => {
  const work = mkdtempSync(join(tmpdir(), "mimir-storage-bad-"));
  const outdir = join(work, "cdktf.out");
  beforeAll(() => buildApp(outdir).synth());
  const snapshot = () => readdirSync(join(outdir, "stacks")).map((s) => [s, readFileSync(join(outdir, "stacks", s, "cdk.tf.json"), "utf8")]);

  test("every configuration problem at once: one line each with field, value and fix; exit 1; nothing written", () => {
    const before = snapshot();
    const file = join(work, "bad.json");
    const rows = ROWS;
    writeFileSync(file, JSON.stringify(rows.map((r) => inputOf(r, ROWS.indexOf(r)))));
    const r = runTsx(["bin/synth.ts", "--outdir", outdir, "--environments", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    for (const row of rows) {
      const [, , field, value, rule] = row;
      const prefix = `[${nameOf(ROWS.indexOf(row))}] ${field} = ${value instanceof Redacted ? formatValue(value) : value === undefined ? "(missing)" : JSON.stringify(value)}: `;
      const line = r.stderr.split("\n").find((l) => l.trim().startsWith(prefix));
      if (!line) throw new Error(`no line starting with ${prefix}\n${r.stderr}`);
      expect(line).toMatch(rule);
      expect(line).toMatch(/\. Fix: \w/);
    }
    expect(snapshot()).toEqual(before);
    expect(existsSync(join(outdir, "stacks", nameOf(0)))).toBe(false);
  });
});
