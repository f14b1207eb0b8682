import { parse } from "yaml";
import { ConfigError } from "../modules/contract/problems";
import { defineEnvironment } from "../modules/config/environment";
import { MIMIR_CHART } from "../modules/helm/chart";
import { mimirValues, mimirValuesYaml } from "../modules/helm/values";
import { env, resources, runTsx, synthJson } from "./helpers";

const get = (o: unknown, path: string) => path.split(".").reduce<any>((v, k) => v?.[k], o);

describe("chart values from the contract", () => {
  test("default contract: ports in structuredConfig, chart exposure off, parsed back from YAML key by key", () => {
    const values = parse(mimirValuesYaml(defineEnvironment(env())));
    expect(get(values, "mimir.structuredConfig.server.http_listen_port")).toBe(8080);
    expect(get(values, "mimir.structuredConfig.server.grpc_listen_port")).toBe(9095);
    expect(get(values, "mimir.structuredConfig.memberlist.bind_port")).toBe(7946);
    expect(get(values, "mimir.structuredConfig.memberlist.advertise_port")).toBe(7946);
    expect(get(values, "gateway.ingress.enabled")).toBe(false);
    expect(get(values, "gateway.service.type")).toBe("ClusterIP");
    expect(get(values, "gateway.service")).toEqual({ type: "ClusterIP", port: 8080, legacyPort: null });
    // Chart 6 has no `nginx` or `gateway.enabledNonEnterprise` keys (chart 5 only): we set neither.
    expect(values.nginx).toBeUndefined();
    expect(get(values, "gateway.enabledNonEnterprise")).toBeUndefined();
  });

  test("classic architecture: no demo Kafka, ingest storage off, no demo MinIO", () => {
    const values = mimirValues(defineEnvironment(env()));
    expect(get(values, "kafka.enabled")).toBe(false);
    expect(get(values, "minio.enabled")).toBe(false);
    expect(get(values, "mimir.structuredConfig.ingest_storage")).toEqual({ enabled: false, kafka: { address: null, auto_create_topic_default_partitions: null, topic: null } });
    expect(get(values, "mimir.structuredConfig.ingester.push_grpc_method_enabled")).toBeNull();
  });

  test("overridden contract", () => {
    const values = parse(mimirValuesYaml(defineEnvironment(env({ ports: { http: 8081, grpc: 9096, memberlist: 7947 } }))));
    expect(get(values, "mimir.structuredConfig.server")).toEqual({ http_listen_port: 8081, grpc_listen_port: 9096 });
    expect(get(values, "mimir.structuredConfig.memberlist")).toMatchObject({ bind_port: 7947, advertise_port: 7947 });
    expect(get(values, "gateway.service.port")).toBe(8081);
  });

  test("the gateway runs only when something targets it; optional components follow the environment", () => {
    expect(get(mimirValues(defineEnvironment(env())), "gateway.enabled")).toBe(false);
    const gw = defineEnvironment(env({ loadBalancer: { allowedCidrs: ["10.0.0.0/8"], target: { kind: "mimir" } }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } }));
    expect(get(mimirValues(gw), "gateway.enabled")).toBe(true);
    const few = mimirValues(defineEnvironment(env({ components: ["distributor", "ingester", "querier", "query-frontend", "store-gateway", "compactor"] })));
    expect([get(few, "ruler.enabled"), get(few, "alertmanager.enabled"), get(few, "query_scheduler.enabled")]).toEqual([false, false, false]);
  });

  test("user values merge last and keep contract ports", () => {
    const values = mimirValues(defineEnvironment(env({ helm: { values: { ingester: { replicas: 3 }, mimir: { structuredConfig: { server: { log_level: "debug", http_listen_port: 8080 } } } } } })));
    expect(get(values, "ingester.replicas")).toBe(3);
    expect(get(values, "mimir.structuredConfig.server")).toEqual({ grpc_listen_port: 9095, http_listen_port: 8080, log_level: "debug" });
  });

  test("YAML round-trips and is byte-stable", () => {
    const e = defineEnvironment(env({ helm: { values: { z: 1, a: { y: [1, 2], b: "x" } } } }));
    const yaml = mimirValuesYaml(e);
    expect(parse(yaml)).toEqual(mimirValues(e));
    expect(mimirValuesYaml(e)).toBe(yaml);
  });

  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ["a different http port", { mimir: { structuredConfig: { server: { http_listen_port: 8081 } } } }, "helm.values.mimir.structuredConfig.server.http_listen_port", /moves Mimir's http port away from the contract's 8080.*Fix: remove it and set ports\.http/],
    ["a different gossip port", { mimir: { structuredConfig: { memberlist: { bind_port: 7000 } } } }, "helm.values.mimir.structuredConfig.memberlist.bind_port", /moves Mimir's memberlist port/],
    ["a LoadBalancer Service", { gateway: { service: { type: "LoadBalancer" } } }, "helm.values.gateway.service.type", /would expose Mimir outside the cluster/],
    ["a NodePort Service", { distributor: { service: { type: "NodePort" } } }, "helm.values.distributor.service.type", /would expose Mimir/],
    ["the chart's Ingress", { gateway: { ingress: { enabled: true } } }, "helm.values.gateway.ingress.enabled", /chart's own Ingress/],
    ["the demo Kafka", { kafka: { enabled: true } }, "helm.values.kafka.enabled", /demo Kafka.*Fix: remove it: Mimir runs the classic architecture/],
    ["the demo MinIO", { minio: { enabled: true } }, "helm.values.minio.enabled", /demo MinIO, which runs with default root credentials/],
    ["ingest storage", { mimir: { structuredConfig: { ingest_storage: { enabled: true } } } }, "helm.values.mimir.structuredConfig.ingest_storage.enabled", /needs a Kafka/],
  ])("refuses %s, naming the key path", (_l, values, field, rule) => {
    try {
      mimirValues(defineEnvironment(env({ helm: { values } })));
      throw new Error("expected ConfigError");
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(new RegExp(`^\\[test\\] ${field.replace(/\./g, "\\.")} = .*${rule.source}`));
    }
  });

  test("refuses values that are not an object", () => {
    expect(() => defineEnvironment(env({ helm: { values: ["a"] } }))).toThrow(/helm\.values = \["a"\]: must be an object/);
  });
});

