import { ConfigError } from "../modules/contract/problems";
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
    expect(defineEnvironment(env({ productionLike: true })).deletionProtection).toBe(true);
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
    ["misspelt key", { loadBalancr: {} }, "loadBalancr", {}, /not a known setting/],
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
