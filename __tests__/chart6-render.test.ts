import { defineEnvironment } from "../modules/config/environment";
import { COMPONENTS, HEADLESS_COMPONENTS, PUBLISH_NOT_READY_HEADLESS, RING_MEMBERS, type Component } from "../modules/config/components";
import { PortContract, EXPORTER_PORTS, NEIGHBOUR_PORTS } from "../modules/contract/port-contract";
import { componentSelector, gossipRingServiceName, headlessServiceName, releaseSelector, ringMemberSelector, routableServiceName, serviceName, ZONE_SPLIT_COMPONENTS } from "../modules/kubernetes/naming";
import { CACHE_COMPONENTS, containerPortName, PREPARE_DOWNSCALE_COMPONENTS } from "../modules/helm/chart-pods";
import { publicBackendRoutes } from "../modules/kubernetes/routes";
import { blockAt, chart6Render, type HclResource } from "./helpers/hcl-render";
import { env } from "./helpers";

/**
 * The chart cannot be pulled here, so the render tests skip; this is a partial
 * oracle instead: a published render of mimir-distributed 6.0.3 (release
 * `release-name`, see fixtures/chart6-render/README.md), against the names,
 * labels, selectors and port names our code assumes the chart produces.
 */
const RELEASE = "release-name";
const render = chart6Render();
const contract = PortContract.create({});
const environment = defineEnvironment(env({ release: RELEASE }));
const fullname = environment.fullname;

