import { ConfigError, Redacted } from "../modules/contract/problems";
import { defineEnvironment, defineEnvironments } from "../modules/config/environment";
import { env, problemsOf } from "./helpers";


describe("environment settings", () => {
  test("defaults: helm ownership, chart fullname, state key per environment, contract defaults", () => {
    const e = defineEnvironment(env({ name: "qa", release: "metrics" }));
    expect(e.serviceOwnership).toBe("helm");
    expect(e.fullname).toBe("metrics-mimir");
    expect(e.stateKey).toBe("mimir/qa/terraform.tfstate");
    expect(e.contract.http.port).toBe(8080);
    expect(e.components).toContain("ingester");
    expect(e.deletionProtection).toBe(false);
    expect(e.targetPort).toBe(443);
    const storage = { buckets: { blocks: "t-blocks", ruler: "t-ruler", alertmanager: "t-alertmanager" }, podIdentity: { clusterName: "eks" } };
    expect(defineEnvironment(env({ productionLike: true, accountId: "111122223333", monitoring: { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" } }, storage })).deletionProtection).toBe(true);
  });

  test("port overrides flow into the contract and the mimir target port", () => {
    const e = defineEnvironment(
      env({ ports: { http: 8081 }, loadBalancer: { allowedCidrs: ["10.0.0.0/8"], target: { kind: "mimir" } }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } }),
    );
    expect(e.contract.http.port).toBe(8081);
    expect(e.targetPort).toBe(8081);
  });

  test.each<[string, Record<string, unknown>, string, unknown, RegExp]>([
    ["bad CIDR octet", { loadBalancer: { allowedCidrs: ["300.1.1.1/8"] } }, "loadBalancer.allowedCidrs[0]", "300.1.1.1/8", /octet above 255/],
    ["bad CIDR prefix", { loadBalancer: { allowedCidrs: ["10.0.0.0/33"] } }, "loadBalancer.allowedCidrs[0]", "10.0.0.0/33", /prefix length above 32/],
    ["empty CIDR", { loadBalancer: { allowedCidrs: [""] } }, "loadBalancer.allowedCidrs[0]", "", /non-empty CIDR/],
    ["no client source", { loadBalancer: { allowedCidrs: [] } }, "loadBalancer.allowedCidrs", [], /nobody could reach/],
    ["empty name", { name: "" }, "name", "", /lower-case letter/],
    ["name with bad characters", { name: "Prod_EU" }, "name", "Prod_EU", /lower-case letter/],
    ["unknown component", { components: ["distributor", "ingestor"] }, "components[1]", "ingestor", /not a Mimir component/],
    ["components in monolithic mode", { deploymentMode: "monolithic", components: ["ingester"] }, "components", ["ingester"], /monolithic/],
    ["unknown deployment mode", { deploymentMode: "read-write" }, "deploymentMode", "read-write", /monolithic or microservices/],
    ["misspelt key (its value is never echoed)", { loadBalancr: {} }, "loadBalancr", new Redacted("an object with no keys"), /not a known setting/],
    ["ingress without TLS secret", { ingress: { className: "nginx", hosts: ["a.example.com"] } }, "ingress.tlsSecretName", undefined, /TLS/],
    ["ingress with empty host", { ingress: { className: "nginx", hosts: [""], tlsSecretName: "t" } }, "ingress.hosts[0]", "", /DNS host name/],
    ["ingress class of wrong shape", { ingress: { className: "Nginx Class", hosts: ["a.example.com"], tlsSecretName: "t" } }, "ingress.className", "Nginx Class", /IngressClass/],
    ["external ownership with the chart installed", { serviceOwnership: "external", helm: { install: true } }, "helm.install", true, /serviceOwnership external/],
    ["monitoring CIDR to the world", { monitoring: { namespace: "monitoring", cidrs: ["0.0.0.0/0"] } }, "monitoring.cidrs", ["0.0.0.0/0"], /whole internet/],
    ["helm values not an object", { helm: { values: "replicas: 3" } }, "helm.values", "replicas: 3", /must be an object/],
  ])("%s", (_label, overrides, field, value, rule) => {
    const problems = problemsOf(() => defineEnvironment(env(overrides as never)));
    const p = problems.find((x) => x.field === field);
    expect(p).toBeDefined();
    expect(p!.value).toEqual(value);
    expect(p!.rule).toMatch(rule);
    expect(p!.fix).toMatch(/\w{3,}/);
  });

  test("mimir target with a port other than the contract's http port", () => {
    const problems = problemsOf(() =>
      defineEnvironment(env({ loadBalancer: { allowedCidrs: ["10.0.0.0/8"], target: { kind: "mimir", port: 9000 } }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } })),
    );
    expect(problems).toEqual([expect.objectContaining({ field: "loadBalancer.target.port", value: 9000, rule: expect.stringContaining("http port 8080") })]);
  });

  test("empty and duplicate environment lists", () => {
    expect(problemsOf(() => defineEnvironments([]))[0]).toMatchObject({ field: "environments", rule: "is empty" });
    const dup = problemsOf(() => defineEnvironments([env({ name: "dev" }), env({ name: "dev" })]));
    expect(dup).toEqual([expect.objectContaining({ field: "environments[1].name", value: "dev", rule: expect.stringContaining("another environment") })]);
  });

  test("problems of several environments are reported together", () => {
    const problems = problemsOf(() => defineEnvironments([env({ name: "a", ports: { http: 0 } }), env({ name: "b", loadBalancer: { allowedCidrs: ["x"], target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "c" } } })]));
    expect(problems.map((p) => `${p.env}:${p.field}`)).toEqual(["a:ports.http", "b:loadBalancer.allowedCidrs[0]"]);
  });
});

describe("library API", () => {
  const { Testing } = require("cdktf") as typeof import("cdktf");
  const { MimirStack } = require("../modules/stack/mimir-stack") as typeof import("../modules/stack/mimir-stack");
  const { synthWithPolicy, testStack, policyFindings } = require("../modules/testing") as typeof import("../modules/testing");
  const { SecurityGroupRule } = require("@cdktf/provider-aws/lib/security-group-rule") as typeof import("@cdktf/provider-aws/lib/security-group-rule");

  test("new MimirStack(scope, id, props): the id names the stack; the 2-argument form uses the environment's name", () => {
    const app = Testing.app();
    expect(new MimirStack(app, "mimir-prod", { environment: env({ name: "prod" }) }).node.id).toBe("mimir-prod");
    expect(new MimirStack(app, { environment: env({ name: "dev" }) }).node.id).toBe("dev");
  });

  test("two stacks with one id: a ConfigError naming the environment, not a construct stack trace", () => {
    const app = Testing.app();
    new MimirStack(app, { environment: env({ name: "dev" }) });
    const problems = problemsOf(() => new MimirStack(app, { environment: env({ name: "dev" }) }));
    expect(problems).toEqual([expect.objectContaining({ env: "dev", field: "name", value: "dev", rule: expect.stringContaining("another stack") })]);
  });

  test("backend local: a local state file instead of S3", () => {
    const json = JSON.parse(synthWithPolicy(testStack(env({ name: "dev" }))));
    expect(json.terraform.backend).toEqual({ local: { path: "terraform.dev.tfstate" } });
  });

  test("synthWithPolicy runs the contract policy that Testing.synth skips", () => {
    const stack = testStack(env({ name: "dev" }));
    // On Mimir's members group: a literal group the stack does not define would be MP015 (membership unknown).
    new SecurityGroupRule(stack, "debug", { type: "ingress", securityGroupId: stack.edge.securityGroups.members.id, protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["0.0.0.0/0"], description: "debug" });
    expect(() => Testing.synth(stack)).not.toThrow();
    expect(() => synthWithPolicy(stack)).toThrow(/MP001 critical .*debug/);
    expect(policyFindings(stack).map((f) => f.ruleId)).toContain("MP001");
  });
});

test("mimir-ports --version prints the package version", () => {
  const { runTsx, ROOT } = require("./helpers") as typeof import("./helpers");
  const pkg = JSON.parse(require("node:fs").readFileSync(require("node:path").join(ROOT, "package.json"), "utf8"));
  const r = runTsx(["bin/mimir-ports.ts", "--version"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(`mimir-ports ${pkg.version}\n`);
});

describe("format checks for settings other branches add", () => {
  const { secretsManagerName, s3BucketName, hostName } = require("../modules/config/checks/formats") as typeof import("../modules/config/checks/formats");
  test.each([
    ["", /1 to 512/],
    ["x".repeat(513), /1 to 512/],
    ["mimir prod", /characters a Secrets Manager name does not allow/],
    ["mimir/prod-abc123", /hyphen and six characters/],
  ])("secret name %j is refused", (name, rule) => {
    expect(secretsManagerName(name)?.rule).toMatch(rule);
  });
  test.each(["mimir/prod/basic-auth", "mimir.prod@team+x=y_z", "a"])("secret name %j passes", (name) => {
    expect(secretsManagerName(name)).toBeUndefined();
  });
  test("dotted bucket names and wildcard hosts pass where AWS and Kubernetes allow them", () => {
    expect(s3BucketName("logs.example.com")).toBeUndefined();
    expect(hostName("*.example.com")).toBeUndefined();
  });
});
