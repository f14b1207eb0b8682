import { parse as parseYaml } from "yaml";
import { ConfigError } from "../modules/contract/problems";
import { defineEnvironment } from "../modules/config/environment";
import { COMPONENTS } from "../modules/config/components";
import { env, resources, synthJson, type TfJson } from "./helpers";
import { policyFindings, synthWithPolicy, testStack } from "../modules/testing";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";

type Svc = { metadata: { name: string; namespace: string }; spec: { type: string; cluster_ip?: string; publish_not_ready_addresses?: boolean; selector: Record<string, string>; port: Array<{ name: string; port: number; protocol: string; app_protocol?: string }>; external_ips?: unknown } };
const services = (j: TfJson) => Object.values(resources(j, "kubernetes_service_v1")) as unknown as Svc[];
const byName = (j: TfJson) => new Map(services(j).map((s) => [s.metadata.name, s]));
type Np = { metadata: { name: string }; spec: { pod_selector: unknown; policy_types: string[]; ingress?: Array<{ from: Array<Record<string, any>>; ports: Array<{ port: string; protocol: string }> }> } };
const policies = (j: TfJson) => new Map((Object.values(resources(j, "kubernetes_network_policy_v1")) as unknown as Np[]).map((p) => [p.metadata.name, p]));
const ingressOf = (j: TfJson) => Object.values(resources(j, "kubernetes_ingress_v1"))[0] as any;

const external = { serviceOwnership: "external", helm: { install: false } };
const monolithic = {
  deploymentMode: "monolithic",
  loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: { kind: "mimir" } },
  networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] },
};

describe("service ownership", () => {
  test("helm: no Services of ours (the chart creates them)", () => {
    expect(services(synthJson(env()))).toEqual([]);
  });

  test("external microservices: one ClusterIP Service per component with the chart's names, ports and selectors", () => {
    const j = synthJson(env({ ...external, loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "c" } } }));
    const svc = byName(j);
    for (const c of COMPONENTS) {
      const s = svc.get(`mimir-${c}`)!;
      expect(s).toBeDefined();
      expect(s.spec.type).toBe("ClusterIP");
      expect(s.spec.cluster_ip).toBeUndefined();
      expect(s.spec.selector).toEqual({ "app.kubernetes.io/name": "mimir", "app.kubernetes.io/instance": "mimir", "app.kubernetes.io/component": c });
      expect(s.spec.port.map((p) => [p.name, p.port, p.protocol])).toEqual([["http-metrics", 8080, "TCP"], ["grpc", 9095, "TCP"]]);
    }
    const headless = [...svc.keys()].filter((n) => n.endsWith("-headless")).sort();
    expect(headless).toEqual(["alertmanager", "distributor", "ingester", "query-frontend", "query-scheduler", "ruler", "store-gateway"].map((c) => `mimir-${c}-headless`));
    for (const n of headless) expect(svc.get(n)!.spec.cluster_ip).toBe("None");
    expect(svc.get("mimir-query-scheduler-headless")!.spec.publish_not_ready_addresses).toBe(true);
    expect(svc.get("mimir-query-frontend-headless")!.spec.publish_not_ready_addresses).toBe(true);
    expect(svc.get("mimir-ingester-headless")!.spec.publish_not_ready_addresses).toBeUndefined();
  });

  test("external monolithic: one mimir Service and its headless twin, plus the gossip ring", () => {
    const j = synthJson(env({ ...monolithic }));
    expect([...byName(j).keys()].sort()).toEqual(["mimir", "mimir-gossip-ring", "mimir-headless"]);
  });

  test("the gossip ring: headless, one TCP port gossip-ring, appProtocol tcp, not-ready published, ring members only", () => {
    const ring = byName(synthJson(env({ ...monolithic }))).get("mimir-gossip-ring")!;
    expect(ring.spec).toMatchObject({ cluster_ip: "None", publish_not_ready_addresses: true, type: "ClusterIP" });
    // The Service port is gossip-ring; it targets the chart's container port name, memberlist.
    expect(ring.spec.port).toEqual([{ name: "gossip-ring", port: 7946, target_port: "memberlist", protocol: "TCP", app_protocol: "tcp" }]);
    expect(ring.spec.selector).toEqual({ "app.kubernetes.io/name": "mimir", "app.kubernetes.io/instance": "mimir", "app.kubernetes.io/part-of": "memberlist" });
  });

  test("no Service is LoadBalancer or NodePort or has external IPs", () => {
    for (const s of services(synthJson(env({ ...monolithic })))) {
      expect(s.spec.type).toBe("ClusterIP");
      expect(s.spec.external_ips).toBeUndefined();
    }
  });

  test("names follow the release: two installations can share a cluster", () => {
    const names = [...byName(synthJson(env({ ...monolithic, release: "team-a" }))).keys()].sort();
    expect(names).toEqual(["team-a-mimir", "team-a-mimir-gossip-ring", "team-a-mimir-headless"]);
  });
});

