import { parse } from "yaml";
import { defineEnvironment, type EnvironmentInput } from "../modules/config/environment";
import { mimirValues, mimirValuesYaml } from "../modules/helm/values";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp, environments } from "../main";
import { env, resources, synthJson, type TfJson } from "./helpers";

/**
 * Object storage on S3 and the pods' AWS identity, asserted on the
 * synthesized Terraform JSON and the chart values a deploy would pass.
 */
const ref = (name: string) => environments.find((e) => e.name === name) as EnvironmentInput;
const one = <T = Record<string, any>>(json: TfJson, type: string) => Object.values(resources(json, type)) as T[];
const policy = (s: string) => JSON.parse(s) as { Statement: Array<Record<string, any>> };
const ownerOf = (json: TfJson, type: string, ref: string) => Object.entries(resources(json, type)).find(([name]) => ref === `\${${type}.${name}.id}`)?.[1] as Record<string, any> | undefined;

const buckets = { blocks: "acme-t-blocks", ruler: "acme-t-ruler", alertmanager: "acme-t-alertmanager" };
const irsa = { oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123" };

describe("buckets (reference staging and prod)", () => {
  const staging = synthJson(ref("staging"));
  const prod = synthJson(ref("prod"));

  test.each([
    ["staging", staging],
    ["prod", prod],
  ] as const)("%s: three buckets, each public access blocked, owner enforced, encrypted, TLS only, incomplete uploads aborted", (name, json) => {
    const names = one(json, "aws_s3_bucket").map((b) => b.bucket).sort();
    expect(names).toEqual([`acme-mimir-${name}-alertmanager`, `acme-mimir-${name}-blocks`, `acme-mimir-${name}-ruler`]);
    for (const [id, b] of Object.entries(resources(json, "aws_s3_bucket"))) {
      const bucketRef = `\${aws_s3_bucket.${id}.id}`;
      const of = (type: string) => one(json, type).filter((r) => r.bucket === bucketRef);
      expect(b.force_destroy).toBe(false);
      expect(b.acl).toBeUndefined();
      expect(of("aws_s3_bucket_public_access_block")).toEqual([
        expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
      ]);
      expect(of("aws_s3_bucket_ownership_controls")).toEqual([expect.objectContaining({ rule: { object_ownership: "BucketOwnerEnforced" } })]);
      const sse = of("aws_s3_bucket_server_side_encryption_configuration");
      expect(sse).toHaveLength(1);
      const byDefault = sse[0].rule[0].apply_server_side_encryption_by_default;
      if (name === "prod") expect(byDefault).toEqual({ sse_algorithm: "aws:kms", kms_master_key_id: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" });
      else expect(byDefault).toEqual({ sse_algorithm: "AES256" });
      const [bucketPolicy] = of("aws_s3_bucket_policy");
      const deny = policy(bucketPolicy.policy).Statement;
      expect(deny).toEqual([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [`arn:aws:s3:::${b.bucket}`, `arn:aws:s3:::${b.bucket}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]);
      expect(bucketPolicy.depends_on?.[0]).toMatch(/^aws_s3_bucket_public_access_block\./);
      const [lifecycle] = of("aws_s3_bucket_lifecycle_configuration");
      expect(lifecycle.rule).toEqual([
        expect.objectContaining({ status: "Enabled", filter: [{}], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }),
        expect.objectContaining({ status: "Enabled", filter: [{}], noncurrent_version_expiration: [{ noncurrent_days: 30 }], expiration: [{ expired_object_delete_marker: true }] }),
      ]);
      expect(of("aws_s3_bucket_versioning")).toEqual([expect.objectContaining({ versioning_configuration: { status: "Enabled" } })]);
    }
  });

  test("production-like buckets cannot be destroyed by terraform; staging's can be", () => {
    expect(one(prod, "aws_s3_bucket").every((b) => b.lifecycle?.prevent_destroy === true)).toBe(true);
    expect(one(staging, "aws_s3_bucket").some((b) => b.lifecycle?.prevent_destroy)).toBe(false);
  });

  test("dev keeps no bucket (its monolithic workload is outside the chart)", () => {
    expect(resources(synthJson(ref("dev")), "aws_s3_bucket")).toEqual({});
  });
});

describe("the role Mimir's pods assume", () => {
  test("least privilege: list the three buckets, object read/write/delete in them, the KMS key; nothing else", () => {
    const json = synthJson(ref("prod"));
    const [rolePolicy] = one(json, "aws_iam_role_policy");
    const statements = policy(rolePolicy.policy).Statement;
    const arns = ["acme-mimir-prod-blocks", "acme-mimir-prod-ruler", "acme-mimir-prod-alertmanager"].map((b) => `arn:aws:s3:::${b}`);
    expect(statements).toEqual([
      { Sid: "MimirListBuckets", Effect: "Allow", Action: ["s3:ListBucket"], Resource: arns },
      { Sid: "MimirObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], Resource: arns.map((a) => `${a}/*`) },
      expect.objectContaining({ Sid: "MimirNeverAdministersBuckets", Effect: "Deny", Resource: arns.flatMap((a) => [a, `${a}/*`]) }),
      {
        Sid: "MimirBucketKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        // Only through S3 in the region, and only for Mimir's buckets (bucket ARN with a bucket key, object ARN without).
        Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" }, StringLike: { "kms:EncryptionContext:aws:s3:arn": arns.flatMap((a) => [a, `${a}/*`]) } },
      },
    ]);
    expect(rolePolicy.policy).not.toMatch(/"\*"|s3:\*|kms:\*/);
  });

  test("SSE-S3: no KMS permission at all", () => {
    const [rolePolicy] = one(synthJson(ref("staging")), "aws_iam_role_policy");
    expect(rolePolicy.policy).not.toContain("kms:");
  });

  test("IRSA (staging): trusts exactly the chart's service account through the cluster's OIDC provider; the values annotate it with this role", () => {
    const json = synthJson(ref("staging"));
    const [role] = one(json, "aws_iam_role");
    const issuer = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    expect(policy(role.assume_role_policy).Statement).toEqual([
      {
        Sid: "MimirServiceAccountViaIrsa",
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${issuer}` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${issuer}:sub`]: "system:serviceaccount:mimir:mimir", [`${issuer}:aud`]: "sts.amazonaws.com" } },
      },
    ]);
    expect(resources(json, "aws_eks_pod_identity_association")).toEqual({});
    const values = mimirValues(defineEnvironment(ref("staging"))) as Record<string, any>;
    expect(values.serviceAccount.annotations).toEqual({ "eks.amazonaws.com/role-arn": `arn:aws:iam::111122223333:role/${role.name}` });
    expect(values.serviceAccount.name).toBeUndefined(); // the chart's default: <fullname>, the name the role trusts
    // apply stops if the created role's ARN is not the one the service account is annotated with
    expect(role.lifecycle.postcondition[0].condition).toBe(`\${self.arn == "arn:aws:iam::111122223333:role/${role.name}"}`);
  });

  test("EKS Pod Identity (prod): trusts pods.eks.amazonaws.com, restricted by session tags to Mimir's service account; an association maps it", () => {
    const json = synthJson(ref("prod"));
    const [role] = one(json, "aws_iam_role");
    expect(policy(role.assume_role_policy).Statement).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { StringEquals: { "aws:RequestTag/eks-cluster-name": "acme-prod", "aws:RequestTag/kubernetes-namespace": "mimir", "aws:RequestTag/kubernetes-service-account": "mimir" } },
      }),
    ]);
    const roleId = Object.keys(resources(json, "aws_iam_role"))[0];
    expect(one(json, "aws_eks_pod_identity_association")).toEqual([
      expect.objectContaining({ cluster_name: "acme-prod", service_account: "mimir", role_arn: `\${aws_iam_role.${roleId}.arn}`, namespace: expect.stringMatching(/^\$\{kubernetes_namespace_v1\./) }),
    ]);
    const values = mimirValues(defineEnvironment(ref("prod"))) as Record<string, any>;
    expect(values.serviceAccount.annotations).toBeUndefined();
  });

  test("the chart waits for the role's policy, the association and the pods' security groups", () => {
    const [release] = one(synthJson(ref("prod")), "helm_release");
    expect(release.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^kubernetes_manifest\.pod-security-groups/), expect.stringMatching(/^aws_iam_role_policy\./), expect.stringMatching(/^aws_eks_pod_identity_association\./)]),
    );
  });

  test("existing buckets and an existing role: no bucket or role created; the pods use the named role", () => {
    const roleArn = "arn:aws:iam::111122223333:role/platform/mimir-storage";
    const json = synthJson(env({ storage: { buckets, createBuckets: false, roleArn, irsa: {} } }));
    expect(resources(json, "aws_s3_bucket")).toEqual({});
    expect(resources(json, "aws_iam_role")).toEqual({});
    const values = mimirValues(defineEnvironment(env({ storage: { buckets, createBuckets: false, roleArn, irsa: {} } }))) as Record<string, any>;
    expect(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toBe(roleArn);
    expect(json.output?.storage_role_arn.value).toBe(roleArn);
  });

  test("existing buckets, created role: the role is scoped to the named buckets", () => {
    const json = synthJson(env({ storage: { buckets, createBuckets: false, irsa } }));
    expect(resources(json, "aws_s3_bucket")).toEqual({});
    const [rolePolicy] = one(json, "aws_iam_role_policy");
    expect(policy(rolePolicy.policy).Statement[0].Resource).toEqual(Object.values(buckets).map((b) => `arn:aws:s3:::${b}`));
  });
});

