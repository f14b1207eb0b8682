/**
 * The contract policy: rules over the exposure model. IDs are stable. The
 * checkov/trivy/KICS IDs in `related` are the public checks each one echoes;
 * none of those knows Mimir's ports, which is why MP001/MP002/MP005 exist.
 */
import { isAnywhere } from "../contract/cidr";
import { TLS12_PLUS } from "../config/checks/aws-facts";
import { covers, describeSource, type ExposureModel } from "../exposure/model";
import { portConfigPaths } from "../helm/values";
import { networkPolicyFindings, pathToMimir, reachesMimir, routeNodeId } from "./graph-queries";
import { arrow, classified, findingsFor, portsOf } from "./reachability";
import { getPath } from "../shared/objects";
import type { RawFinding, Rule, Severity } from "./types";
import type { TfResource } from "../exposure/terraform-json";
import { mp018 } from "./auth-rule";
import { mp019 } from "./interior-rule";

export { TLS12_PLUS } from "../config/checks/aws-facts";

const mp001: Rule = {
  id: "MP001",
  title: "Internal Mimir port reachable from a CIDR",
  severity: "error",
  help: "Mimir's http, grpc and memberlist ports are internal: only Mimir members, the load balancer's group and named monitoring groups may reach them. A CIDR (or prefix list) source on a group whose members are Mimir's pods opens them to addresses nobody reviewed; 0.0.0.0/0, ::/0, or CIDRs that together cover the internet open them to the internet.",
  related: "KICS 'sensitive port is exposed' (lists Mimir's default http port); checkov has no equivalent for Mimir's ports",
  check(m) {
    return findingsFor(m, new Set(["security-group"]), (group) => {
      const hit = group[0].hit;
      const rule = m.sgRules.find((r) => r.resource === hit.entry!.resource && r.peer.kind !== "self" && r.peer.kind !== "security-group" && (r.peer.kind === "cidr" ? hit.source.label.startsWith(r.peer.cidr) : true));
      const how = !rule ? "a rule" : rule.protocol === "all" ? "an all-protocol rule" : rule.fromPort !== rule.toPort ? `port range ${rule.fromPort}-${rule.toPort}` : `${rule.protocol}/${rule.fromPort}`;
      const anywhere = hit.source.internet === true;
      const source = rule && rule.peer.kind === "cidr" && isAnywhere(rule.peer.cidr) ? `${rule.peer.cidr} (anywhere)` : hit.source.label;
      return {
        severity: anywhere ? "critical" : "error",
        message: `${portsOf(group)} reachable from ${source} through ${how}${rule?.inline ? " (inline rule)" : ""}; path: ${arrow(hit.path)}`,
        fix: "remove the rule; reach Mimir through the load balancer's TLS listener, or allow a security group instead of a CIDR",
      };
    });
  },
};

const mp002: Rule = {
  id: "MP002",
  title: "Load balancer listener reaches an internal Mimir port",
  severity: "critical",
  help: "The only way in is a TLS listener to Mimir's http port. A listener whose traffic reaches grpc, memberlist or a neighbour's port (whatever its own port number), or reaches http without TLS (a TCP listener on the https port is not TLS), publishes an internal port.",
  check(m) {
    return findingsFor(m, new Set(["listener"]), (group) => {
      const hit = group[0].hit;
      const plain = group.every((c) => c.cls === "plaintext");
      // Name what registers the targets (a TargetGroupBinding, an attachment): an escape hatch there repoints the listener.
      const reg = hit.edges.find((e) => e.resource && (e.label.startsWith("TargetGroupBinding") || /_target_group_attachment$/.test(e.resource.type)))?.resource;
      const door = `${hit.entry!.label}${reg ? ` (targets registered by ${reg.address.replace(/_[0-9A-F]{8}\b/g, "")})` : ""}`;
      return {
        severity: plain && !hit.source.internet ? "error" : "critical",
        message: plain ? `listener ${door} reaches Mimir's http port without TLS; path: ${arrow(hit.path)}` : `listener ${door} reaches Mimir's internal ${portsOf(group.filter((c) => c.cls === "port"))} port; path: ${arrow(hit.path)}`,
        fix: "forward only a TLS listener (HTTPS, or TLS on an NLB) and only to Mimir's http entry (gateway or Ingress), never to grpc, memberlist or neighbour ports",
      };
    });
  },
};