describe("ingress", () => {
  test("TLS, class and hosts; only the public API table, each path to its component on the http port", () => {
    const ing = ingressOf(synthJson(env()));
    expect(ing.spec.ingress_class_name).toBe("nginx");
    expect(ing.spec.tls).toEqual([{ hosts: ["mimir.example.com"], secret_name: "mimir-tls" }]);
    const paths = ing.spec.rule[0].http.path as Array<{ path: string; path_type: string; backend: { service: { name: string; port: { number: number } } } }>;
    const route = (p: string) => paths.find((x) => x.path === p);
    expect(route("/api/v1/push")).toMatchObject({ path_type: "Exact", backend: { service: { name: "mimir-distributor", port: { number: 8080 } } } });
    expect(route("/prometheus/api/v1/query")).toMatchObject({ path_type: "Exact", backend: { service: { name: "mimir-query-frontend" } } });
    expect(route("/prometheus/api/v1/rules")).toMatchObject({ path_type: "Exact", backend: { service: { name: "mimir-ruler" } } });
    expect(route("/alertmanager")).toMatchObject({ path_type: "Prefix", backend: { service: { name: "mimir-alertmanager-headless" } } });
    // No catch-all and none of the chart gateway's operator paths; block upload is off by default.
    for (const gone of ["/", "/prometheus", "/distributor", "/ruler/ring", "/multitenant_alertmanager/status", "/api/v1/upload/block/", "/api/v1/upload/block"]) expect(route(gone)).toBeUndefined();
    expect(new Set(paths.map((p) => p.backend.service.port.number))).toEqual(new Set([8080]));
  });

  test("monolithic: every path to the one Mimir Service; useGateway: the public paths to the chart's gateway", () => {
    const mono = ingressOf(synthJson(env({ ...monolithic, loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "c" } }, ingress: { className: "nginx", hosts: ["m.example.com"], tlsSecretName: "t" } })));
    expect(new Set(mono.spec.rule[0].http.path.map((p: any) => p.backend.service.name))).toEqual(new Set(["mimir"]));
    const gw = ingressOf(synthJson(env({ ingress: { className: "nginx", hosts: ["m.example.com"], tlsSecretName: "t", useGateway: true } })));
    const paths = gw.spec.rule[0].http.path as Array<{ path: string; backend: { service: { name: string } } }>;
    expect(new Set(paths.map((p) => p.backend.service.name))).toEqual(new Set(["mimir-gateway"]));
    expect(paths.map((p) => p.path)).toContain("/api/v1/push");
    expect(paths.map((p) => p.path)).not.toContain("/");
  });

  test("disabled components get no routes", () => {
    const ing = ingressOf(synthJson(env({ components: ["distributor", "ingester", "querier", "query-frontend", "store-gateway", "compactor"] })));
    const names = new Set(ing.spec.rule[0].http.path.map((p: any) => p.backend.service.name));
    expect(names.has("mimir-ruler")).toBe(false);
    expect(names.has("mimir-alertmanager-headless")).toBe(false);
  });
});

