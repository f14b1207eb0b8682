// zod's v3 API, as in schema.ts.
import { z } from "zod/v3";
import { CIDR_FIX, cidrError, isAnywhere } from "../contract/cidr";
import { DEFAULT_PUBLIC_API_GROUPS, PUBLIC_API_GROUPS, isReadOnlyGroup, publicRoutes, type HttpMethod, type PathMatch, type PublicApiGroup } from "../contract/public-api";
import type { PortContract } from "../contract/port-contract";
import type { ProblemList } from "../contract/problems";
import { COMPONENTS, type Component } from "./components";
import { hostName, type Checker } from "./checks/formats";
import { dns1035Label, dnsLabel, dnsSubdomain, DNS_LABEL_MAX } from "./checks/k8s-names";
import { checkedString, labelMap } from "./checks/zod";
import { awsId } from "./checks/aws-facts";

/**
 * The entry path: how clients reach Mimir's PUBLIC API (and nothing else).
 *
 * - `gateway-api` (recommended): HTTPRoutes generated from the public route
 *   table, attached to a Gateway you name (`gateway.parentRef`) or one the stack
 *   creates for a GatewayClass (`gateway.className`); the load balancer targets
 *   the Gateway implementation's data-plane Service (`dataPlane`).
 * - `ingress` (legacy; ingress-nginx was retired in March 2026): an Ingress
 *   whose paths are the public route table (`ingress` settings).
 * - `chart-gateway`: the load balancer targets the mimir-distributed chart's
 *   gateway; the ALB's listener rules carry the public route table (its own
 *   nginx would also serve operator endpoints).
 * - `direct` (monolithic): the load balancer targets the one Mimir Service;
 *   the ALB's listener rules carry the public route table.
 *
 * Messages are "rule. Fix: fix", as in schema.ts.
 */
const fix = (rule: string, fixText: string) => ({ message: `${rule}. Fix: ${fixText}` });



export const ENTRY_KINDS = ["gateway-api", "ingress", "chart-gateway", "direct"] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** ALB: at most 3 values per condition and 5 per rule (AWS, "Condition types for listener rules"). */
export const ALB_MAX_VALUES_PER_CONDITION = 3;
export const ALB_MAX_VALUES_PER_RULE = 5;

const name = (checker: Checker, example: string) => checkedString(checker, fix("must be a string", `write the name as a string, e.g. ${example}`));
const namespaceName = name(dnsLabel("Kubernetes namespace", DNS_LABEL_MAX, "envoy-gateway-system"), "envoy-gateway-system");
const secretName = name(dnsSubdomain("Kubernetes Secret name", "mimir.example.com-tls"), "mimir-tls");
const labels = labelMap()
  .refine((l) => Object.keys(l).length > 0, fix("is empty, which would admit every pod of the data plane's namespace", "name the data plane's pod labels"));
const cidr = z.string(fix("must be a CIDR string", "write an IPv4 CIDR like 10.0.0.0/24")).superRefine((value, ctx) => {
  const why = cidrError(value);
  if (why) ctx.addIssue({ code: "custom", message: `${why}. Fix: ${CIDR_FIX}` });
});
const portNumber = z.number().int().min(1, fix("must be an integer from 1 to 65535", "use a port from 1 to 65535")).max(65535, fix("must be an integer from 1 to 65535", "use a port from 1 to 65535"));
const requestPath = z
  .string()
  .regex(/^\/[A-Za-z0-9._~\/-]*$/, fix("must be an absolute request path of letters, digits and . _ ~ - /", "write a path such as /distributor/ha_tracker (no wildcards: prefixes match element-wise)"))
  .max(120, fix("is longer than an ALB path pattern allows", "use a shorter prefix"));

