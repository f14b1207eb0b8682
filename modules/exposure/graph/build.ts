/**
 * Build the one reachability graph of a stack (synthesized or planned) and
 * walk it: every reader adds nodes and edges, then every path from an
 * untrusted source to a Mimir port is a hit. Resources are indexed by type
 * and address once; every step is linear in the resources.
 */
import type { StackDocument, TfResource } from "../terraform-json";
import { sgRulesOf, type SgRule } from "../readers/aws";
import { first, list, refOf } from "../readers/json";
import { addAws, mimirGroups, SG_TYPES, type AwsIndex } from "./aws-edges";
import { addEndpointServices } from "./endpoint-services";
import { chartExtraObjects } from "./chart-extra-objects";
import { Graph, type Hit, type Unknown } from "./graph";
import { addHelm, movedByExtraArgs } from "./helm-edges";
import { resolveHelmValues } from "./helm-values";
import { addEndpoints, ENDPOINT_TYPES } from "./endpoint-slices";
import { addKubernetes, frontDoorJudge, ServiceIndex } from "./k8s-edges";
import { KUBERNETES_TYPES, readK8s, type K8sObjects, type KService } from "./k8s-objects";
import { isToken, MimirScope } from "./mimir-scope";
import { addInteriorSources, deploysMimir } from "./interior-sources";
import { addDataPlaneSources, authenticatedRoutes, dataPlaneLabels, envoyProxyLabels, routesWithoutAuthentication, type AuthenticatedRoute, type UnauthenticatedRoute } from "./data-plane";
import { addImpersonators } from "./impersonation";
import { addEnvoyProxyServices, entryGatewaysFor } from "./envoy-proxy";
import { memberGroupsOf, memberRules } from "./membership";
import { addUnseenTargetGroups } from "./unseen-target-groups";
import { addChartUnseen, addUnseen } from "./unseen";

export interface HelmChartValues {
  readonly resource: TfResource;
  readonly values: Record<string, unknown>;
}

export interface ExposureGraph {
  readonly graph: Graph;
  readonly hits: readonly Hit[];
  readonly unknowns: readonly Unknown[];
  readonly k8s: K8sObjects;
  readonly scope: MimirScope;
  /** Resolved values of every Mimir chart release. */
  readonly mimirCharts: readonly HelmChartValues[];
  /** Security groups whose members are Mimir's pods. */
  readonly mimirSecurityGroups: ReadonlySet<string>;
  readonly movedPorts: ReadonlyArray<{ resource: TfResource; path: string[]; flag: string; value: unknown; want: number; name: string }>;
  /** A reference or a plan's literal id/ARN → the resource address it names (else the value itself). */
  readonly ref: (value: unknown) => string;
  /** Gateway API routes no authenticating SecurityPolicy / ClientTrafficPolicy is proven to cover, and why (MP018 beside one that does). */
  readonly routesWithoutAuthentication: () => readonly UnauthenticatedRoute[];
  /** Gateway API routes an authenticating policy is proven to cover, and the policies that decide each. */
  readonly authenticatedRoutes: () => readonly AuthenticatedRoute[];
}

const RELEVANT = new Set([...SG_TYPES, "aws_lb", "aws_alb", "aws_lb_listener", "aws_alb_listener", "aws_lb_listener_rule", "aws_alb_listener_rule", "aws_lb_target_group", "aws_alb_target_group", "aws_lb_target_group_attachment", "aws_alb_target_group_attachment", "helm_release", ...KUBERNETES_TYPES, ...ENDPOINT_TYPES]);