const mp003: Rule = {
  id: "MP003",
  title: "HTTP listener that does not redirect to HTTPS",
  severity: "error",
  help: "Plain-HTTP listeners may only answer with a redirect to HTTPS, so remote-write credentials never cross the network in clear text.",
  related: "CKV_AWS_2",
  check(m) {
    return m.listeners
      .filter((l) => reachesMimir(m, `listener:${l.resource.address}`))
      .filter((l) => l.protocol === "HTTP" && !(l.actions.length > 0 && l.actions.every((a) => a.type === "redirect" && a.redirectProtocol === "HTTPS")))
      .map((l) => ({ resource: l.resource, message: `HTTP listener on port ${l.port ?? "?"} serves traffic instead of redirecting`, fix: "make its only default action a redirect to HTTPS (status HTTP_301)" }));
  },
};

const mp004: Rule = {
  id: "MP004",
  title: "TLS listener with a weak or missing TLS policy",
  severity: "error",
  help: "TLS listeners must require TLS 1.2 or newer.",
  related: "CKV_AWS_103, trivy AWS-0047",
  check(m) {
    return m.listeners
      .filter((l) => reachesMimir(m, `listener:${l.resource.address}`))
      .filter((l) => (l.protocol === "HTTPS" || l.protocol === "TLS") && !(typeof l.sslPolicy === "string" && TLS12_PLUS.test(l.sslPolicy)))
      .map((l) => ({ resource: l.resource, message: `${l.protocol} listener uses ${l.sslPolicy ? `policy ${l.sslPolicy}` : "no TLS policy"}, which allows TLS below 1.2`, fix: "set ssl_policy to ELBSecurityPolicy-TLS13-1-2-Res-2021-06" }));
  },
};

const mp005: Rule = {
  id: "MP005",
  title: "Kubernetes object exposes a Mimir port outside the cluster",
  severity: "error",
  help: "A LoadBalancer or NodePort Service, external IPs, a hostPort or hostNetwork on Mimir's pods, or an Ingress / Gateway route whose backend is grpc, memberlist or a neighbour's port bypasses the TLS listener. Ports are resolved by name or number to the selected pods' container ports; objects that select no Mimir pod are not Mimir's business.",
  related: "KICS 'Service type is NodePort', 'Service with external load balancer'",
  check(m) {
    return findingsFor(m, new Set(["service", "host-port", "ingress", "route"]), (group) => {
      const hit = group[0].hit;
      const kind = hit.entry!.entry;
      // An Ingress without TLS is MP006's; here only what it routes to a non-http port.
      const relevant = kind === "ingress" ? group.filter((c) => c.cls === "port") : group;
      if (relevant.length === 0) return { message: "", fix: "" };
      return {
        severity: hit.source.internet ? "critical" : "error",
        message: `${hit.entry!.label} exposes ${portsOf(relevant)}${relevant.every((c) => c.cls === "plaintext") ? " without TLS" : ""}; path: ${arrow(hit.path)}`,
        fix: kind === "ingress" || kind === "route" ? "route only to Mimir's http port (http-metrics) through a TLS entry; grpc and memberlist stay between members" : "make it ClusterIP without external IPs, nodePort, hostPort or hostNetwork; clients come in through the load balancer and the Ingress",
      };
    }).filter((f) => f.message !== "");
  },
};

