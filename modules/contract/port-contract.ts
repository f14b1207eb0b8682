import { ConfigError, ProblemList } from "./problems";
import { INTERNAL_PORT_NAMES, type InternalPortName } from "./port-names";
import { buildTransition, isTransitionPhase, TRANSITION_PHASES, type PortSetting, type PortTransition, type TransitionPhase } from "./port-transition";

/**
 * Mimir's network port contract: the one place port numbers live.
 *
 * Facts (grafana/mimir and the mimir-distributed chart): http 8080, grpc 9095
 * and memberlist 7946 are all TCP. Mimir's memberlist uses dskit's TCP
 * transport for packets and streams, so gossip needs no UDP.
 */
export { INTERNAL_PORT_NAMES, type InternalPortName } from "./port-names";

export interface InternalPort {
  readonly name: InternalPortName;
  readonly port: number;
  readonly protocol: "TCP";
  /** Mimir YAML config key (dotted path). */
  readonly configKey: string;
  /** Mimir CLI flag. */
  readonly flag: string;
  /** Kubernetes port name used by the mimir-distributed chart. */
  readonly k8sName: string;
  /** Who may talk to it, in words (used in rule descriptions and reports). */
  readonly purpose: string;
}

export interface PublicPorts {
  /** TLS listener port on the load balancer: the only way in. */
  readonly https: number;
  /** Plain HTTP listener port whose only action is a redirect to `https`. */
  readonly httpRedirect: number;
  /**
   * TLS listener port of a second client class (e.g. operators with their own authentication, while agents use
   * `https`): an ALB verifies client certificates per listener, so each class with its own authentication needs one.
   */
  readonly secondClassHttps: number;
}

/** Ports of things Mimir depends on outside the cluster. */
export interface DependencyPorts {
  /** HTTPS to object storage (S3). */
  readonly objectStorage: number;
  /** Cluster DNS, for restricted egress. */
  readonly dns: number;
  /** HTTPS to a jwt client class's identity provider (the JWKS the Gateway's proxies fetch). */
  readonly identityProvider: number;
}

/**
 * Per-port settings: a plain number (`{ grpc: 9096 }`), or a transition that
 * moves a running environment's port without dropping traffic
 * (`{ grpc: { from: 9095, to: 9096, phase: "open" } }`, see port-transition.ts).
 */
export type PortOverrides = Partial<Record<InternalPortName, PortSetting>>;

/**
 * Ports of the chart's own neighbours that run as Mimir pods (same
 * `app.kubernetes.io/name: mimir` labels, so our NetworkPolicies select them)
 * and that only Mimir members may reach. Fixed by the chart, not overridable:
 * mimir-distributed 6's bundled Kafka for ingest storage listens on 9092
 * (clients, brokers) and 9093 (KRaft controllers); its memcached caches on 11211.
 */
export type NeighbourPortName = "kafka" | "kafka-controller" | "memcached";

export interface NeighbourPort {
  readonly name: NeighbourPortName;
  readonly port: number;
  readonly protocol: "TCP";
  readonly purpose: string;
}

export const NEIGHBOUR_PORTS: readonly NeighbourPort[] = Object.freeze([
  Object.freeze({ name: "kafka" as const, port: 9092, protocol: "TCP" as const, purpose: "the chart's Kafka (ingest storage): clients and brokers" }),
  Object.freeze({ name: "kafka-controller" as const, port: 9093, protocol: "TCP" as const, purpose: "the chart's Kafka KRaft controllers" }),
  Object.freeze({ name: "memcached" as const, port: 11211, protocol: "TCP" as const, purpose: "the chart's memcached caches" }),
]);

/**
 * Metrics ports of the chart's exporters that only monitoring may reach. The
 * chart fixes them (mimir-distributed 6 `_memcached-statefulset.tpl`: the
 * memcached exporter sidecar listens on 9150, port name `http-metrics`).
 */
export interface ExporterPort {
  readonly name: "memcached-exporter";
  readonly port: number;
  readonly protocol: "TCP";
  /** The container port name the chart gives it. */
  readonly k8sName: string;
  readonly purpose: string;
}

export const EXPORTER_PORTS: readonly ExporterPort[] = Object.freeze([
  Object.freeze({ name: "memcached-exporter" as const, port: 9150, protocol: "TCP" as const, k8sName: "http-metrics", purpose: "the chart's memcached exporter (metrics)" }),
]);

const DEFAULTS: Record<InternalPortName, Omit<InternalPort, "name">> = {
  http: {
    port: 8080,
    protocol: "TCP",
    configKey: "server.http_listen_port",
    flag: "-server.http-listen-port",
    k8sName: "http-metrics",
    purpose: "remote write, queries, /ready and /metrics",
  },
  grpc: {
    port: 9095,
    protocol: "TCP",
    configKey: "server.grpc_listen_port",
    flag: "-server.grpc-listen-port",
    k8sName: "grpc",
    purpose: "component-to-component gRPC",
  },
  memberlist: {
    port: 7946,
    protocol: "TCP",
    configKey: "memberlist.bind_port",
    flag: "-memberlist.bind-port",
    k8sName: "gossip-ring",
    purpose: "hash ring gossip between ring members",
  },
};