describe("helm_release in the stack", () => {
  test("installs the pinned chart into our namespace with the derived values", () => {
    const json = synthJson(env({ ports: { grpc: 9096 } }));
    const release = Object.values(resources(json, "helm_release"))[0] as any;
    expect(release).toMatchObject({ name: "mimir", chart: "mimir-distributed", repository: MIMIR_CHART.repository, version: MIMIR_CHART.version, atomic: true });
    expect(release.namespace).toMatch(/^\$\{kubernetes_namespace_v1\./);
    expect(get(parse(release.values[0]), "mimir.structuredConfig.server.grpc_listen_port")).toBe(9096);
  });

  test("no helm_release in external ownership", () => {
    const json = synthJson(env({ serviceOwnership: "external" }));
    expect(resources(json, "helm_release")).toEqual({});
  });

  test("user values that move a port stop the stack before synth", () => {
    expect(() => synthJson(env({ helm: { values: { mimir: { structuredConfig: { server: { grpc_listen_port: 1 } } } } } }))).toThrow(ConfigError);
  });
});

describe("npm run values", () => {
  test("prints the environment's values as YAML", () => {
    const r = runTsx(["bin/mimir-ports.ts", "values", "--env", "prod"]);
    expect(r.code).toBe(0);
    const values = parse(r.stdout);
    expect(get(values, "mimir.structuredConfig.server.http_listen_port")).toBe(8080);
  });
  test("an unknown environment is a one-line error, exit 2", () => {
    const r = runTsx(["bin/mimir-ports.ts", "values", "--env", "qa"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim()).toBe('mimir-ports: values: no environment "qa"; one of: dev, staging, prod');
  });
});

describe("template escaping", () => {
  test("${ENV} in values reaches Helm as written: escaped for Terraform, read back by the policy", () => {
    const { buildModel } = require("../modules/exposure/model");
    const { fromSynthesized } = require("../modules/exposure/terraform-json");
    const input = env({ helm: { values: { mimir: { structuredConfig: { common: { storage: { s3: { secret_access_key: "${AWS_SECRET_ACCESS_KEY}", note: "%{x}" } } } } } } } });
    const json = synthJson(input);
    const text = (Object.values(resources(json, "helm_release"))[0] as any).values[0] as string;
    expect(text).toContain("secret_access_key: $${AWS_SECRET_ACCESS_KEY}");
    expect(text).toContain("%%{x}");
    expect(text).not.toMatch(/[^$]\$\{/);
    const model = buildModel(fromSynthesized("test", "t.json", json));
    expect(get(model.helmReleases[0].values, "mimir.structuredConfig.common.storage.s3.secret_access_key")).toBe("${AWS_SECRET_ACCESS_KEY}");
    expect(model.helmReleases[0].values.mimir.structuredConfig.server.grpc_listen_port).toBe(9095);
  });
});
