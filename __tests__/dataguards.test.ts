import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Testing } from "cdktf";
import { parse } from "yaml";
import { ConfigError, defineEnvironments, type EnvironmentInput } from "../modules/index";
import { defineEnvironment } from "../modules/config/environment";
import { DENIED_BUCKET_ACTIONS, OBJECT_ACTIONS } from "../modules/storage/policies";
import { RECEIVER_BLOCKED_CIDRS } from "../modules/config/mimir-guards";
import { MimirStack, entryWarningLines } from "../modules/stack/mimir-stack";
import { TEST_ACCOUNT_INPUTS } from "../modules/testing";
import { environments } from "../main";
import { generatedEnvironments } from "../bench/environments";
import { CA } from "./auth-fixtures";
import { env, gatewayEnv, problemsOf, resources, runTsx, synthJson, type TfJson } from "./helpers";

/**
 * Issue 21, items 4-7: trust material pinned by version, recoverable data,
 * Mimir's own guards, Terraform that cannot hit the wrong account or cluster.
 * Refusals name environment, field, value and fix; generated resources are
 * read from the synthesized Terraform JSON.
 */
const ACCOUNT = "111122223333";
const buckets = { blocks: "acme-t-blocks", ruler: "acme-t-ruler", alertmanager: "acme-t-alertmanager" };
const podIdentity = { clusterName: "eks" };
const CA_VERSION = "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY";
const CRL = { bucket: "acme-mimir-pki", key: "agents-ca.crl" };
const CRL_VERSION = "y3bVaq8bYtrXa0kQwbH7J_2pM1W9sF0e";
const ref = (name: string) => environments.find((e) => e.name === name) as EnvironmentInput;

/** A production-like environment that passes every data guard; rows take one thing away. */
const prod = (overrides: Record<string, unknown> = {}) =>
  gatewayEnv({
    name: "prod",
    productionLike: true,
    accountId: ACCOUNT,
    kubeContext: "prod-cluster",
    storage: { buckets, podIdentity },
    loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], accessLogsBucket: "acme-lb-logs", connectionLogsBucket: "acme-lb-logs" },
    auth: { mode: "mtls", caBundle: { ...CA, objectVersion: CA_VERSION }, revocations: [{ ...CRL, objectVersion: CRL_VERSION }], tenant: "prod" },
    ...overrides,
  });