export const entrySchema = z.strictObject({
  kind: z.enum(ENTRY_KINDS, fix("must be gateway-api, ingress, chart-gateway or direct", "use gateway-api (ingress-nginx, the legacy ingress entry, was retired in March 2026)")).default("gateway-api"),
  /** gateway-api: the Gateway the HTTPRoutes attach to: an existing one (`parentRef`) or one the stack creates (`className`). */
  gateway: z
    .strictObject({
      parentRef: z
        .strictObject({
          name: name(dnsSubdomain("Gateway name", "platform"), "platform"),
          namespace: namespaceName.optional(),
          sectionName: name(dnsSubdomain("Gateway listener name", "https"), "https").optional(),
        })
        .optional(),
      className: name(dnsSubdomain("GatewayClass name", "eg"), "eg").optional(),
      /** Created Gateway only: a TLS Secret (in Mimir's namespace) makes the listener HTTPS; without it the listener is HTTP (the load balancer terminates TLS). */
      tlsSecretName: secretName.optional(),
    })
    .optional(),
  /** gateway-api: the Gateway implementation's data-plane Service the load balancer targets (e.g. Envoy Gateway's envoy Service). */
  dataPlane: z
    .strictObject({
      namespace: namespaceName,
      serviceName: name(dns1035Label("Kubernetes Service name", "envoy-mimir"), "envoy-mimir"),
      /** Default: the Gateway listener's port (the contract's public https port for HTTPS, its redirect port for HTTP). */
      port: portNumber.optional(),
      protocol: z.enum(["HTTP", "HTTPS"], fix("must be HTTP or HTTPS", "use the protocol of the Gateway listener")).optional(),
      /** A path the data plane answers 200 on without a route (implementation specific). */
      healthCheckPath: z.string().startsWith("/", fix("must start with /", "use the data plane's health path")),
      /** The data plane's pod labels (NetworkPolicy: only they may reach Mimir's http port). */
      podLabels: labels,
      /**
       * Who runs the data plane. `envoy-gateway` (default): the stack hardens it with Envoy Gateway's own objects
       * (EnvoyProxy, SecurityPolicy, ClientTrafficPolicy). `other`: only a NetworkPolicy on a created Gateway's data plane;
       * a shared Gateway (parentRef) is refused (nothing would keep its other listeners off Mimir's route).
       */
      implementation: z.enum(["envoy-gateway", "other"], fix("must be envoy-gateway or other", "use envoy-gateway (Envoy Gateway runs the data plane) or other")).default("envoy-gateway"),
      /**
       * The data-plane pods' own security group (a shared Gateway's, from its owner): the load balancer's group reaches
       * it on the proxy port and Mimir's http admits it. Required for a shared Gateway when productionLike; for a
       * Gateway the stack creates (Envoy Gateway, security groups for pods) the stack creates one when omitted.
       */
      securityGroupId: z.string().regex(awsId("sg"), fix("is not a security group id", "use the data plane's group, e.g. sg-0123456789abcdef0")).optional(),
    })
    .optional(),
  /** Host names the HTTPRoutes (and a created Gateway's listener) serve; default: ingress.hosts, else any host. */
  hosts: z.array(checkedString(hostName, fix("must be a DNS host name", "use a name like mimir.example.com"))).optional(),
  /** Public API groups (default write, read, rules, alertmanager; block-upload is off unless listed). */
  publicApi: z
    .strictObject({ groups: z.array(z.enum(PUBLIC_API_GROUPS as unknown as [PublicApiGroup, ...PublicApiGroup[]], fix(`must be one of ${PUBLIC_API_GROUPS.join(", ")}`, "list public API groups by name"))).optional() })
    .optional(),
  /**
   * Off by default. Operator endpoints through the load balancer, for the
   * listed source CIDRs only (an ALB `source-ip` condition in its own listener
   * rule, and a separate `<fullname>-operator` HTTPRoute/Ingress in the cluster).
   */
  operatorAccess: z
    .strictObject({
      cidrs: z.array(cidr).min(1, fix("is empty", "list the operators' CIDRs (at most 2)")),
      routes: z
        .array(z.strictObject({ path: requestPath, component: z.string().optional() }))
        .min(1, fix("is empty", "list the operator path prefixes you need, e.g. { path: \"/distributor/ha_tracker\" }")),
      /** Why this is acceptable, for reviewers (the review report shows it). */
      acknowledged: z.string(fix("is required: operator access must be acknowledged", "write why operators need it from outside the cluster")).min(10, fix("is too short to tell a reviewer why", "write why (at least 10 characters)")),
    })
    .optional(),
});