describe("network policies", () => {
  test("default deny; http from controller, Mimir and monitoring; grpc and memberlist from Mimir only", () => {
    const p = policies(synthJson(env()));
    const mimirPods = { match_labels: { "app.kubernetes.io/name": "mimir", "app.kubernetes.io/instance": "mimir" } };
    expect(p.get("mimir-default-deny")!.spec).toEqual({ pod_selector: {}, policy_types: ["Ingress"] }); // every pod of the namespace, not only Mimir's
    const http = p.get("mimir-allow-http")!.spec.ingress![0];
    expect(http.ports).toEqual([{ port: "8080", protocol: "TCP" }]);
    expect(http.from).toEqual([
      { pod_selector: mimirPods },
      { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "ingress-nginx" } }, pod_selector: { match_labels: { "app.kubernetes.io/name": "ingress-nginx" } } },
      { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "monitoring" } }, pod_selector: { match_labels: { "app.kubernetes.io/name": "prometheus" } } },
    ]);
    const members = p.get("mimir-allow-grpc-memberlist")!.spec.ingress![0];
    // grpc and memberlist; no Kafka (classic architecture) and no memcached (the chart's caches are off by default).
    expect(members).toEqual({ from: [{ pod_selector: mimirPods }], ports: ["9095", "7946"].map((port) => ({ port, protocol: "TCP" })) });
    expect(JSON.stringify([...p.values()])).not.toContain("0.0.0.0/0");
  });

  test("a load balancer that targets pods directly is admitted on http from its subnets only", () => {
    const http = policies(synthJson(env({ ...monolithic }))).get("mimir-allow-http")!.spec.ingress![0];
    expect(http.from).toContainEqual({ ip_block: { cidr: "10.0.0.0/20" } });
  });

  test("egress is open by default and restricted on request", () => {
    expect(policies(synthJson(env())).has("mimir-restrict-egress")).toBe(false);
    const egress = policies(synthJson(env({ networkPolicy: { restrictEgress: true } }))).get("mimir-restrict-egress") as any;
    expect(egress.spec.policy_types).toEqual(["Egress"]);
    expect(egress.spec.egress[0].ports.map((p: any) => p.port)).toEqual(["8080", "9095", "7946"]);
  });
});

describe("network policies for what the chart runs beside Mimir", () => {
  const mimirPods = { "app.kubernetes.io/name": "mimir", "app.kubernetes.io/instance": "mimir" };
  test("the rollout-operator reaches the http port of the ingester and store-gateway pods it prepares for downscale", () => {
    const p = policies(synthJson(env({ ports: { http: 8081 } }))).get("mimir-allow-rollout-operator") as any;
    expect(p.spec.pod_selector).toEqual({ match_labels: mimirPods, match_expressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["ingester", "store-gateway"] }] });
    expect(p.spec.ingress).toEqual([{ from: [{ pod_selector: { match_labels: { "app.kubernetes.io/name": "rollout-operator", "app.kubernetes.io/instance": "mimir" } } }], ports: [{ port: "8081", protocol: "TCP" }] }]);
  });

  test("no rollout-operator policy when the chart's rollout-operator is off or the chart is not ours", () => {
    expect(policies(synthJson(env({ helm: { values: { rollout_operator: { enabled: false } } } }))).has("mimir-allow-rollout-operator")).toBe(false);
    expect(policies(synthJson(env({ ...monolithic }))).has("mimir-allow-rollout-operator")).toBe(false);
  });

  test("caches on: members reach memcached, monitoring reaches the exporters' metrics port on the cache pods only", () => {
    const p = policies(synthJson(env({ helm: { values: { "chunks-cache": { enabled: true }, "results-cache": { enabled: true } } } })));
    expect(p.get("mimir-allow-grpc-memberlist")!.spec.ingress![0].ports.map((x) => x.port)).toEqual(["9095", "7946", "11211"]);
    const exporter = p.get("mimir-allow-exporter-metrics") as any;
    expect(exporter.spec.pod_selector.match_expressions).toEqual([{ key: "app.kubernetes.io/component", operator: "In", values: ["chunks-cache", "results-cache"] }]);
    expect(exporter.spec.ingress).toEqual([{ from: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "monitoring" } }, pod_selector: { match_labels: { "app.kubernetes.io/name": "prometheus" } } }], ports: [{ port: "9150", protocol: "TCP" }] }]);
  });

  test("caches off (the chart's default): no memcached port, no exporter policy", () => {
    const p = policies(synthJson(env()));
    expect(p.has("mimir-allow-exporter-metrics")).toBe(false);
    expect(JSON.stringify([...p.values()])).not.toMatch(/"(11211|9150|9092|9093)"/);
  });
});