type Row = [label: string, input: EnvironmentInput, field: string, value: unknown, rule: RegExp, fix: RegExp];
const REFUSED: Row[] = [
  ["prod CA bundle without an object version", prod({ auth: { mode: "mtls", caBundle: CA, tenant: "prod" } }), "auth.caBundle.objectVersion", undefined, /never picked up/, /head-object --bucket acme-mimir-pki --key agents-ca.pem --query VersionId/],
  ["prod revocation list without an object version", prod({ auth: { mode: "mtls", caBundle: { ...CA, objectVersion: CA_VERSION }, revocations: [CRL], tenant: "prod" } }), "auth.revocations[0].objectVersion", undefined, /never picked up/, /agents-ca\.crl/],
  ["an object version with a space", prod({ auth: { mode: "mtls", caBundle: { ...CA, objectVersion: "v 1" }, tenant: "prod" } }), "auth.caBundle.objectVersion", "v 1", /not an S3 object version id/, /VersionId/],
  ["a retention that is not a duration", prod({ storage: { buckets, podIdentity, blocksRetention: "thirty days" } }), "storage.blocksRetention", "thirty days", /not a duration Mimir understands/, /"395d"/],
  ["a retention without unit (a number)", prod({ storage: { buckets, podIdentity, blocksRetention: 30 } }), "storage.blocksRetention", 30, /must be a duration string/, /"395d"/],
  ["a negative retention", prod({ storage: { buckets, podIdentity, blocksRetention: "-1d" } }), "storage.blocksRetention", "-1d", /not a duration/, /"0" to keep blocks forever/],
  ["a retention with units out of order", prod({ storage: { buckets, podIdentity, blocksRetention: "1d2y" } }), "storage.blocksRetention", "1d2y", /largest first/, /"1y"/],
  ["a recovery window of 0 days", prod({ storage: { buckets, podIdentity, noncurrentVersionDays: 0 } }), "storage.noncurrentVersionDays", 0, /from 1 to 3650/, /30/],
  ["a recovery window written as text", prod({ storage: { buckets, podIdentity, noncurrentVersionDays: "30" } }), "storage.noncurrentVersionDays", "30", /must be a number of days/, /without quotes/],
  ["an account id of 5 digits", prod({ accountId: "12345" }), "accountId", "12345", /not an AWS account id \(12 digits\)/, /sts get-caller-identity/],
  ["an account id with letters", prod({ accountId: "11112222333a" }), "accountId", "11112222333a", /12 digits/, /12-digit/],
  ["an account id as a number", prod({ accountId: 111122223333 }), "accountId", 111122223333, /must be a string of 12 digits/, /quote the account id/],
  ["prod without an account id", prod({ accountId: undefined }), "accountId", undefined, /required in a production-like environment.*allowed_account_ids/, /12-digit id/],
  ["an empty kube context", prod({ kubeContext: "" }), "kubeContext", "", /empty or holds whitespace/, /get-contexts/],
  ["stage dev on a production-like environment", prod({ stage: "dev" }), "stage", "dev", /contradicts productionLike/, /remove stage/],
  ["stage production without productionLike", env({ stage: "production" }), "stage", "production", /needs productionLike: true/, /productionLike: true/],
  ["chart values turning the receiver firewall off", prod({ helm: { values: { mimir: { structuredConfig: { limits: { alertmanager_receivers_firewall_block_private_addresses: false } } } } } }), "helm.values.mimir.structuredConfig.limits.alertmanager_receivers_firewall_block_private_addresses", false, /private and internal addresses/, /remove it/],
  ["chart values dropping link-local from the blocked networks", prod({ helm: { values: { mimir: { structuredConfig: { limits: { alertmanager_receivers_firewall_block_cidr_networks: "10.0.0.0/8" } } } } } }), "helm.values.mimir.structuredConfig.limits.alertmanager_receivers_firewall_block_cidr_networks", "10.0.0.0/8", /drops 169\.254\.0\.0\/16, fe80::\/10/, /comma-separated/],
  ["chart values setting retention around storage", prod({ helm: { values: { mimir: { structuredConfig: { limits: { compactor_blocks_retention_period: "1d" } } } } } }), "helm.values.mimir.structuredConfig.limits.compactor_blocks_retention_period", "1d", /storage\.blocksRetention/, /storage\.blocksRetention/],
  ["chart values replacing the cluster label", prod({ helm: { values: { mimir: { structuredConfig: { memberlist: { cluster_label: "shared" } } } } } }), "helm.values.mimir.structuredConfig.memberlist.cluster_label", "shared", /another cluster cannot join/, /remove it/],
];

describe("refused with environment, field, value and fix", () => {
  test("the guarded production environment itself is valid and quiet", () => {
    expect(defineEnvironments([prod()])[0].warnings).toEqual([]);
  });

  test.each(REFUSED.map((r) => [r[0], r] as const))("%s", (_label, [, input, field, value, rule, fix]) => {
    const problem = problemsOf(() => defineEnvironments([input])).find((p) => p.field === field);
    if (!problem) throw new Error(`no problem for ${field}: ${problemsOf(() => defineEnvironments([input])).map((p) => p.field).join(", ")}`);
    expect(problem.env).toBe(input.name);
    expect(problem.value).toEqual(value);
    expect(problem.rule).toMatch(rule);
    expect(problem.fix).toMatch(fix);
    expect(new ConfigError([problem]).message).toMatch(new RegExp(`^\\[${input.name}\\] ${field.replace(/[.[\]]/g, "\\$&")} = `));
  });
});

