import fc from "fast-check";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { CORE_COMPONENTS, COMPONENTS } from "../modules/config/components";
import type { EnvironmentInput } from "../modules/config/environment";
import { buildModel, covers } from "../modules/exposure/model";
import { fromSynthesized } from "../modules/exposure/terraform-json";
import { evaluate } from "../modules/policy/evaluate";
import { MimirStack } from "../modules/stack/mimir-stack";

/**
 * For random valid contracts and environment settings: synth succeeds, no
 * internal port is reachable from a CIDR or a public listener, every derived
 * port equals the contract's, and two synths are byte-identical.
 */
// Public listener ports and the chart's fixed neighbour ports are not available to the three internal ports.
const TAKEN = new Set([80, 443, 9092, 9093, 11211]);
const port = fc.integer({ min: 1, max: 65535 }).filter((p) => !TAKEN.has(p));
const ports = fc.uniqueArray(port, { minLength: 3, maxLength: 3 }).map(([http, grpc, memberlist]) => ({ http, grpc, memberlist }));
const octet = fc.integer({ min: 0, max: 255 });
// A network address (no host bits set), as AWS and the environment checks require.
const cidr = fc.tuple(octet, octet, fc.integer({ min: 8, max: 32 })).map(([a, b, len]) => {
  const n = ((((10 << 24) | (a << 16) | (b << 8)) >>> 0) & ((~0 << (32 - len)) >>> 0)) >>> 0;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${len}`;
});

const settings = fc.record({
  ports,
  mode: fc.constantFrom("microservices", "monolithic"),
  external: fc.boolean(),
  lbType: fc.constantFrom("application", "network"),
  scheme: fc.constantFrom("internal", "internet-facing"),
  targetMimir: fc.boolean(),
  cidrs: fc.uniqueArray(cidr, { minLength: 1, maxLength: 3 }),
  optional: fc.subarray(COMPONENTS.filter((c) => !CORE_COMPONENTS.includes(c))),
  release: fc.constantFrom("mimir", "team-a", "metrics-mimir"),
  restrictEgress: fc.boolean(),
  monitoringSg: fc.boolean(),
  // Turn on one of the chart's memcached caches (the chart's own Kafka is always off: refused in helm.values).
  cache: fc.boolean(),
});

type Settings = typeof settings extends fc.Arbitrary<infer T> ? T : never;

/** A cache runs only when the chart is installed in microservices mode (no chart, no neighbours). */
const chartCaches = (s: Settings) => s.cache && s.mode === "microservices" && !s.external;

function toEnvironment(s: Settings): EnvironmentInput {
  const monolithic = s.mode === "monolithic";
  const external = monolithic || s.external;
  // The chart's gateway is the mimir target in microservices mode, so it needs helm ownership.
  // ... and an application load balancer: a network one cannot filter paths, so only an in-cluster entry may sit behind it.
  const targetMimir = s.targetMimir && (monolithic || !external) && s.lbType === "application";
  return {
    name: "prop",
    region: "eu-west-1",
    state: { bucket: "prop-state" },
    release: s.release,
    deploymentMode: s.mode,
    serviceOwnership: external ? "external" : "helm",
    ...(monolithic ? {} : { components: [...CORE_COMPONENTS, ...s.optional] }),
    ports: s.ports,
    loadBalancer: {
      type: s.lbType,
      scheme: s.scheme,
      allowedCidrs: s.cidrs,
      ...(s.lbType === "network" ? { redirectHttp: false } : {}),
      target: targetMimir ? { kind: "mimir" } : { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "ingress-nginx-controller" },
    },
    ingress: { className: "nginx", hosts: ["mimir.example.com"], tlsSecretName: "mimir-tls" },
    networkPolicy: { loadBalancerCidrs: ["10.99.0.0/20"], restrictEgress: s.restrictEgress },
    monitoring: { namespace: "monitoring", ...(s.monitoringSg ? { securityGroupIds: ["sg-0123456789abcdef0"] } : {}) },
    auth: { mode: "none", reason: "property test of the port contract, not of authentication" },
    ...(chartCaches(s) ? { helm: { values: { "results-cache": { enabled: true } } } } : {}),
  } as EnvironmentInput;
}

function synth(input: EnvironmentInput): { text: string; stack: MimirStack } {
  const app = Testing.app();
  const stack = new MimirStack(app, { environment: input });
  return { text: JSON.stringify(stack.toTerraform()), stack };
}

// cdktf captures a full stack trace for every token; under jest each is
// source-mapped. Plain V8 frames keep 400 synths fast; restored afterwards.
const jestPrepare = Error.prepareStackTrace;
beforeAll(() => {
  Error.prepareStackTrace = (err, frames) => `${err}\n${frames.map((f) => `    at ${f}`).join("\n")}`;
});
afterAll(() => {
  Error.prepareStackTrace = jestPrepare;
});

test("random valid environments keep the contract everywhere", () => {
  fc.assert(
    fc.property(settings, (s) => {
      const input = toEnvironment(s);
      const first = synth(input);
      const second = synth(input);
      // (c) deterministic
      expect(second.text).toBe(first.text);

      const json = JSON.parse(first.text);
      const model = buildModel(fromSynthesized("prop", "prop.json", json));
      const { http, grpc, memberlist } = s.ports;
      const internal = [http, grpc, memberlist];
      expect(model.contract.ports).toEqual(s.ports);

      // (a) no internal port reachable from any CIDR or any public listener; no errors at all
      for (const r of model.sgRules.filter((x) => x.direction === "ingress" && (x.peer.kind === "cidr" || x.peer.kind === "prefix-list"))) {
        for (const p of internal) expect(covers(r, p)).toBe(false);
      }
      for (const l of model.listeners) expect(internal).not.toContain(l.port);
      expect(evaluate(model).filter((f) => !f.acknowledged && (f.severity === "error" || f.severity === "critical"))).toEqual([]);

      // (b) every derived port equals the contract's; the chart's neighbours only when it runs them (memcached 11211 with a cache; never its Kafka)
      const memberRules = model.sgRules.filter((r) => r.peer.kind === "self");
      expect(new Set(memberRules.map((r) => r.fromPort))).toEqual(new Set([...internal, ...(chartCaches(s) ? [11211] : [])]));
      const tg = model.targetGroups[0];
      if (input.loadBalancer.target?.kind === "mimir") expect(tg.port).toBe(http);
      for (const svc of model.services) {
        for (const p of svc.ports) {
          const expected = { "http-metrics": http, grpc, "gossip-ring": memberlist }[p.name as string];
          expect(p.port).toBe(expected);
        }
      }
      const np = Object.fromEntries(model.networkPolicies.map((p) => [p.name.split("-allow-")[1] ?? p.name, p]));
      expect(np.http.ingress[0].ports.map((p) => Number(p.port))).toEqual([http]);
      expect(np["grpc-memberlist"].ingress[0].ports.map((p) => Number(p.port)).slice(0, 2)).toEqual([grpc, memberlist]);
      for (const route of model.ingresses[0].routes) expect(route.port).toBe(http);
      for (const h of model.helmReleases) {
        const sc = (parse(h.resource.values.values[0]) as any).mimir.structuredConfig;
        expect([sc.server.http_listen_port, sc.server.grpc_listen_port, sc.memberlist.bind_port]).toEqual(internal);
      }
    }),
    { seed: 20261124, numRuns: 200 },
  );
});
