/**
 * A port migration walked through its rollouts: for each port (http, grpc,
 * memberlist) and each window between phases, every pod — old pods still on
 * the earlier phase's config, new pods on the later one's — must be reachable
 * on the port it listens on from every peer that must reach it, whichever of
 * the two phases' resources are in force (Terraform applies them one by one):
 * members security group rules, NetworkPolicies, Services and their
 * targetPorts, the load balancer's target group and health check (http), and
 * gossip join addresses (memberlist). Listen ports are read from the config
 * each pod runs (Helm values or the monolithic config), never assumed.
 */
import { parse } from "yaml";
import type { EnvironmentInput } from "../modules/config/environment";
import { PortContract, type InternalPortName } from "../modules/contract/port-contract";
import { env, resources, synthJson, type TfJson } from "./helpers";

type Json = Record<string, any>;

const mimirTarget = { loadBalancer: { allowedCidrs: ["10.0.0.0/16"], target: { kind: "mimir" as const } }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } };
/** Two shapes: the chart runs Mimir (its Services), or we run it (our Services, StatefulSet and config). */
const SHAPES: ReadonlyArray<{ name: string; input: Record<string, unknown> }> = [
  { name: "microservices (chart)", input: { ...mimirTarget, monitoring: { namespace: "monitoring", securityGroupIds: ["sg-0123456789abcdef0"] } } },
  { name: "monolithic (our Services)", input: { ...mimirTarget, deploymentMode: "monolithic" } },
];

/** What one synthesized phase gives the walk. */
interface Phase {
  readonly json: TfJson;
  /** The port Mimir's pods listen on with this phase's config, per contract port. */
  readonly listen: Record<InternalPortName, number>;
  /** memberlist.join_members of this phase's config. */
  readonly join: string[];
  /** Mimir config (the keys the walk reads). */
  readonly config: Json;
}