describe("an explicit kube context in every environment", () => {
  const inputs = (kubeContext: string) => ({ ...TEST_ACCOUNT_INPUTS, kubeContext });
  const stackOf = (input: EnvironmentInput, kubeContext: string) => () => new MimirStack(Testing.app(), input.name, { environment: input, backend: "local", inputs: inputs(kubeContext) });

  test.each([
    ["staging", env({ name: "staging", stage: "staging" })],
    ["an environment without a stage (staging rules)", env({ name: "unmarked" })],
    ["prod", prod({ kubeContext: undefined })],
    ["dev", env({ name: "dev", stage: "dev" })],
  ] as const)("%s: an empty inputs.kubeContext is refused before anything is built", (_label, input) => {
    const [problem] = problemsOf(stackOf(input, ""));
    expect(problem).toMatchObject({ env: input.name, field: "kubeContext", value: "" });
    expect(problem.rule).toMatch(/kubeconfig's current context, whichever cluster that is at apply time/);
    expect(problem.fix).toMatch(/every stage, dev too, names its cluster/);
  });

  test("a context in the environment and a different one in the inputs are refused", () => {
    expect(problemsOf(stackOf(prod(), "other-cluster"))[0]).toMatchObject({ field: "kubeContext", value: "prod-cluster", rule: expect.stringMatching(/differs from the stack's inputs.kubeContext "other-cluster"/) });
  });

  test("providers use the environment's context; no kube_context variable is left to fill", () => {
    const json = synthJson(prod());
    expect((json as any).provider.kubernetes[0].config_context).toBe("prod-cluster");
    expect((json as any).provider.helm[0].kubernetes.config_context).toBe("prod-cluster");
    expect(Object.keys((json as any).variable ?? {})).not.toContain("kube_context");
  });

  test.each(["staging", "dev"])("from Terraform variables: %s's kube_context variable has no default and refuses an empty value", (stage) => {
    const variable = (synthJson(env({ name: stage, stage })) as any).variable.kube_context;
    expect(variable.default).toBeUndefined();
    expect(variable.validation).toEqual([expect.objectContaining({ condition: "${length(trimspace(var.kube_context)) > 0}", error_message: expect.stringMatching(/kube_context must name the kubeconfig context/) })]);
  });
});

describe("Terraform that cannot hit the wrong account", () => {
  test("allowed_account_ids on the AWS provider is the environment's account", () => {
    expect((synthJson(prod()) as any).provider.aws[0].allowed_account_ids).toEqual([ACCOUNT]);
    expect((synthJson(env()) as any).provider.aws[0].allowed_account_ids).toBeUndefined();
  });

  test("required_version follows the backend: >= 1.10.0 with S3 native locking (use_lockfile), >= 1.2.0 with a DynamoDB lock table", () => {
    const s3 = (input: EnvironmentInput) => JSON.parse(Testing.synth(new MimirStack(Testing.app(), input.name, { environment: input }))).terraform;
    const native = s3(prod());
    expect(native.backend.s3.use_lockfile).toBe(true);
    expect(native.required_version).toBe(">= 1.10.0");
    const dynamo = s3(prod({ state: { bucket: "test-state-bucket", lockTable: "terraform-locks" } }));
    expect(dynamo.backend.s3.use_lockfile).toBeUndefined();
    expect(dynamo.required_version).toBe(">= 1.2.0");
  });

  test("staging-like environments are warned about missing access logs, deletion protection and account id; dev is not", () => {
    const [staging] = defineEnvironments([env({ name: "staging", stage: "staging" })]);
    expect(staging.warnings).toEqual([
      expect.stringMatching(/^accountId is not set/),
      expect.stringMatching(/^loadBalancer\.accessLogsBucket is not set in a staging environment/),
      expect.stringMatching(/^loadBalancer\.deletionProtection is off in a staging environment/),
    ]);
    expect(defineEnvironments([env({ name: "dev", stage: "dev" })])[0].warnings).toEqual([]);
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "dataguards-warn-")) });
    new MimirStack(app, { environment: env({ name: "staging", stage: "staging" }), backend: "local" });
    expect(entryWarningLines(app)).toContain(`staging: warning: ${staging.warnings[1]}`);
  });
});