describe("overridden ports flow everywhere with no other edit", () => {
  const ports = { http: 8081, grpc: 9096, memberlist: 7947 };
  const j = synthJson(env({ ...external, ports, loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "c" } } }));
  test("Services, gossip ring, Ingress and NetworkPolicies", () => {
    const svc = byName(j);
    expect(svc.get("mimir-ingester")!.spec.port.map((p) => p.port)).toEqual([8081, 9096]);
    expect(svc.get("mimir-gossip-ring")!.spec.port[0].port).toBe(7947);
    expect(new Set(ingressOf(j).spec.rule[0].http.path.map((p: any) => p.backend.service.port.number))).toEqual(new Set([8081]));
    const p = policies(j);
    expect(p.get("mimir-allow-http")!.spec.ingress![0].ports).toEqual([{ port: "8081", protocol: "TCP" }]);
    expect(p.get("mimir-allow-grpc-memberlist")!.spec.ingress![0].ports.map((x) => x.port)).toEqual(["9096", "7947"]);
    const k8s = JSON.stringify(Object.fromEntries(Object.entries(j.resource!).filter(([t]) => t.startsWith("kubernetes_"))));
    for (const old of ["8080", "9095", "7946"]) expect(k8s).not.toContain(old);
  });
});

describe("namespace", () => {
  test("created by default, used as-is when createNamespace is false", () => {
    const created = synthJson(env());
    expect(Object.values(resources(created, "kubernetes_namespace_v1"))[0]).toMatchObject({ metadata: { name: "mimir" } });
    const policy = Object.values(resources(created, "kubernetes_network_policy_v1"))[0] as any;
    expect(policy.metadata.namespace).toMatch(/^\$\{kubernetes_namespace_v1\./);
    const existing = synthJson(env({ createNamespace: false, namespace: "observability" }));
    expect(resources(existing, "kubernetes_namespace_v1")).toEqual({});
    expect((Object.values(resources(existing, "kubernetes_network_policy_v1"))[0] as any).metadata.namespace).toBe("observability");
  });
});

describe("bad input", () => {
  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ["monitoring selector empty", { monitoring: { namespace: "monitoring", podLabels: {} } }, "monitoring.podLabels", /is empty.*Fix: name the scraper's pod labels/],
    ["controller selector empty", { ingress: { className: "nginx", hosts: ["a.example.com"], tlsSecretName: "t", controllerPodLabels: {} } }, "ingress.controllerPodLabels", /admit every pod/],
    ["ingress without TLS", { ingress: { className: "nginx", hosts: ["a.example.com"] } }, "ingress.tlsSecretName", /the Ingress must serve TLS/],
    ["unknown component", { components: ["ingester", "gatewayy"] }, "components[1]", /not a Mimir component.*Fix: use one of distributor/],
    ["useGateway in monolithic mode", { ...monolithic, ingress: { className: "nginx", hosts: ["a.example.com"], tlsSecretName: "t", useGateway: true } }, "ingress.useGateway", /monolithic/],
    ["monolithic owned by helm", { ...monolithic, serviceOwnership: "helm" }, "serviceOwnership", /only deploys microservices/],
  ])("%s", (_l, overrides, field, message) => {
    try {
      defineEnvironment(env(overrides as never));
      throw new Error("expected a ConfigError");
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const line = (err as Error).message.split("\n").find((l) => l.includes(` ${field} = `));
      expect(line).toMatch(message);
    }
  });
});