export function buildGraph(doc: StackDocument, rules?: readonly SgRule[]): ExposureGraph {
  const byTypeMap = new Map<string, TfResource[]>();
  const byAddress = new Map<string, TfResource>();
  for (const r of doc.resources) {
    byAddress.set(r.address, r);
    const l = byTypeMap.get(r.type);
    if (l) l.push(r);
    else byTypeMap.set(r.type, [r]);
  }
  const byType = (t: string) => byTypeMap.get(t) ?? [];
  // Plans carry literal ids and ARNs where synthesized JSON has references: map them back to addresses.
  const ids = new Map<string, string>();
  for (const r of doc.resources) for (const k of ["id", "arn"]) if (typeof r.values[k] === "string" && r.values[k] !== "") ids.set(r.values[k], r.address);
  // TargetGroupBinding may name its target group (spec.targetGroupName).
  for (const t of [...byType("aws_lb_target_group"), ...byType("aws_alb_target_group")]) if (typeof t.values.name === "string" && !ids.has(t.values.name)) ids.set(t.values.name, t.address);
  const ref = (v: unknown) => {
    const x = refOf(v);
    return ids.get(x) ?? x;
  };
  const fix = (rule: SgRule): SgRule => ({ ...rule, group: ref(rule.group), peer: rule.peer.kind === "security-group" ? { kind: "security-group" as const, ref: ref(rule.peer.ref) } : rule.peer });
  const g = new Graph();

  // Namespaces by address, to resolve `${kubernetes_namespace_v1.x.metadata[0].name}`.
  const namespaceNames = new Map<string, string>();
  for (const t of ["kubernetes_namespace", "kubernetes_namespace_v1"]) for (const n of byType(t)) namespaceNames.set(n.address, String(first(n.values.metadata)?.name ?? n.name));
  const resolveNs = (ns: string | undefined): string | undefined => {
    if (ns === undefined) return "default";
    if (!isToken(ns)) return ns;
    const m = /^\$\{([a-z0-9_]+\.[^.}]+)/.exec(ns);
    return m ? namespaceNames.get(m[1]) : undefined;
  };

  const charts = byType("helm_release").filter((h) => /mimir/.test(String(h.values.chart ?? "")) || /mimir/.test(String(h.values.repository ?? "")));
  const chartValues = charts.map((h) => ({ h, resolved: resolveHelmValues(h, doc.format) }));
  // Objects the chart renders from `extraObjects` are read like manifests of the stack (./chart-extra-objects.ts).
  const rendered = chartValues.map(({ h, resolved }) => chartExtraObjects(h, resolved.values));
  const k8s = readK8s([...byType("kubernetes_manifest"), ...[...byTypeMap.keys()].filter((t) => t !== "kubernetes_manifest" && KUBERNETES_TYPES.has(t)).flatMap(byType), ...rendered.flatMap((x) => x.manifests)]);
  const scope = new MimirScope(g, doc.contract, k8s, resolveNs, charts[0] ? String(charts[0].values.namespace ?? "default") : undefined, charts[0] ? String(charts[0].values.name ?? charts[0].name) : undefined);

  const ix: AwsIndex = { byType, byAddress, sgRules: (rules ?? SG_TYPES.flatMap((t) => byType(t).flatMap(sgRulesOf))).map(fix), ref };
  const sgPolicyGroups = k8s.sgPolicies.filter((p) => p.podSelector !== undefined && scope.selects(p.namespace, p.podSelector) !== undefined).flatMap((p) => p.groups);
  const mimirSgs = mimirGroups(ix, scope, doc.contract.securityGroups ?? [], sgPolicyGroups);
  addAws(g, ix, scope, mimirSgs);
  addEndpointServices(g, ix);
  const services = new ServiceIndex(g, scope, resolveNs);
  void services;
  // A Service that selects the data plane's pods (by the labels the stack states or trusts, never its name).
  const dataPlaneSets = new Map<string, ReturnType<typeof dataPlaneLabels>>();
  const dpEntryNs = doc.contract.entry?.dataPlane?.namespace;
  const selectsDataPlane = (s: KService) => {
    if (s.selector === undefined || Object.keys(s.selector).length === 0) return false;
    const ns = resolveNs(s.namespace ?? "default") ?? "";
    let sets = dataPlaneSets.get(ns);
    // Only where the data plane lives: the entry's data-plane namespace and the namespaces TargetGroupBindings register.
    if (!sets) dataPlaneSets.set(ns, (sets = ns === dpEntryNs || controllerNamespaces.has(ns) ? dataPlaneLabels(k8s, ns, resolveNs, doc.contract.entry) : []));
    return sets.some((l) => Object.entries(s.selector!).every(([k, v]) => l[k] === v));
  };
  const controllerNamespaces = new Set(k8s.bindings.map((b) => resolveNs(b.namespace ?? "default") ?? ""));
  addKubernetes(g, k8s, scope, services, ref, selectsDataPlane, frontDoorJudge(services, doc.contract.entry));
  addEnvoyProxyServices(g, k8s, resolveNs, (r) => `route:${r.resource.address}:${r.kind}:${r.name}`);
  // Issue 20: untrusted sources inside the cluster, and the data plane reached without the load balancer.
  const deployer = deploysMimir(k8s, scope, charts);
  const entryGateways = entryGatewaysFor(k8s, resolveNs, doc.contract.entry);
  if (deployer) addInteriorSources({ g, ix, scope, k8s, declared: doc.contract.securityGroups ?? [], deployer, resolveNs, entryGateways, envoyLabels: envoyProxyLabels(doc.contract.entry) });
  // Issue 30: workloads that wear Mimir's (or the proxies') labels without being the release's.
  const members = memberGroupsOf(ix, doc.contract.securityGroups ?? [], sgPolicyGroups.map((x) => ref(x)));
  const ownRules = memberRules(ix, members);
  const memberPorts = (g.nodes.get(scope.podsNode("*").id)?.mimir?.ports ?? []).map((p) => p.port).filter((port) => ownRules.some((r) => r.fromPort <= port && port <= r.toPort));
  const dpNs = doc.contract.entry?.dataPlane?.namespace;
  addImpersonators({
    g, k8s, scope, resolveNs, memberPorts,
    release: charts.length > 0 || (doc.contract.workloads?.length ?? 0) > 0,
    own: new Set(doc.contract.workloads ?? []),
    proxies: dpNs === undefined ? [] : dataPlaneLabels(k8s, dpNs, resolveNs, doc.contract.entry).map((labels) => ({ namespace: dpNs, labels })),
  });
  addDataPlaneSources(g, k8s, services, resolveNs, (r) => `route:${r.resource.address}:${r.kind}:${r.name}`, doc.contract.entry);
  addEndpoints(g, [...byType("kubernetes_manifest"), ...ENDPOINT_TYPES.flatMap(byType)], k8s, scope, services, resolveNs);
  addUnseenTargetGroups(g, k8s, services, ref, (address) => /^aws_(lb|alb)_target_group$/.test(byAddress.get(address)?.type ?? ""));

  const mimirCharts: HelmChartValues[] = [];
  const movedPorts: ExposureGraph["movedPorts"][number][] = [];
  const flags = scope.ports.slice(0, 3).map((p) => ({ flag: FLAGS[p.contractName], port: p.port, name: p.contractName }));
  for (const u of rendered.flatMap((x) => x.unknown)) g.unknown(u);
  for (const { h, resolved } of chartValues) {
    for (const reason of resolved.unknown) g.unknown({ resource: h, reason: `${reason}; they feed Mimir's chart release ${String(h.values.name ?? h.name)} (Service types, ports, hostPorts of Mimir's pods)`, path: [h.address] });
    mimirCharts.push({ resource: h, values: resolved.values });
    addHelm(g, h, resolved.values, scope);
    addChartUnseen(g, h, resolved.values, scope);
    for (const m of movedByExtraArgs(resolved.values, flags)) movedPorts.push({ resource: h, ...m });
  }

  // Opaque parts: modules whose internals are not visible, dynamic blocks.
  const touches = mimirTouches(ix, mimirSgs, charts, scope);
  for (const o of doc.opaque ?? []) g.unknown({ resource: o.resource, reason: `${o.reason}; ${handed(o.resource.values, touches, ref)}`, path: [o.resource.address] });
  for (const r of doc.resources) {
    if (!RELEVANT.has(r.type)) continue;
    if (r.values.dynamic !== undefined) {
      const what = touches.get(r.address);
      g.unknown({ resource: r, reason: `dynamic block(s) ${Object.keys(r.values.dynamic ?? {}).join(", ")} are expanded only by Terraform, so their ports and sources are unknown${what ? `; they write into ${what}` : ""}`, path: [r.address] });
    }
  }
  addUnseen(g, doc.resources.filter((r) => RELEVANT.has(r.type)), byType, k8s, scope, ref);
  for (const m of k8s.other) {
    if (m.kind === "" || isToken(m.kind)) g.unknown({ resource: m.resource, reason: `manifest kind is not known until apply: it may be a Service, route, policy or workload that reaches Mimir's pods (http, grpc, memberlist ports)`, path: [m.resource.address] });
  }
  void list;
  let unauthenticated: UnauthenticatedRoute[] | undefined;
  const routesWithoutAuth = () => (unauthenticated ??= routesWithoutAuthentication(k8s, resolveNs, doc.contract.entry));
  let authenticated: AuthenticatedRoute[] | undefined;
  const routesWithAuth = () => (authenticated ??= authenticatedRoutes(k8s, resolveNs, doc.contract.entry));
  return { graph: g, hits: g.walk(), unknowns: g.unknowns, k8s, scope, mimirCharts, mimirSecurityGroups: mimirSgs, movedPorts, ref, routesWithoutAuthentication: routesWithoutAuth, authenticatedRoutes: routesWithAuth };
}