export type EntryInput = z.input<typeof entrySchema>;
type ParsedEntry = z.output<typeof entrySchema>;

/** One public (or operator) route: request paths and the component that serves them. */
export interface EntryRoute {
  readonly path: string;
  readonly match: PathMatch;
  /** The component (microservices) that serves it; `all` in monolithic mode. */
  readonly component: Component | "all";
  readonly group: PublicApiGroup | "operator";
  /** The methods forwarded (the public table's); undefined: every method (operator routes, limited by source CIDR). */
  readonly methods?: readonly HttpMethod[];
}

export interface ResolvedEntry {
  readonly kind: EntryKind;
  /** True when derived from the legacy settings (no `entry` block). */
  readonly derived: boolean;
  readonly groups: readonly PublicApiGroup[];
  /** The public routes this environment serves, most specific first. */
  readonly routes: readonly EntryRoute[];
  /** Host names clients use (HTTPRoute hostnames, Ingress hosts, DNS alias); may be empty. */
  readonly hosts: readonly string[];
  readonly gateway?: {
    readonly parentRef: { readonly name: string; readonly namespace?: string; readonly sectionName?: string };
    /** Set when the stack creates the Gateway. */
    readonly create?: { readonly className: string; readonly protocol: "HTTP" | "HTTPS"; readonly tlsSecretName?: string };
  };
  /** The in-cluster proxy that reaches Mimir's http port (NetworkPolicy peer). */
  readonly controller?: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> };
  /** gateway-api: the data plane the load balancer targets, and who runs it. */
  readonly dataPlane?: {
    readonly namespace: string;
    readonly serviceName: string;
    /** The data-plane Service's port (the Gateway listener's port). */
    readonly port: number;
    readonly protocol: "HTTP" | "HTTPS";
    readonly healthCheckPath: string;
    readonly podLabels: Readonly<Record<string, string>>;
    readonly implementation: "envoy-gateway" | "other";
    /** The data-plane pods' own security group, when given (`entry.dataPlane.securityGroupId`). */
    readonly securityGroupId?: string;
  };
  /** The load balancer's subnet CIDRs (`loadBalancer.subnetCidrs`): the only sources the data plane admits. */
  readonly loadBalancerCidrs: readonly string[];
  readonly operatorAccess?: { readonly cidrs: readonly string[]; readonly routes: readonly EntryRoute[]; readonly acknowledged: string };
  /** Warnings for the synth summary (e.g. the legacy ingress entry). */
  readonly warnings: readonly string[];
}

/** The load balancer target the entry implies (same shape as `loadBalancer.target`). */
export type EntryTarget =
  | { readonly kind: "mimir"; readonly port?: number }
  | { readonly kind: "ingress-controller"; readonly namespace: string; readonly serviceName: string; readonly port?: number; readonly protocol: "HTTP" | "HTTPS"; readonly healthCheckPath: string };