function mimirConfig(json: TfJson): Json {
  const release = Object.values(resources(json, "helm_release"))[0] as { values?: string[] } | undefined;
  if (release) return (parse(String(release.values![0]).replace(/\$\$\{/g, "${")) as Json).mimir.structuredConfig;
  const cm = Object.values(resources(json, "kubernetes_config_map_v1")).find((c) => (c as Json).data?.["mimir.yaml"]) as Json;
  return parse(cm.data["mimir.yaml"]) as Json;
}

/** The chart's own join list when structuredConfig does not set one (values.yaml: dns+<fullname>-gossip-ring...:<bind_port>). */
const chartJoin = (port: number) => [`dns+mimir-gossip-ring.mimir.svc.cluster.local:${port}`];

function phase(shape: Record<string, unknown>, ports?: EnvironmentInput["ports"]): Phase {
  const json = synthJson(env({ ...shape, ...(ports ? { ports } : {}) }));
  const config = mimirConfig(json);
  const listen = { http: config.server.http_listen_port, grpc: config.server.grpc_listen_port, memberlist: config.memberlist.bind_port };
  return { json, listen, join: config.memberlist.join_members ?? chartJoin(listen.memberlist), config };
}

const covers = (r: Json, port: number) => r.ip_protocol === "tcp" && r.from_port <= port && port <= r.to_port;
const groupRef = (json: TfJson, name: "members" | "lb") => `\${aws_security_group.${Object.keys(resources(json, "aws_security_group")).find((k) => k.includes(`_${name}_`))}.id}`;
const rulesOf = (json: TfJson, dir: "ingress" | "egress") => Object.values(resources(json, `aws_vpc_security_group_${dir}_rule`)) as Json[];
const policy = (json: TfJson, suffix: string) => Object.values(resources(json, "kubernetes_network_policy_v1")).find((p) => String((p as Json).metadata.name).endsWith(suffix)) as Json | undefined;
const policyAdmits = (p: Json | undefined, port: number) => (p?.spec.ingress ?? []).some((i: Json) => (i.ports ?? []).some((x: Json) => x.port === String(port) && x.protocol === "TCP"));

/** The chart's and our container port names (chart-pods.ts): http-metrics, grpc, memberlist. */
const CONTAINER_PORT: Record<InternalPortName, string> = { http: "http-metrics", grpc: "grpc", memberlist: "memberlist" };

/**
 * Why `pod` (listening on `listen`, contract port `port`) is not reachable
 * under `rules` (the resources in force), with `dialled` the numbers peers on
 * either phase's config dial the port's Services at. Empty: reachable.
 */
function unreachable(port: InternalPortName, listen: number, rules: Phase, podPhase: Phase, dialled: readonly number[]): string[] {
  const out: string[] = [];
  const json = rules.json;
  const members = groupRef(json, "members");
  const lb = groupRef(json, "lb");
  const ingress = rulesOf(json, "ingress").filter((r) => r.security_group_id === members);
  const egress = rulesOf(json, "egress").filter((r) => r.security_group_id === members);
  // Members reach members (the ring dials each instance at the address and port it registered; gossip at the advertised port).
  if (!ingress.some((r) => r.referenced_security_group_id === members && covers(r, listen))) out.push(`members SG: no ingress from members on ${listen}`);
  if (!egress.some((r) => r.referenced_security_group_id === members && covers(r, listen))) out.push(`members SG: no egress to members on ${listen}`);
  if (!policyAdmits(policy(json, port === "http" ? "-allow-http" : "-allow-grpc-memberlist"), listen)) out.push(`NetworkPolicy: ${listen} not admitted`);
  if (port === "http") {
    // The load balancer reaches its targets: SG rules both ways, health check on each target's own port.
    if (!ingress.some((r) => r.referenced_security_group_id === lb && covers(r, listen))) out.push(`members SG: no ingress from the load balancer on ${listen}`);
    if (!rulesOf(json, "egress").some((r) => r.security_group_id === lb && r.referenced_security_group_id === members && covers(r, listen))) out.push(`LB SG: no egress to members on ${listen}`);
    const tg = Object.values(resources(json, "aws_lb_target_group"))[0] as Json;
    if (tg.health_check.port !== "traffic-port") out.push(`target group health check on ${tg.health_check.port}, not each target's own port`);
    const binding = Object.values(resources(json, "kubernetes_manifest")).find((m) => (m as Json).manifest.kind === "TargetGroupBinding") as Json;
    if (typeof binding.manifest.spec.serviceRef.port !== "string") out.push("TargetGroupBinding names its Service port by number");
  }
  if (port === "grpc") {
    // Ring members register their own listen port: nothing may pin instance_port.
    if (JSON.stringify(podPhase.config).includes("instance_port")) out.push("a ring pins instance_port");
  }
  // Our Services (external ownership): targetPort by container port name (each endpoint resolves to its own pod's number), a Service port for every number a peer dials.
  const services = Object.values(resources(json, "kubernetes_service_v1")) as Json[];
  for (const s of services) {
    const carrying = (s.spec.port as Json[]).filter((p) => p.target_port === CONTAINER_PORT[port]);
    if (carrying.length === 0) continue;
    for (const d of dialled) if (!carrying.some((p) => p.port === d)) out.push(`Service ${s.metadata.name}: no port ${d} (peers on the other phase dial it)`);
  }
  // The pod's own container port under that name is the listen port (our StatefulSet; the chart derives it the same way).
  for (const sts of Object.values(resources(podPhase.json, "kubernetes_stateful_set_v1")) as Json[]) {
    const named = (sts.spec.template.spec.container as Json[]).flatMap((c) => c.port ?? []).find((p: Json) => p.name === CONTAINER_PORT[port]);
    if (named?.container_port !== listen) out.push(`StatefulSet ${sts.metadata.name}: container port ${CONTAINER_PORT[port]} is ${named?.container_port}, not ${listen}`);
  }
  if (port === "memberlist") {
    const ring = services.find((s) => String(s.metadata.name).endsWith("-gossip-ring"));
    if (ring && !(ring.spec.port as Json[]).every((p) => p.target_port === "memberlist")) out.push("gossip-ring Service targets a port number");
    if (podPhase.config.memberlist.advertise_port !== undefined && podPhase.config.memberlist.advertise_port !== listen) out.push(`advertises ${podPhase.config.memberlist.advertise_port}, listens on ${listen}`);
  }
  return out;
}

/** Members that can be joined through a join list: those listening on one of its ports. */
const joinPorts = (join: readonly string[]) => join.map((a) => Number(a.slice(a.lastIndexOf(":") + 1)));

/**
 * One window: pods of `before` not yet restarted and pods of `after`
 * restarted, with either phase's resources in force. Returns every problem.
 */
function walkWindow(port: InternalPortName, before: Phase, after: Phase): string[] {
  const pods = [
    { gen: "old", phase: before },
    { gen: "new", phase: after },
  ];
  const dialled = [...new Set(pods.map((p) => p.phase.listen[port]))];
  const problems: string[] = [];
  for (const rules of [before, after]) {
    for (const pod of pods) {
      const which = rules === before ? "earlier" : "later";
      for (const p of unreachable(port, pod.phase.listen[port], rules, pod.phase, dialled)) problems.push(`${pod.gen} pod on ${pod.phase.listen[port]}, ${which} resources: ${p}`);
    }
  }
  // Gossip: a restarted pod must find a member to join (old members listen on the old port), and old members stay joinable.
  if (port === "memberlist") {
    for (const pod of pods) {
      const reachable = joinPorts(pod.phase.join);
      for (const other of pods) if (!reachable.includes(other.phase.listen.memberlist)) problems.push(`${pod.gen} pod's join list ${pod.phase.join.join(", ")} misses ${other.gen} members on ${other.phase.listen.memberlist}`);
    }
  }
  return problems;
}

const NEXT = (port: InternalPortName) => PortContract.DEFAULT_PORTS[port] + 1;

describe.each(SHAPES)("$name", ({ input }) => {
  describe.each(["http", "grpc", "memberlist"] as const)("%s migration", (port) => {
    const from = PortContract.DEFAULT_PORTS[port];
    const to = NEXT(port);
    const base = phase(input);
    const open = phase(input, { [port]: { from, to, phase: "open" } });
    const move = phase(input, { [port]: { from, to, phase: "move" } });
    const close = phase(input, { [port]: to });
    const closeExplicit = phase(input, { [port]: { from, to, phase: "close" } });

    test("the phases listen where they should: open on the old port, move and close on the new", () => {
      expect([base, open, move, close, closeExplicit].map((p) => p.listen[port])).toEqual([from, from, to, to, to]);
    });

    test("phase 1 restarts nothing but the gossip join list: Mimir's config differs from the base's only there", () => {
      const { join_members: _open, ...openList } = open.config.memberlist;
      const { join_members: _base, ...baseList } = base.config.memberlist;
      expect({ ...open.config, memberlist: openList }).toEqual({ ...base.config, memberlist: baseList });
      expect(open.join.length).toBe(port === "memberlist" ? 2 : 1);
    });

    test.each([
      ["phase 1 applied (base → open)", () => [base, open]],
      ["phase 2 rolling restart (open → move)", () => [open, move]],
      ["phase 3 applied (move → close)", () => [move, close]],
      ["phase 3 applied, written as phase: close", () => [move, closeExplicit]],
    ] as Array<[string, () => [Phase, Phase]]>)("%s: every pod reachable on the port it listens on", (_name, window) => {
      const [before, after] = window();
      expect(walkWindow(port, before, after)).toEqual([]);
    });

    test("the walk fails a one-step change (base → the new port directly)", () => {
      const problems = walkWindow(port, base, close);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^old pod on ${from}, later resources: members SG: no ingress from members on ${from}$`))]));
    });

    test("phase 3 only destroys the old port's rules: the new port's rules keep their Terraform ids and values", () => {
      const ids = (p: Phase) => new Map([...Object.entries(resources(p.json, "aws_vpc_security_group_ingress_rule")), ...Object.entries(resources(p.json, "aws_vpc_security_group_egress_rule"))].map(([k, v]) => [k, JSON.stringify(v)]));
      const [m, c, o, b] = [ids(move), ids(close), ids(open), ids(base)];
      for (const [id, value] of c) expect(m.get(id)).toBe(value);
      // Phase 1 only adds: every base rule stays as it was.
      for (const [id, value] of b) expect(o.get(id)).toBe(value);
    });
  });
});