/** What of Mimir's a resource address stands for, for "unknown" findings (a module handed the members group). */
function mimirTouches(ix: AwsIndex, mimirSgs: ReadonlySet<string>, charts: readonly TfResource[], scope: MimirScope): Map<string, string> {
  const ports = scope.ports.slice(0, 3).map((p) => `${p.contractName} ${p.port}`).join(", ");
  const out = new Map<string, string>();
  for (const sg of mimirSgs) out.set(sg, `the members group ${sg} (Mimir's pods: ${ports})`);
  for (const h of charts) out.set(h.address, `Mimir's chart release ${h.address}`);
  for (const t of ["aws_lb_target_group", "aws_alb_target_group", "aws_lb", "aws_alb", "aws_lb_listener", "aws_alb_listener"]) {
    for (const r of ix.byType(t)) if (!out.has(r.address)) out.set(r.address, `${r.address} (in front of Mimir's pods)`);
  }
  return out;
}

/** What a module call is handed: the Mimir things among its arguments (references, or the literal ids a plan shows). */
function handed(values: unknown, touches: ReadonlyMap<string, string>, ref: (v: unknown) => string): string {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      for (const m of v.matchAll(/\$\{([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/g)) {
        const what = touches.get(m[1]);
        if (what) found.add(what);
      }
      const what = touches.get(ref(v));
      if (what) found.add(what);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(values);
  return found.size > 0 ? `it is handed ${[...found].sort().join("; ")}` : "it is handed nothing of Mimir's the model can see, but its resources may still reach Mimir's pods";
}

const FLAGS: Record<string, string> = { http: "server.http-listen-port", grpc: "server.grpc-listen-port", memberlist: "memberlist.bind-port" };