describe("chart values for storage", () => {
  test.each(["staging", "prod"])("%s: S3 backend, region endpoint, one bucket per store, MinIO off, no credential anywhere", (name) => {
    const values = mimirValues(defineEnvironment(ref(name))) as Record<string, any>;
    const config = values.mimir.structuredConfig;
    expect(values.minio).toEqual({ enabled: false });
    expect(config.common.storage).toEqual({ backend: "s3", s3: { endpoint: "s3.eu-west-1.amazonaws.com", region: "eu-west-1" } });
    expect(config.blocks_storage.s3.bucket_name).toBe(`acme-mimir-${name}-blocks`);
    expect(config.ruler_storage.s3.bucket_name).toBe(`acme-mimir-${name}-ruler`);
    expect(config.alertmanager_storage.s3.bucket_name).toBe(`acme-mimir-${name}-alertmanager`);
    const yaml = mimirValuesYaml(defineEnvironment(ref(name)));
    expect(yaml).not.toMatch(/access_key_id|secret_access_key|rootUser|rootPassword|minio\.\w+\.svc/);
    expect(parse(yaml)).toEqual(values);
  });

  test("user values still merge last (e.g. an SSE setting for Mimir's client)", () => {
    const values = mimirValues(defineEnvironment(env({ storage: { buckets, irsa }, helm: { values: { mimir: { structuredConfig: { common: { storage: { s3: { sse: { type: "SSE-S3" } } } } } } } } }))) as Record<string, any>;
    expect(values.mimir.structuredConfig.common.storage).toEqual({ backend: "s3", s3: { endpoint: "s3.eu-west-1.amazonaws.com", region: "eu-west-1", sse: { type: "SSE-S3" } } });
  });

  test("China regions use the .com.cn endpoint and the aws-cn partition", () => {
    const input = env({ region: "cn-north-1", storage: { buckets, podIdentity: { clusterName: "eks" } } });
    expect((mimirValues(defineEnvironment(input)) as Record<string, any>).mimir.structuredConfig.common.storage.s3.endpoint).toBe("s3.cn-north-1.amazonaws.com.cn");
    const [rolePolicy] = one(synthJson(input), "aws_iam_role_policy");
    expect(rolePolicy.policy).toContain("arn:aws-cn:s3:::acme-t-blocks");
  });

  test("a custom service account is named in the values and trusted by the role", () => {
    const input = env({ storage: { buckets, irsa, serviceAccount: "mimir-s3" } });
    expect((mimirValues(defineEnvironment(input)) as Record<string, any>).serviceAccount).toMatchObject({ create: true, name: "mimir-s3" });
    const [role] = one(synthJson(input), "aws_iam_role");
    expect(role.assume_role_policy).toContain("system:serviceaccount:mimir:mimir-s3");
  });
});