const metadata = (r: HclResource) => blockAt(r, "metadata")!.attrs as { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
const services = new Map(render.filter((r) => r.type === "kubernetes_service").map((r) => [metadata(r).name, r]));
const workloads = render.filter((r) => r.type !== "kubernetes_service");
const spec = (r: HclResource) => blockAt(r, "spec")!.attrs as { selector?: Record<string, string>; cluster_ip?: string; publish_not_ready_addresses?: boolean };
const servicePorts = (r: HclResource) => (blockAt(r, "spec")!.blocks.port ?? []).map((p) => p.attrs as { name: string; port: number; target_port: string; protocol?: string; app_protocol?: string });
const podLabels = (r: HclResource) => blockAt(r, "spec", "template", "metadata")!.attrs.labels as Record<string, string>;
const containers = (r: HclResource) => (blockAt(r, "spec", "template", "spec")!.blocks.container ?? []).map((c) => ({ name: c.attrs.name as string, ports: (c.blocks.port ?? []).map((p) => p.attrs as { name: string; container_port: number }) }));
const componentOf = (r: HclResource) => podLabels(r)["app.kubernetes.io/component"];
const mimirWorkloads = workloads.filter((w) => (COMPONENTS as readonly string[]).includes(componentOf(w)));

test("the render is chart 6 with the release our fixture names, and our fullname rule gives its prefix", () => {
  expect(render.length).toBeGreaterThan(40);
  expect(new Set(render.map((r) => metadata(r).labels?.["helm.sh/chart"]))).toEqual(new Set(["mimir-distributed-6.0.3"]));
  expect(fullname).toBe("release-name-mimir");
  for (const r of render) expect(metadata(r).name.startsWith(`${fullname}-`)).toBe(true);
});

describe("Services", () => {
  test.each(COMPONENTS.map((c) => [c]))("%s: the Service our routes and policies use exists, selects the component by our labels, and carries http-metrics", (component: Component) => {
    const name = routableServiceName(fullname, component);
    const svc = services.get(name);
    expect(svc).toBeDefined();
    expect(spec(svc!).selector).toEqual(componentSelector(RELEASE, component));
    expect(servicePorts(svc!)).toContainEqual(expect.objectContaining({ name: contract.http.k8sName, port: contract.http.port, target_port: contract.http.k8sName, protocol: "TCP" }));
  });

  test("zone-split components have no plain Service (so nothing may target <fullname>-<component>); the others do", () => {
    for (const component of COMPONENTS) {
      const zones = [...services.keys()].filter((n) => n.startsWith(`${serviceName(fullname, component)}-zone-`));
      expect({ component, zoned: zones.length > 0, plain: services.has(serviceName(fullname, component)) }).toEqual({ component, zoned: ZONE_SPLIT_COMPONENTS.includes(component), plain: !ZONE_SPLIT_COMPONENTS.includes(component) });
    }
  });

  test("every Service but the ruler's carries grpc under our name and port", () => {
    for (const component of COMPONENTS.filter((c) => c !== "ruler")) {
      expect(servicePorts(services.get(routableServiceName(fullname, component))!)).toContainEqual(expect.objectContaining({ name: contract.grpc.k8sName, port: contract.grpc.port, target_port: contract.grpc.k8sName }));
    }
  });

  test("every headless Service of the chart is one we know, headless, and publishes not-ready addresses as we do", () => {
    const headless = [...services.entries()].filter(([, s]) => spec(s).cluster_ip === "None" && (COMPONENTS as readonly string[]).includes(spec(s).selector?.["app.kubernetes.io/component"] ?? ""));
    expect(headless.length).toBeGreaterThanOrEqual(5);
    for (const [name, svc] of headless) {
      const component = spec(svc).selector!["app.kubernetes.io/component"] as Component;
      expect({ name, known: HEADLESS_COMPONENTS.includes(component) }).toEqual({ name: headlessServiceName(fullname, component), known: true });
      expect({ name, publishNotReady: spec(svc).publish_not_ready_addresses === true }).toEqual({ name, publishNotReady: PUBLISH_NOT_READY_HEADLESS.includes(component) });
    }
  });

  test("the gossip ring: our name, headless, one TCP port named gossip-ring on the memberlist port, selecting ring members", () => {
    const ring = services.get(gossipRingServiceName(fullname));
    expect(ring).toBeDefined();
    expect(spec(ring!)).toMatchObject({ cluster_ip: "None", publish_not_ready_addresses: true, selector: ringMemberSelector(RELEASE) });
    expect(servicePorts(ring!)).toEqual([expect.objectContaining({ name: contract.memberlist.k8sName, port: contract.memberlist.port, protocol: "TCP", app_protocol: "tcp" })]);
  });

  test("neighbour Services: memcached and Kafka on the contract's neighbour ports, the exporter on its port", () => {
    const port = (name: string) => NEIGHBOUR_PORTS.find((n) => n.name === name)!.port;
    for (const cache of CACHE_COMPONENTS.filter((c) => services.has(`${fullname}-${c}`))) {
      const ports = servicePorts(services.get(`${fullname}-${cache}`)!);
      expect(ports.map((p) => p.port).sort()).toEqual([port("memcached"), EXPORTER_PORTS[0].port].sort());
      expect(ports.find((p) => p.port === EXPORTER_PORTS[0].port)?.name).toBe(EXPORTER_PORTS[0].k8sName);
    }
    expect(servicePorts(services.get(`${fullname}-kafka-headless`)!).map((p) => p.port)).toEqual([port("kafka"), port("kafka-controller")]);
  });
});

describe("pods", () => {
  test("every Mimir workload's pods carry our release and component labels; ring members (and only they) are part-of memberlist", () => {
    expect(new Set(mimirWorkloads.map(componentOf))).toEqual(new Set(COMPONENTS));
    for (const w of mimirWorkloads) {
      const labels = podLabels(w);
      const component = componentOf(w) as Component;
      expect(labels).toMatchObject(componentSelector(RELEASE, component));
      expect(labels).toMatchObject(releaseSelector(RELEASE));
      expect({ component, member: labels["app.kubernetes.io/part-of"] === "memberlist" }).toEqual({ component, member: RING_MEMBERS.includes(component) });
    }
  });

  test("containers name the contract ports as we do: http-metrics, grpc, and memberlist (not gossip-ring) on ring members", () => {
    for (const w of mimirWorkloads) {
      const component = componentOf(w) as Component;
      const [main] = containers(w).filter((c) => c.name === component);
      const byName = Object.fromEntries(main.ports.map((p) => [p.name, p.container_port]));
      expect(byName[containerPortName(contract.http)]).toBe(contract.http.port);
      expect(byName[containerPortName(contract.grpc)]).toBe(contract.grpc.port);
      if (RING_MEMBERS.includes(component)) expect({ component, memberlist: byName[containerPortName(contract.memberlist)] }).toEqual({ component, memberlist: contract.memberlist.port });
    }
  });

  test("only the components we open to the rollout-operator carry grafana.com/prepare-downscale, and it calls the http port", () => {
    const labelled = workloads.filter((w) => metadata(w).labels?.["grafana.com/prepare-downscale"] === "true");
    expect(labelled.length).toBeGreaterThan(0);
    for (const w of labelled) {
      expect(PREPARE_DOWNSCALE_COMPONENTS as readonly string[]).toContain(componentOf(w));
      expect(metadata(w).annotations?.["grafana.com/prepare-downscale-http-port"]).toBe(String(contract.http.port));
    }
  });

  test("cache pods carry the component labels we treat as neighbours", () => {
    const caches = workloads.filter((w) => componentOf(w).endsWith("-cache"));
    expect(caches.length).toBeGreaterThan(0);
    for (const w of caches) expect(CACHE_COMPONENTS as readonly string[]).toContain(componentOf(w));
  });
});

test("our public routes only target Services the chart renders", () => {
  const routed = publicBackendRoutes(defineEnvironment(env({ release: RELEASE, entry: { kind: "ingress" }, ingress: { className: "nginx", hosts: ["mimir.example.com"], tlsSecretName: "mimir-tls" } })));
  expect(routed.length).toBeGreaterThan(0);
  for (const r of routed) expect({ path: r.path, service: r.service, rendered: services.has(r.service) }).toEqual({ path: r.path, service: r.service, rendered: true });
});