describe("trust material pinned by S3 object version", () => {
  test("prod: the trust store and every revocation read the pinned versions", () => {
    const json = synthJson(prod());
    expect(Object.values(resources(json, "aws_lb_trust_store"))).toEqual([expect.objectContaining({ ca_certificates_bundle_s3_bucket: CA.bucket, ca_certificates_bundle_s3_key: CA.key, ca_certificates_bundle_s3_object_version: CA_VERSION })]);
    expect(Object.values(resources(json, "aws_lb_trust_store_revocation"))).toEqual([expect.objectContaining({ revocations_s3_bucket: CRL.bucket, revocations_s3_key: CRL.key, revocations_s3_object_version: CRL_VERSION })]);
  });

  test("rotation: a new version in config is a change to the trust store in the plan", () => {
    const version = (v: string) => Object.values(resources(synthJson(prod({ auth: { mode: "mtls", caBundle: { ...CA, objectVersion: v }, tenant: "prod" } })), "aws_lb_trust_store"))[0].ca_certificates_bundle_s3_object_version;
    expect(version("v1")).toBe("v1");
    expect(version("v2")).toBe("v2");
  });

  test("elsewhere an unpinned bundle is a warning, not an error", () => {
    const [e] = defineEnvironments([env({ auth: { mode: "mtls", caBundle: CA, tenant: "t" } })]);
    expect(e.warnings).toContainEqual(expect.stringMatching(/^auth\.caBundle\.objectVersion is missing: .*never picked up/));
  });
});