describe("the members security group is attached to Mimir's pods", () => {
  test.each(environments.map((e) => e.name))("%s: a SecurityGroupPolicy gives the release's pods the members group and the dedicated pods group, never the cluster group", (name) => {
    const json = synthJson(ref(name));
    const groups = Object.keys(resources(json, "aws_security_group"));
    const members = groups.find((g) => g.includes("members")) as string;
    const pods = groups.find((g) => g.includes("_pods_")) as string;
    // Mimir's pods' policy (the other one gives the created Gateway's proxies their own group: least-privilege.test.ts).
    const policies = one<{ manifest: Record<string, any> }>(json, "kubernetes_manifest").filter((m) => m.manifest.kind === "SecurityGroupPolicy" && m.manifest.metadata.namespace !== "envoy-gateway-system");
    expect(policies).toHaveLength(1);
    const { manifest } = policies[0];
    expect(manifest.apiVersion).toBe("vpcresources.k8s.aws/v1beta1");
    expect(manifest.spec.podSelector).toEqual({ matchLabels: { "app.kubernetes.io/name": "mimir", "app.kubernetes.io/instance": "mimir" } });
    expect(manifest.spec.securityGroups.groupIds).toEqual([`\${aws_security_group.${members}.id}`, `\${aws_security_group.${pods}.id}`]);
  });

  test.each(environments.map((e) => e.name))("%s: no security group is dangling (each is on the load balancer or on pods)", (name) => {
    const json = synthJson(ref(name));
    const text = JSON.stringify([resources(json, "aws_lb"), resources(json, "kubernetes_manifest")]);
    for (const id of Object.keys(resources(json, "aws_security_group"))) expect(text).toContain(`aws_security_group.${id}.id`);
  });

  test("node-group mode: the members rules go on the node group's group; no members group, no SecurityGroupPolicy; nodes reach grpc and memberlist, so the policy refuses it (MP019) unless acknowledged", () => {
    const bare = env({ podSecurityGroups: { mode: "node-group", nodeSecurityGroupId: "sg-0aaaabbbbccccdddd" } });
    expect(() => buildApp(mkdtempSync(join(tmpdir(), "mimir-node-group-bare-")), [bare]).synth()).toThrow(/MP019 error .*a node of the cluster .*grpc 9095, memberlist 7946/);
    const input = env({ podSecurityGroups: { mode: "node-group", nodeSecurityGroupId: "sg-0aaaabbbbccccdddd" }, acknowledgements: [{ rule: "MP019", resource: "test/helm-release/release", reason: "node-group mode: nodes share the members rules, accepted for this test (OPS-1)", accepts: { severity: "error", sources: ["a node of the cluster (kubelet, hostNetwork pods)"], via: ["NetworkPolicies do not apply to traffic from the node", "no SecurityGroupPolicy gives Mimir's pods a group of their own: they use the nodes' groups, shared with every node and every pod without its own group", "pods mimir:grpc"] } }] });
    const json = synthJson(input);
    expect(Object.keys(resources(json, "aws_security_group")).filter((g) => g.includes("members"))).toEqual([]);
    expect(one<{ manifest: Record<string, any> }>(json, "kubernetes_manifest").filter((m) => m.manifest.kind === "SecurityGroupPolicy")).toEqual([]);
    const onNodes = one(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === "sg-0aaaabbbbccccdddd");
    expect(onNodes.map((r) => r.description)).toEqual(expect.arrayContaining(["mimir grpc 9095/tcp from mimir members", "mimir memberlist 7946/tcp from mimir members"]));
    expect(onNodes.find((r) => r.from_port === 9095)?.referenced_security_group_id).toBe("sg-0aaaabbbbccccdddd");
    expect(() => buildApp(mkdtempSync(join(tmpdir(), "mimir-node-group-")), [input]).synth()).not.toThrow();
  });

  test("additional groups follow the members and pods groups (a group not in the stack is unknown to the model: MP015, acknowledged here)", () => {
    const json = synthJson(env({ podSecurityGroups: { mode: "security-group-policy", additionalGroupIds: ["sg-0123456789abcdef0"] }, acknowledgements: [{ rule: "MP015", resource: "test/pod-security-groups/policy", reason: "the extra group's rules live in another stack, reviewed there (OPS-2)", accepts: { severity: "error", sources: ["sg sg-0123456789abcdef0 (not in this stack)"], via: ["SecurityGroupPolicy mimir-members", "pods mimir"] } }] }));
    const sgp = one<{ manifest: Record<string, any> }>(json, "kubernetes_manifest").find((m) => m.manifest.kind === "SecurityGroupPolicy")!;
    expect(sgp.manifest.spec.securityGroups.groupIds).toHaveLength(3);
    expect(sgp.manifest.spec.securityGroups.groupIds[2]).toBe("sg-0123456789abcdef0");
  });
});