describe("dev runs Mimir: the monolithic workload", () => {
  const sts = (j: TfJson) => Object.values(resources(j, "kubernetes_stateful_set_v1")) as any[];
  const configOf = (j: TfJson) => parseYaml((Object.values(resources(j, "kubernetes_config_map_v1"))[0] as any).data["mimir.yaml"]);
  const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

  test.each<[string, Record<string, number>]>([
    ["default contract", {}],
    ["override contract", { http: 8081, grpc: 9096, memberlist: 7947 }],
  ])("%s: every Service we create selects its pods, on container ports it names", (_l, ports) => {
    const j = synthJson(env({ ...monolithic, ports }));
    const [set] = sts(j);
    expect(sts(j)).toHaveLength(1);
    const pod = set.spec.template;
    const container = pod.spec.container[0];
    expect(container.args).toEqual(["-target=all", "-config.file=/etc/mimir/mimir.yaml"]);
    const byPortName = new Map(container.port.map((p: any) => [p.name, p.container_port]));
    const c = defineEnvironment(env({ ...monolithic, ports })).contract;
    expect(Object.fromEntries(byPortName)).toEqual({ "http-metrics": c.http.port, grpc: c.grpc.port, memberlist: c.memberlist.port });
    expect(container.readiness_probe.http_get).toEqual({ path: "/ready", port: "http-metrics" });
    for (const svc of services(j)) {
      expect(matches(svc.spec.selector, pod.metadata.labels)).toBe(true);
      for (const p of svc.spec.port as any[]) {
        expect(byPortName.get(p.target_port)).toBe(p.port);
      }
    }
    expect(set.spec.selector.match_labels).toEqual({ "app.kubernetes.io/name": "mimir", "app.kubernetes.io/instance": "mimir", "app.kubernetes.io/component": "all" });
    expect(set.spec.service_name).toBe("mimir-headless");
    // The config the pod reads carries the contract's ports and joins the gossip ring Service.
    const config = configOf(j);
    expect(config.server).toEqual({ http_listen_port: c.http.port, grpc_listen_port: c.grpc.port });
    expect(config.memberlist).toMatchObject({ bind_port: c.memberlist.port, advertise_port: c.memberlist.port, join_members: [`dns+mimir-gossip-ring.mimir.svc:${c.memberlist.port}`] });
  });

  test("filesystem storage on a PVC, classic architecture, no credentials anywhere, read-only root", () => {
    const j = synthJson(env({ ...monolithic }));
    const [set] = sts(j);
    expect(set.spec.volume_claim_template[0].spec.resources.requests).toEqual({ storage: "10Gi" });
    const config = configOf(j);
    expect(config.blocks_storage.backend).toBe("filesystem");
    expect(config.ruler_storage.backend).toBe("filesystem");
    expect(config.alertmanager_storage.backend).toBe("filesystem");
    expect(config.ingest_storage).toEqual({ enabled: false });
    expect(config.ingester.ring.replication_factor).toBe(1);
    const k8s = JSON.stringify([resources(j, "kubernetes_stateful_set_v1"), resources(j, "kubernetes_config_map_v1")]);
    expect(k8s).not.toMatch(/access_key|secret_access_key|password|supersecret|minio/i);
    expect(set.spec.template.spec.container[0].security_context).toMatchObject({ read_only_root_filesystem: true, allow_privilege_escalation: false });
  });

  test("monolithic.create false leaves the workload to you; the setting is refused in microservices mode", () => {
    expect(sts(synthJson(env({ ...monolithic, monolithic: { create: false } })))).toEqual([]);
    expect(() => defineEnvironment(env({ monolithic: { storageSize: "5Gi" } }))).toThrow(/monolithic = .*configures the monolithic workload, but deploymentMode is microservices.*Fix: remove monolithic/);
    expect(() => defineEnvironment(env({ ...monolithic, monolithic: { storageSize: "lots" } }))).toThrow(/monolithic\.storageSize = "lots": is not a volume size/);
  });
});

describe("monitoring by whole namespace (MP019)", () => {
  const mp019 = (input: Record<string, unknown>) => {
    const stack = testStack(env(input));
    synthWithPolicy(stack);
    return policyFindings(stack).filter((f) => f.ruleId === "MP019" && /every pod in namespace/.test(f.message));
  };

  test("outside production, the environment's own monitoring namespace admitted whole is a warning naming why", () => {
    const found = mp019({ monitoring: { namespace: "monitoring" } });
    expect(found).toEqual([expect.objectContaining({ severity: "warning", message: expect.stringMatching(/^every pod in namespace monitoring reaches Mimir's http 8080, operator endpoints included: the environment admits its monitoring namespace whole \(monitoring\.podLabels is not set; refused when productionLike\)/) })]);
  });

  test("another whole namespace admitted by hand beside it stays an error", () => {
    const stack = testStack(env({ monitoring: { namespace: "monitoring" } }));
    new NetworkPolicyV1(stack, "shop-to-mimir", {
      metadata: { name: "shop-to-mimir", namespace: "mimir" },
      spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "mimir" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "shop" } } }], ports: [{ port: "8080", protocol: "TCP" }] }] },
    });
    expect(() => synthWithPolicy(stack)).toThrow(/MP019 error kubernetes_network_policy_v1\.shop-to-mimir .*every pod in namespace shop reaches Mimir's http 8080/);
  });

  test("with named scraper pods there is no such finding", () => {
    expect(mp019({})).toEqual([]);
  });
});