const mp006: Rule = {
  id: "MP006",
  title: "Ingress without TLS",
  severity: "error",
  help: "Every Ingress (and Gateway listener) in front of Mimir must serve TLS.",
  check(m) {
    return m.graph.k8s.routes
      .filter((r) => r.kind === "Ingress" && !r.tls && reachesMimir(m, routeNodeId(r)))
      .map((r) => ({ resource: r.resource, message: `Ingress ${r.name} has no tls block; path: ${arrow(pathToMimir(m, routeNodeId(r)))}`, fix: "add tls { hosts, secret_name } for its hosts" }));
  },
};

const mp007: Rule = {
  id: "MP007",
  title: "NetworkPolicy admits every address or every pod to a Mimir port",
  severity: "error",
  help: "NetworkPolicies are additive: one rule that admits everyone undoes the rest. `ingress: [{}]`, a rule without `from`, an ip_block of 0.0.0.0/0 or ::/0 (or blocks that together cover the internet) admit every address; `namespaceSelector: {}` admits every pod of every namespace whatever `podSelector` it adds (anyone can label a pod), which no Mimir port may allow (http: every path, operator endpoints included). Only policies that select Mimir's pods (and have Ingress in policyTypes) count.",
  related: "trivy KUBE-0001",
  check(m) {
    return networkPolicyFindings(m);
  },
};

const mp008: Rule = {
  id: "MP008",
  title: "Mimir pods without a NetworkPolicy",
  severity: "warning",
  help: "The mimir-distributed chart ships no NetworkPolicies (grafana/mimir#8950); without one, every pod in the cluster reaches grpc and memberlist.",
  check(m) {
    const scope = m.graph.scope;
    const mimirDeployers = [...m.graph.mimirCharts.map((h) => h.resource), ...m.graph.k8s.services.filter((s) => s.selector !== undefined && s.selector["app.kubernetes.io/name"] === "mimir" && scope.namespaceMatches(s.namespace)).map((s) => s.resource)];
    if (mimirDeployers.length === 0) return [];
    const covered = m.graph.k8s.policies.some((p) => !p.selectorExpressions && scope.selects(p.namespace, p.podSelector) !== undefined && (p.policyTypes.length === 0 || p.policyTypes.includes("Ingress")));
    return covered ? [] : [{ resource: mimirDeployers[0], message: "no NetworkPolicy selects Mimir pods (app.kubernetes.io/name: mimir)", fix: "keep networkPolicy.enabled, or add a deny-by-default policy for Mimir pods" }];
  },
};

const mp009: Rule = {
  id: "MP009",
  title: "Memberlist opened over UDP",
  severity: "warning",
  help: "Mimir's memberlist uses dskit's TCP transport for packets and streams; the gossip port over UDP is needless exposure.",
  check(m) {
    const gossip = m.contract.ports.memberlist;
    const fromSg = m.sgRules.filter((r) => r.direction === "ingress" && r.protocol === "udp" && covers(r, gossip)).map((r) => ({ resource: r.resource, message: `memberlist ${gossip}/udp opened from ${describeSource(r.peer)}`, fix: "remove the UDP rule; gossip is TCP only" }));
    const fromSvc = m.services.filter((s) => s.ports.some((p) => p.protocol === "UDP" && (p.port === gossip || p.name === "gossip-ring"))).map((s) => ({ resource: s.resource, message: `Service ${s.name} carries memberlist over UDP`, fix: "use protocol TCP for the gossip port" }));
    return [...fromSg, ...fromSvc];
  },
};

const mp010: Rule = {
  id: "MP010",
  title: "Security group rule without a description",
  severity: "warning",
  help: "A description that names the port and the reason is how reviewers tell intended rules from accidents.",
  related: "CKV_AWS_23",
  check(m) {
    return m.sgRules.filter((r) => !r.description).map((r) => ({ resource: r.resource, message: `${r.direction} ${r.protocol} ${r.fromPort}-${r.toPort} ${r.direction === "ingress" ? "from" : "to"} ${describeSource(r.peer)} has no description`, fix: `describe the port and the reason, e.g. "mimir grpc ${m.contract.ports.grpc}/tcp from mimir members"` }));
  },
};