/** What Mimir and its chart call a port (config key, flag, Kubernetes port name), whatever its number. */
export function portFacts(name: InternalPortName): Omit<InternalPort, "name" | "port"> {
  const { port: _default, ...facts } = DEFAULTS[name];
  return facts;
}

const DEFAULT_PUBLIC: PublicPorts = { https: 443, httpRedirect: 80, secondClassHttps: 8443 };
const DEFAULT_DEPENDENCIES: DependencyPorts = { objectStorage: 443, dns: 53, identityProvider: 443 };

export interface PortContractOptions {
  /** Per-environment port overrides; unset ports keep Mimir's defaults. */
  readonly ports?: PortOverrides;
  /** Environment name, used in error messages only. */
  readonly env?: string;
  /** Field prefix for error messages (default `ports.`). */
  readonly fieldPrefix?: string;
}

export function isValidPortNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** Immutable, validated on construction. Build with `PortContract.create()`. */
export class PortContract {
  static readonly DEFAULT_PORTS: Readonly<Record<InternalPortName, number>> = Object.freeze({
    http: DEFAULTS.http.port,
    grpc: DEFAULTS.grpc.port,
    memberlist: DEFAULTS.memberlist.port,
  });

  /** Mimir's defaults, or overridden ports; throws `ConfigError` listing every problem. */
  static create(options: PortContractOptions = {}): PortContract {
    const problems = new ProblemList(options.env, options.fieldPrefix ?? "ports.");
    const overrides = options.ports ?? {};
    if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
      throw new ConfigError([{ env: options.env, field: "ports", value: overrides, rule: "must be an object like { http: 8080 }", fix: "pass an object or leave ports unset" }]);
    }
    for (const key of Object.keys(overrides)) {
      if (!(INTERNAL_PORT_NAMES as readonly string[]).includes(key)) {
        problems.add(key, (overrides as Record<string, unknown>)[key], `is not a Mimir port (known: ${INTERNAL_PORT_NAMES.join(", ")})`, `rename it to one of ${INTERNAL_PORT_NAMES.join(", ")} or remove it`);
      }
    }
    const chosen = {} as Record<InternalPortName, number>;
    const transitions: PortTransition[] = [];
    // Every number the network admits, with the field that asked for it (a transition admits two).
    const claims: Array<{ name: InternalPortName; field: string; port: number }> = [];
    for (const name of INTERNAL_PORT_NAMES) {
      const value = (overrides as Record<string, unknown>)[name];
      if (value === undefined) {
        chosen[name] = DEFAULTS[name].port;
        claims.push({ name, field: name, port: chosen[name] });
      } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        const t = parseTransition(name, value as Record<string, unknown>, problems);
        if (t) {
          transitions.push(t);
          chosen[name] = t.listen;
          claims.push({ name, field: `${name}.from`, port: t.from }, { name, field: `${name}.to`, port: t.to });
        }
      } else if (!isValidPortNumber(value)) {
        problems.add(name, value, "must be an integer from 1 to 65535", `set ${name} to a whole TCP port number, e.g. ${DEFAULTS[name].port}, or remove the override`);
      } else {
        chosen[name] = value;
        claims.push({ name, field: name, port: value });
      }
    }
    const seen = new Map<number, InternalPortName>();
    for (const { name, field, port } of claims) {
      const other = seen.get(port);
      if (other !== undefined && other !== name) {
        problems.add(field, port, `is already used by ${other}; the three Mimir ports must be distinct (during a transition, both of its ports count)`, `pick a port for ${name} that differs from ${other}`);
      } else {
        seen.set(port, name);
      }
      for (const n of NEIGHBOUR_PORTS) {
        if (port === n.port) {
          problems.add(field, port, `clashes with the port of ${n.purpose} (${n.name} ${n.port}), which the chart fixes`, `choose another port for ${name}, e.g. ${DEFAULTS[name].port}`);
        }
      }
      for (const [publicName, publicPort] of Object.entries(DEFAULT_PUBLIC)) {
        if (port === publicPort) {
          problems.add(field, port, `clashes with the public ${publicName} listener port ${publicPort}; internal ports must never equal a public listener port`, `choose another port for ${name}, e.g. ${DEFAULTS[name].port}`);
        }
      }
    }
    problems.throwIfAny();
    return new PortContract(chosen, transitions);
  }

  readonly http: InternalPort;
  readonly grpc: InternalPort;
  readonly memberlist: InternalPort;
  readonly public: PublicPorts = Object.freeze({ ...DEFAULT_PUBLIC });
  readonly dependencies: DependencyPorts = Object.freeze({ ...DEFAULT_DEPENDENCIES });
  /** The chart's neighbours on Mimir pods; members-only like grpc and memberlist. */
  readonly neighbours: readonly NeighbourPort[] = NEIGHBOUR_PORTS;
  /** The chart's exporter sidecars' metrics ports; monitoring only. */
  readonly exporters: readonly ExporterPort[] = EXPORTER_PORTS;

  /** Port moves in progress (see port-transition.ts); empty when every port is a plain number. */
  readonly transitions: readonly PortTransition[];

  private constructor(ports: Record<InternalPortName, number>, transitions: readonly PortTransition[] = []) {
    const build = (name: InternalPortName): InternalPort => Object.freeze({ name, ...DEFAULTS[name], port: ports[name] });
    this.transitions = Object.freeze([...transitions]);
    this.http = build("http");
    this.grpc = build("grpc");
    this.memberlist = build("memberlist");
    Object.freeze(this);
  }

  /** The three internal ports, in a fixed order. */
  get internal(): readonly InternalPort[] {
    return [this.http, this.grpc, this.memberlist];
  }

  port(name: InternalPortName): InternalPort {
    return this[name];
  }

  /** The transition of this port, when one is in progress. */
  transition(name: InternalPortName): PortTransition | undefined {
    return this.transitions.find((t) => t.name === name);
  }

  /**
   * Every number the network must admit for this port, old first: the port
   * Mimir listens on, plus the other side of an open or moving transition
   * (old and new pods both run during the rolling restart).
   */
  admitted(name: InternalPortName): readonly number[] {
    return this.transition(name)?.admitted ?? [this[name].port];
  }

  /**
   * The number a resource that AWS replaces on a port change (a target group's
   * port) keeps while the port moves: `from` while open or moving, `to` once
   * closed. With IP targets registered per pod (the controller registers each
   * endpoint at its own resolved port), the group's port is only a default, so
   * it need not follow the rollout; keeping it avoids a replacement mid-move.
   */
  stablePort(name: InternalPortName): number {
    const t = this.transition(name);
    return t && t.phase !== "close" ? t.from : this[name].port;
  }

  /** `admitted` for every internal port, as contract ports (same facts, each number once). */
  get admittedInternal(): readonly InternalPort[] {
    return this.internal.flatMap((p) => this.admitted(p.name).map((port) => (port === p.port ? p : Object.freeze({ ...p, port }))));
  }

  /** Every port only Mimir members (and, for http, the entry and monitoring) may reach: internal ports (both sides of a transition), then neighbours. */
  get membersOnly(): ReadonlyArray<{ readonly name: string; readonly port: number }> {
    return [...this.admittedInternal, ...this.neighbours];
  }

  /** The internal port with this number (either side of a transition), if any. */
  internalPortFor(port: number): InternalPort | undefined {
    return this.admittedInternal.find((p) => p.port === port);
  }

  /** Internal ports inside [from, to] (inclusive), both sides of a transition included. */
  internalPortsInRange(from: number, to: number): InternalPort[] {
    return this.admittedInternal.filter((p) => p.port >= from && p.port <= to);
  }

  /** Plain data for reports and JSON. */
  toJSON(): { internal: InternalPort[]; neighbours: NeighbourPort[]; public: PublicPorts; dependencies: DependencyPorts } {
    return { internal: [...this.internal], neighbours: [...this.neighbours], public: this.public, dependencies: this.dependencies };
  }
}