describe("recoverable data", () => {
  const json = synthJson(prod({ storage: { buckets, podIdentity, noncurrentVersionDays: 14, blocksRetention: "395d" } }));

  test("every bucket is versioned; noncurrent versions expire after the configured days; prevent_destroy stays", () => {
    const ids = Object.keys(resources(json, "aws_s3_bucket"));
    expect(ids).toHaveLength(3);
    for (const id of ids) {
      const of = (type: string) => Object.values(resources(json, type)).filter((r) => r.bucket === `\${aws_s3_bucket.${id}.id}`) as any[];
      expect(of("aws_s3_bucket_versioning")).toEqual([expect.objectContaining({ versioning_configuration: { status: "Enabled" } })]);
      const [lifecycle] = of("aws_s3_bucket_lifecycle_configuration");
      expect(lifecycle.rule).toContainEqual(expect.objectContaining({ status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 14 }], expiration: [{ expired_object_delete_marker: true }] }));
      expect(lifecycle.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\./)]);
      expect((resources(json, "aws_s3_bucket")[id] as any).lifecycle.prevent_destroy).toBe(true);
    }
  });

  test("the role may delete objects (the compactor must) but never a bucket, its policy, versioning, lifecycle, or an object version", () => {
    const [rolePolicy] = Object.values(resources(json, "aws_iam_role_policy")) as any[];
    const statements = JSON.parse(rolePolicy.policy).Statement as Array<{ Effect: string; Action: string[]; Resource: string[] }>;
    const allowed = statements.filter((s) => s.Effect === "Allow").flatMap((s) => s.Action);
    const denied = statements.filter((s) => s.Effect === "Deny").flatMap((s) => s.Action);
    expect(allowed).toContain("s3:DeleteObject");
    for (const action of ["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketVersioning", "s3:PutLifecycleConfiguration", "s3:DeleteObjectVersion", "s3:PutBucketObjectLockConfiguration"]) {
      expect(denied).toContain(action);
      expect(allowed).not.toContain(action);
    }
    expect(DENIED_BUCKET_ACTIONS.filter((a) => (OBJECT_ACTIONS as readonly string[]).includes(a))).toEqual([]);
    const deny = statements.find((s) => s.Effect === "Deny")!;
    expect(deny.Resource).toEqual(expect.arrayContaining(Object.values(buckets).flatMap((b) => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`])));
  });

  test("existing buckets: a warning that their versioning is not ours", () => {
    expect(defineEnvironments([env({ storage: { buckets, podIdentity, createBuckets: false } })])[0].warnings).toContainEqual(expect.stringMatching(/createBuckets is false/));
  });
});

describe("Mimir's own guards", () => {
  const valuesOf = (json: TfJson) => parse((Object.values(resources(json, "helm_release"))[0] as any).values[0]).mimir.structuredConfig;

  test("chart values: a cluster label per environment with verification on, the receiver firewall on with link-local and metadata blocked, retention from storage", () => {
    const config = valuesOf(synthJson(prod({ storage: { buckets, podIdentity, blocksRetention: "395d" } })));
    expect(config.memberlist).toMatchObject({ cluster_label: "prod.mimir.mimir", cluster_label_verification_disabled: false });
    expect(config.limits).toMatchObject({ alertmanager_receivers_firewall_block_private_addresses: true, compactor_blocks_retention_period: "395d" });
    const blocked = String(config.limits.alertmanager_receivers_firewall_block_cidr_networks).split(",");
    expect(blocked).toEqual(expect.arrayContaining(["169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128"]));
  });

  test("retention defaults to Mimir's own (0: forever)", () => {
    expect(valuesOf(synthJson(prod())).limits.compactor_blocks_retention_period).toBe("0");
  });

  test("two environments never share a cluster label", () => {
    const label = (name: string, namespace = "mimir") => valuesOf(synthJson(prod({ name, namespace }))).memberlist.cluster_label;
    expect(new Set([label("prod"), label("staging"), label("prod", "mimir-b")]).size).toBe(3);
  });

  test("the monolithic workload's config carries the same guards", () => {
    const json = synthJson(ref("dev"));
    const [config] = Object.values(resources(json, "kubernetes_config_map_v1")).map((c: any) => c.data?.["mimir.yaml"]).filter(Boolean);
    const mimir = parse(config);
    expect(mimir.memberlist).toMatchObject({ cluster_label: "dev.mimir.mimir", cluster_label_verification_disabled: false });
    expect(mimir.limits.alertmanager_receivers_firewall_block_private_addresses).toBe(true);
    expect(mimir.limits.alertmanager_receivers_firewall_block_cidr_networks).toBe(RECEIVER_BLOCKED_CIDRS.join(","));
  });

  test("turning cluster-label verification off for a migration is allowed, with a warning", () => {
    const e = defineEnvironment(prod({ helm: { values: { mimir: { structuredConfig: { memberlist: { cluster_label_verification_disabled: true } } } } } }));
    expect(e.warnings).toContainEqual(expect.stringMatching(/cluster_label_verification_disabled is true: members of another cluster can join/));
  });
});

describe("the reference app and the benchmark environments pass the new requirements", () => {
  test("every reference environment is valid with no configuration warning", () => {
    expect(defineEnvironments(environments).map((e) => [e.name, e.stage, e.warnings])).toEqual([
      ["dev", "dev", []],
      ["staging", "staging", []],
      ["prod", "production", []],
    ]);
  });

  test("benchmark environments are valid", () => {
    expect(() => defineEnvironments(generatedEnvironments(6))).not.toThrow();
  });
});

test("npm run synth: prod without an object version exits 1 with one line naming environment, field and fix, and writes nothing", () => {
  const work = mkdtempSync(join(tmpdir(), "dataguards-synth-"));
  const file = join(work, "envs.json");
  writeFileSync(file, JSON.stringify([prod({ auth: { mode: "mtls", caBundle: CA, tenant: "prod" } })]));
  const outdir = join(work, "out");
  const r = runTsx(["bin/synth.ts", "--outdir", outdir, "--environments", file]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^\s*\[prod\] auth\.caBundle\.objectVersion = \(missing\): is missing: .* Fix: set it to the object's S3 version id/m);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(existsSync(join(outdir, "stacks"))).toBe(false);
});