const mp011: Rule = {
  id: "MP011",
  title: "Egress on all ports to anywhere",
  severity: "warning",
  help: "Open egress lets a compromised pod reach anything; members need only each other and object storage.",
  related: "CKV_AWS_382, trivy AWS-0104",
  check(m) {
    return m.sgRules
      .filter((r) => r.direction === "egress" && r.peer.kind === "cidr" && isAnywhere(r.peer.cidr) && (r.protocol === "all" || (r.fromPort <= 0 && r.toPort >= 65535)))
      .map((r) => ({ resource: r.resource, message: `egress on all ports to ${(r.peer as { cidr: string }).cidr}`, fix: "limit egress to the ports and destinations the group needs" }));
  },
};

const mp012: Rule = {
  id: "MP012",
  title: "Application load balancer keeps invalid header fields",
  severity: "warning",
  help: "Dropping invalid header fields prevents request smuggling through the load balancer.",
  related: "CKV_AWS_131",
  check(m) {
    return m.loadBalancers.filter((lb) => lb.type === "application" && !lb.dropInvalidHeaderFields).map((lb) => ({ resource: lb.resource, message: "drop_invalid_header_fields is not true", fix: "set drop_invalid_header_fields = true" }));
  },
};

const mp013: Rule = {
  id: "MP013",
  title: "Target group without a health check path",
  severity: "warning",
  help: "Without a path the load balancer cannot tell a ready Mimir from a listening one; Mimir answers GET /ready.",
  related: "CKV_AWS_261",
  check(m) {
    return m.targetGroups
      .filter((tg) => (tg.protocol === "HTTP" || tg.protocol === "HTTPS") && !tg.healthCheckPath)
      .map((tg) => ({ resource: tg.resource, message: `${tg.protocol} target group has no health check path`, fix: "set health_check { path = \"/ready\" } (or the controller's health path)" }));
  },
};

const mp014: Rule = {
  id: "MP014",
  title: "Helm values move a contract port or expose Mimir",
  severity: "error",
  help: "Mimir's processes must listen where the contract says (structuredConfig and extraArgs port flags), and the chart must not add its own LoadBalancer or NodePort Services, nodePorts, external IPs, hostPorts or hostNetwork. Values are read as helm reads them: every values document (anchors, aliases, merge keys), then set / set_list / set_sensitive.",
  check(m) {
    const out: RawFinding[] = [];
    for (const h of m.graph.mimirCharts) {
      for (const { path, key, value: want } of portConfigPaths(m.contract.ports)) {
        const got = getPath(h.values, path);
        if (got !== want) out.push({ resource: h.resource, message: `mimir.structuredConfig.${key} is ${got === undefined ? "unset (chart default)" : got}, the contract says ${want}`, fix: "derive the values from the contract (mimirValues) instead of editing them" });
      }
    }
    for (const mv of m.graph.movedPorts) out.push({ resource: mv.resource, message: `${mv.path.join(".")} sets -${mv.flag}=${String(mv.value)}, moving Mimir's ${mv.name} port away from the contract's ${mv.want}`, fix: "remove the flag; set the port in the environment's ports instead" });
    out.push(
      ...findingsFor(m, new Set(["helm"]), (group) => ({
        severity: "critical",
        message: `chart values expose ${portsOf(group)}: ${group[0].hit.entry!.label.replace(`${group[0].hit.entry!.resource!.address} values `, "")}; path: ${arrow(group[0].hit.path)}`,
        fix: "keep every chart Service ClusterIP, without nodePort, hostPort or hostNetwork",
      })),
    );
    return out;
  },
};