/** Most specific first: exact before prefix, then longer paths first, then by path (deterministic). */
export function bySpecificity(a: Pick<EntryRoute, "path" | "match">, b: Pick<EntryRoute, "path" | "match">): number {
  if (a.match !== b.match) return a.match === "exact" ? -1 : 1;
  return b.path.length - a.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/** The public routes of `groups` the environment's components serve, most specific first (monolithic: every one to `all`). */
export function entryRoutes(groups: readonly PublicApiGroup[], mode: { readonly monolithic: boolean; readonly components: readonly Component[] }): EntryRoute[] {
  return publicRoutes(groups)
    .filter((r) => mode.monolithic || mode.components.includes(r.component))
    .map((r): EntryRoute => ({ path: r.path, match: r.match, component: mode.monolithic ? "all" : r.component, group: r.group, methods: r.methods }))
    .sort(bySpecificity);
}

/**
 * The entry with the read-only groups the client classes hold: a class may hold `rules-read` or `alertmanager-read`
 * when the entry serves `rules` or `alertmanager` (the same paths, fewer methods), and the entry then serves it too,
 * with no change to entry.publicApi.groups.
 */
export function withHeldReadOnlyGroups(entry: ResolvedEntry, held: readonly PublicApiGroup[], mode: { readonly monolithic: boolean; readonly components: readonly Component[] }): ResolvedEntry {
  const extra = held.filter((g) => isReadOnlyGroup(g) && !entry.groups.includes(g));
  if (extra.length === 0) return entry;
  const groups = PUBLIC_API_GROUPS.filter((g) => entry.groups.includes(g) || extra.includes(g));
  return { ...entry, groups, routes: entryRoutes(groups, mode) };
}

/** Operator path prefixes served by one component (Mimir HTTP API reference); other operator paths need `component`. */
const OPERATOR_OWNERS: ReadonlyArray<[string, Component]> = [
  ["/distributor", "distributor"],
  ["/ingester", "ingester"],
  ["/ruler", "ruler"],
  ["/multitenant_alertmanager", "alertmanager"],
  ["/store-gateway", "store-gateway"],
  ["/compactor", "compactor"],
  ["/query-scheduler", "query-scheduler"],
  ["/overrides-exporter", "overrides-exporter"],
];

export const LEGACY_INGRESS_WARNING =
  "entry kind ingress is a legacy entry: ingress-nginx was retired in March 2026 (no more security fixes); move to entry.kind gateway-api (docs/entry-and-auth.md, \"Entry path\")";

interface EntryContext {
  readonly parsed: ParsedEntry | undefined;
  readonly deploymentMode: "monolithic" | "microservices";
  readonly serviceOwnership: "helm" | "external";
  readonly components: readonly Component[];
  readonly contract: PortContract | undefined;
  /** The chart's fullname and Mimir's namespace (a created Gateway takes them). */
  readonly fullname: string;
  readonly namespace: string;
  readonly loadBalancer: { readonly type: "application" | "network"; readonly allowedCidrs: readonly string[]; readonly subnetCidrs: readonly string[]; readonly target: EntryTarget };
  readonly ingress?: { readonly hosts: readonly string[]; readonly useGateway: boolean; readonly controllerNamespace: string; readonly controllerPodLabels: Record<string, string> };
}

/**
 * Resolve the entry settings (or derive them from the legacy ones: an
 * ingress-controller target means `ingress`; a mimir target means `direct`
 * in monolithic mode, `chart-gateway` in microservices mode) and check them.
 * Returns the entry and the load balancer target it implies.
 */
export function resolveEntry(ctx: EntryContext, problems: ProblemList): { entry: ResolvedEntry; target: EntryTarget } {
  const p = ctx.parsed;
  const lbTarget = ctx.loadBalancer.target;
  const monolithic = ctx.deploymentMode === "monolithic";
  const kind: EntryKind = p?.kind ?? (lbTarget.kind === "ingress-controller" ? "ingress" : monolithic ? "direct" : "chart-gateway");
  const warnings: string[] = [];
  const alb = ctx.loadBalancer.type === "application";
  let target: EntryTarget = lbTarget;

  const groups = [...new Set(p?.publicApi?.groups ?? DEFAULT_PUBLIC_API_GROUPS)];
  if (groups.length === 0) problems.add("entry.publicApi.groups", [], "is empty, so clients could neither write nor read", `list groups, e.g. ${JSON.stringify(DEFAULT_PUBLIC_API_GROUPS)}`);
  const served = (c: Component) => monolithic || ctx.components.includes(c);
  const routes = entryRoutes(groups, { monolithic, components: ctx.components });

  const hosts: readonly string[] = p?.hosts ?? ctx.ingress?.hosts ?? [];
  let gateway: ResolvedEntry["gateway"];
  let dataPlane: ResolvedEntry["dataPlane"];
  let controller: ResolvedEntry["controller"] =
    ctx.ingress && kind !== "gateway-api" ? { namespace: ctx.ingress.controllerNamespace, podLabels: ctx.ingress.controllerPodLabels } : undefined;

  switch (kind) {
    case "gateway-api": {
      const g = p?.gateway;
      if (!g || (g.parentRef === undefined) === (g.className === undefined)) {
        problems.add("entry.gateway", g, "needs exactly one of parentRef (attach the HTTPRoutes to your Gateway) or className (the stack creates a Gateway of that GatewayClass)", "set entry.gateway.parentRef { name, namespace } or entry.gateway.className");
      } else if (g.parentRef) {
        if (g.tlsSecretName) problems.add("entry.gateway.tlsSecretName", g.tlsSecretName, "only applies to a Gateway the stack creates", "configure TLS on your own Gateway, or use className instead of parentRef");
        gateway = { parentRef: g.parentRef };
      } else if (g.className && ctx.contract) {
        gateway = { parentRef: { name: ctx.fullname, namespace: ctx.namespace }, create: { className: g.className, protocol: g.tlsSecretName ? "HTTPS" : "HTTP", tlsSecretName: g.tlsSecretName } };
      }
      const dp = p?.dataPlane;
      if (!dp) {
        problems.add("entry.dataPlane", undefined, "is required for entry kind gateway-api: the load balancer targets the Gateway implementation's data-plane Service", "set entry.dataPlane { namespace, serviceName, healthCheckPath, podLabels }");
      } else {
        const protocol = dp.protocol ?? gateway?.create?.protocol ?? "HTTPS";
        const defaultPort = ctx.contract ? (protocol === "HTTPS" ? ctx.contract.public.https : ctx.contract.public.httpRedirect) : undefined;
        target = { kind: "ingress-controller", namespace: dp.namespace, serviceName: dp.serviceName, port: dp.port ?? defaultPort, protocol, healthCheckPath: dp.healthCheckPath };
        controller = { namespace: dp.namespace, podLabels: dp.podLabels };
        if (dp.port ?? defaultPort) {
          dataPlane = { namespace: dp.namespace, serviceName: dp.serviceName, port: (dp.port ?? defaultPort) as number, protocol, healthCheckPath: dp.healthCheckPath, podLabels: dp.podLabels, implementation: dp.implementation, ...(dp.securityGroupId ? { securityGroupId: dp.securityGroupId } : {}) };
        }
        if (g?.parentRef && dp.implementation === "other") {
          problems.add(
            "entry.gateway.parentRef",
            g.parentRef,
            "is a shared Gateway whose other listeners and routes reach its data plane without passing this load balancer (and its authentication), and with entry.dataPlane.implementation other nothing route-level keeps them off Mimir's HTTPRoute",
            "use an Envoy Gateway data plane (entry.dataPlane.implementation envoy-gateway: a SecurityPolicy on Mimir's HTTPRoute admits only loadBalancer.subnetCidrs, or authenticates with auth.mode basic), or let the stack create a dedicated Gateway (entry.gateway.className instead of parentRef)",
          );
        }
      }
      if (gateway?.create && dp?.implementation === "other") {
        warnings.push(`entry.dataPlane.implementation other: the stack writes only a NetworkPolicy on the data plane's pods (admitting loadBalancer.subnetCidrs); make the data-plane Service ${dp.serviceName} type ClusterIP and restrict it with your implementation's own policy objects`);
      }
      const subnets = ctx.loadBalancer.subnetCidrs;
      if (subnets.length === 0) {
        problems.add(
          "loadBalancer.subnetCidrs",
          [],
          "is empty, but entry kind gateway-api admits only the load balancer's subnets at the data plane (NetworkPolicy and Envoy SecurityPolicy); without them the data plane could not tell the load balancer from any pod",
          "list the CIDRs of the load balancer's subnets (those of TF_VAR_subnet_ids), e.g. [\"10.0.0.0/24\", \"10.0.1.0/24\"]",
        );
      }
      subnets.forEach((c, i) => {
        if (isAnywhere(c)) problems.add(`loadBalancer.subnetCidrs[${i}]`, c, "admits every address at the data plane, so any pod would pass as the load balancer", "list only the load balancer's subnet CIDRs");
      });
      if (lbTarget.kind === "ingress-controller") {
        problems.add("loadBalancer.target.kind", "ingress-controller", "conflicts with entry kind gateway-api, whose load balancer target is entry.dataPlane", "remove loadBalancer.target (set the data plane in entry.dataPlane), or use entry.kind ingress");
      }
      if (ctx.ingress) problems.add("ingress", "(set)", "is the legacy ingress entry, but entry.kind is gateway-api", "remove ingress (hosts go to entry.hosts), or set entry.kind ingress");
      break;
    }
    case "ingress":
      warnings.push(LEGACY_INGRESS_WARNING);
      groups.filter(isReadOnlyGroup).forEach((g) => problems.add("entry.publicApi.groups", g, "is a read-only group, but an Ingress cannot match HTTP methods (it would serve every method of the path)", "remove it, or use entry.kind gateway-api (HTTPRoute method matches and ALB method conditions)"));
      if (!ctx.ingress) problems.add("ingress", undefined, "is missing but entry.kind is ingress", "add ingress { className, hosts, tlsSecretName }, or use entry.kind gateway-api");
      if (lbTarget.kind !== "ingress-controller") problems.add("loadBalancer.target.kind", lbTarget.kind, "must be ingress-controller for entry kind ingress (the controller serves the Ingress)", "set loadBalancer.target { kind: ingress-controller, namespace, serviceName }");
      break;
    case "chart-gateway":
    case "direct": {
      // (microservices with serviceOwnership external: environment.ts reports the missing chart gateway)
      if (kind === "chart-gateway" && monolithic) {
        problems.add("entry.kind", kind, "needs the mimir-distributed chart's gateway, which monolithic mode does not have", "use entry.kind direct (monolithic) or gateway-api");
      }
      if (kind === "direct" && !monolithic) {
        problems.add("entry.kind", kind, "sends the load balancer to one Service, which only monolithic mode has", "use entry.kind gateway-api (or chart-gateway) in microservices mode");
      }
      if (lbTarget.kind !== "mimir") problems.add("loadBalancer.target.kind", lbTarget.kind, `must be mimir for entry kind ${kind} (the load balancer targets Mimir's pods)`, "remove loadBalancer.target, or use entry.kind ingress");
      if (!alb) {
        problems.add("loadBalancer.type", "network", `cannot filter request paths, so with entry kind ${kind} every Mimir endpoint (/config, /ingester/shutdown, ...) would be reachable`, "use loadBalancer.type application (its listener rules carry only the public API), or entry.kind gateway-api");
      }
      break;
    }
  }

  let operatorAccess: ResolvedEntry["operatorAccess"];
  const oa = p?.operatorAccess;
  if (oa) {
    if (!alb) problems.add("entry.operatorAccess", "(set)", "needs an application load balancer: only its listener rules can limit operator paths to source CIDRs", "use loadBalancer.type application, or reach operator endpoints from inside the cluster (kubectl port-forward)");
    if (oa.cidrs.length > ALB_MAX_VALUES_PER_RULE - ALB_MAX_VALUES_PER_CONDITION) {
      problems.add("entry.operatorAccess.cidrs", oa.cidrs, `lists more than ${ALB_MAX_VALUES_PER_RULE - ALB_MAX_VALUES_PER_CONDITION} CIDRs (an ALB rule holds at most ${ALB_MAX_VALUES_PER_RULE} condition values, ${ALB_MAX_VALUES_PER_CONDITION} of them for paths)`, "list at most 2 operator CIDRs (e.g. a VPN range)");
    }
    oa.cidrs.forEach((c, i) => {
      if (isAnywhere(c)) problems.add(`entry.operatorAccess.cidrs[${i}]`, c, "opens operator endpoints to every address", "list the operators' VPN or office CIDRs");
      else if (!ctx.loadBalancer.allowedCidrs.some((a) => cidrContains(a, c))) {
        problems.add(`entry.operatorAccess.cidrs[${i}]`, c, "is not inside loadBalancer.allowedCidrs, so the load balancer's security group would drop it", "use a CIDR inside loadBalancer.allowedCidrs");
      }
    });
    const opRoutes: EntryRoute[] = [];
    oa.routes.forEach((r, i) => {
      if (routes.some((pub) => pub.path === r.path || isUnder(r.path, pub.path) || isUnder(pub.path, r.path))) {
        problems.add(`entry.operatorAccess.routes[${i}].path`, r.path, "overlaps the public API", "list operator paths only (public ones are already served)");
        return;
      }
      let component: Component | "all" | undefined = monolithic ? "all" : undefined;
      if (!monolithic) {
        if (r.component !== undefined) {
          if ((COMPONENTS as readonly string[]).includes(r.component)) component = r.component as Component;
          else problems.add(`entry.operatorAccess.routes[${i}].component`, r.component, "is not a Mimir component", `use one of ${COMPONENTS.join(", ")}`);
        } else {
          component = OPERATOR_OWNERS.find(([prefix]) => r.path === prefix || isUnder(r.path, prefix))?.[1];
          if (!component) problems.add(`entry.operatorAccess.routes[${i}].component`, undefined, `is needed: ${r.path} is served by every component`, "name the component whose endpoint you need, e.g. component: \"distributor\"");
        }
        if (component && component !== "all" && !served(component)) problems.add(`entry.operatorAccess.routes[${i}].component`, component, "is not enabled in this environment", "enable the component or remove the route");
      }
      if (component) opRoutes.push({ path: r.path, match: "prefix", component, group: "operator" });
    });
    operatorAccess = { cidrs: oa.cidrs, routes: opRoutes.sort(bySpecificity), acknowledged: oa.acknowledged };
  }

  if (kind !== "gateway-api" && (p?.gateway || p?.dataPlane)) {
    problems.add(p?.gateway ? "entry.gateway" : "entry.dataPlane", "(set)", `only applies to entry kind gateway-api, not ${kind}`, "remove it, or set entry.kind gateway-api");
  }

  return {
    entry: { kind, derived: p === undefined, groups, routes, hosts, gateway, controller, dataPlane, loadBalancerCidrs: [...ctx.loadBalancer.subnetCidrs], operatorAccess, warnings },
    target,
  };
}

/** `child` is `parent` plus more path elements (`/a/b` under `/a`). */
function isUnder(child: string, parent: string): boolean {
  const base = parent.endsWith("/") ? parent.slice(0, -1) : parent;
  return child.startsWith(`${base}/`);
}

/** IPv4 containment (IPv6: equality only). */
export function cidrContains(outer: string, inner: string): boolean {
  const v4 = (c: string): [number, number] | undefined => {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(c);
    if (!m) return undefined;
    return [(((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0), Number(m[5])];
  };
  const o = v4(outer);
  const i = v4(inner);
  if (!o || !i) return outer === inner;
  if (i[1] < o[1]) return false;
  const mask = o[1] === 0 ? 0 : (0xffffffff << (32 - o[1])) >>> 0;
  return ((o[0] & mask) >>> 0) === ((i[0] & mask) >>> 0);
}