const TRANSITION_KEYS = ["from", "to", "phase"];

/** `{ from, to, phase }` for one port: every problem named at `ports.<name>.<key>`. */
function parseTransition(name: InternalPortName, value: Record<string, unknown>, problems: ProblemList): PortTransition | undefined {
  const example = DEFAULTS[name].port;
  let ok = true;
  for (const key of Object.keys(value)) {
    if (!TRANSITION_KEYS.includes(key)) {
      problems.add(`${name}.${key}`, value[key], "is not a transition setting (known: from, to, phase)", `remove it; a transition is { from: ${example}, to: <new port>, phase: "open" }`);
      ok = false;
    }
  }
  const phase = value.phase === undefined ? "open" : value.phase;
  if (!isTransitionPhase(phase)) {
    problems.add(`${name}.phase`, value.phase, `must be one of ${TRANSITION_PHASES.map((p) => JSON.stringify(p)).join(", ")}`, `use "open" for the first PR, "move" for the second, "close" for the third`);
    ok = false;
  }
  for (const key of ["from", "to"] as const) {
    const v = value[key];
    if (v === undefined) {
      problems.add(`${name}.${key}`, v, `is required: a transition moves the port from one number to another (${value.phase !== undefined ? "a phase needs both from and to" : "give both from and to"})`, `write ${name}: { from: <the port Mimir listens on now>, to: <the new port>, phase: "open" }, or a plain number ${name}: ${example}`);
      ok = false;
    } else if (!isValidPortNumber(v)) {
      problems.add(`${name}.${key}`, v, "must be an integer from 1 to 65535", `set ${name}.${key} to a whole TCP port number, e.g. ${example}`);
      ok = false;
    }
  }
  if (ok && value.from === value.to) {
    problems.add(`${name}.to`, value.to, `equals ${name}.from; a transition moves the port to another number`, `write the plain port ${name}: ${String(value.to)} (no transition), or choose a different to`);
    ok = false;
  }
  return ok ? buildTransition(name, value.from as number, value.to as number, phase as TransitionPhase) : undefined;
}

export { ConfigError };