const mp015: Rule = {
  id: "MP015",
  title: "Part of the stack is not visible to the exposure model",
  severity: "error",
  help: "Unknown is never safe: a module whose resources are not in the JSON, a dynamic block, a port or CIDR known only after apply, unreadable Helm values or a target nobody can place. Check it by hand and acknowledge it with the reason.",
  check(m) {
    return m.graph.unknowns.map((u) => ({ resource: u.resource, message: `unknown to the exposure model (not visible): ${u.reason}; path: ${arrow(u.path)}`, fix: "make the value known at synth time, or review it and acknowledge this finding with the reason", path: [...u.path] }));
  },
};

const mp016: Rule = {
  id: "MP016",
  title: "A route lets a non-public Mimir path through",
  severity: "error",
  help: "Only Mimir's public API (remote write, OTLP, the Prometheus read API, rules, Alertmanager) may leave the cluster. A listener rule or route whose path condition matches an operator endpoint (/distributor, /ingester, /config, /debug, ...), or that sends every path to a component other than the gateway, exposes it.",
  check(m) {
    // One finding per resource that applies the path condition (or the door), listing every leaked path.
    const groups = new Map<string, { resource: TfResource; leaked: Set<string>; pods: Set<string>; every: boolean; path: readonly string[] }>();
    for (const c of classified(m)) {
      if (c.cls !== "paths") continue;
      const door = c.hit.edges.filter((e) => e.paths !== undefined && e.resource).pop() ?? c.hit.edges.filter((e) => e.resource && /_listener_rule$/.test(e.resource.type)).pop() ?? c.hit.entry;
      const resource = door?.resource;
      if (!resource) continue;
      const every = c.leaked?.[0] === "every path";
      const key = `${resource.address}|${every}`;
      const g = groups.get(key) ?? { resource, leaked: new Set<string>(), pods: new Set<string>(), every, path: c.hit.path };
      for (const p of c.leaked ?? []) g.leaked.add(p);
      g.pods.add(c.hit.pods.label);
      groups.set(key, g);
    }
    return [...groups.values()].filter((g) => g.every || NON_PUBLIC_PATH_SEVERITY !== "off").map((g) => {
      const leaked = [...g.leaked].sort();
      const pods = [...g.pods].sort().join(", ");
      return {
        resource: g.resource,
        severity: g.every || NON_PUBLIC_PATH_SEVERITY === "off" ? "error" : NON_PUBLIC_PATH_SEVERITY,
        message: `${g.every ? `every path reaches ${pods}` : `non-public path(s) ${leaked.slice(0, 6).join(", ")}${leaked.length > 6 ? ` and ${leaked.length - 6} more` : ""} reach ${pods}`}; path: ${arrow(g.path)}`,
        fix: "route only the public API paths (modules/contract/public-api.ts) to Mimir",
        path: [...g.path],
      };
    });
  },
};

const CONTRACT_RESOURCE = { address: "output.mimir_port_contract", type: "output", name: "mimir_port_contract", values: {} };

const mp017: Rule = {
  id: "MP017",
  title: "Synthesized without the contract policy",
  severity: "error",
  help: "The stack was synthesized with skipValidation, so the synth-time policy did not run; `check` reports it so the skip is never silent.",
  check(m) {
    return m.contract.validation === "skipped" ? [{ resource: CONTRACT_RESOURCE, message: "the app was synthesized with skipValidation: the contract policy did not run at synth time", fix: "synthesize without skipValidation (or run `mimir-ports check` in CI and act on its findings)" }] : [];
  },
};

/** Path conditions that match operator endpoints (the chart gateway's own table is exempt until the public-API routes land, see ./reachability.ts). */
export const NON_PUBLIC_PATH_SEVERITY: Severity | "off" = "error";

export const RULES: readonly Rule[] = [mp001, mp002, mp003, mp004, mp005, mp006, mp007, mp008, mp009, mp010, mp011, mp012, mp013, mp014, mp015, mp016, mp017, mp018, mp019];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
