/**
 * The contract policy: rules over the exposure model. IDs are stable. The
 * checkov/trivy/KICS IDs in `related` are the public checks each one echoes;
 * none of those knows Mimir's ports, which is why MP001/MP002/MP005 exist.
 */
import { isAnywhere } from "../contract/cidr";
import { covers, describeSource, internalPorts, type ExposureModel } from "../exposure/model";
import { exposingServiceTypes, portConfigPaths } from "../helm/values";
import { getPath } from "../shared/objects";
import type { RawFinding, Rule } from "./types";
import { mp018 } from "./auth-rule";

// Minimum version in the name: TLS13-1-2 / TLS13-1-3 / TLS-1-2 / FS-1-2 allow nothing below 1.2 (TLS13-1-0, TLS13-1-1 do).
export const TLS12_PLUS = /(TLS13-1-[23]|TLS-1-[23]|FS-1-2)(-|$)/;
const CONTRACT_PORT_NAMES = new Set(["http-metrics", "grpc", "gossip-ring"]);

const mp001: Rule = {
  id: "MP001",
  title: "Internal Mimir port reachable from a CIDR",
  severity: "error",
  help: "Mimir's http, grpc and memberlist ports are internal: only Mimir members, the load balancer's group and named monitoring groups may reach them. A CIDR (or prefix list) source opens them to addresses nobody reviewed; 0.0.0.0/0 or ::/0 opens them to the internet.",
  related: "KICS 'sensitive port is exposed' (lists Mimir's default http port); checkov has no equivalent for Mimir's ports",
  check(m) {
    const out: RawFinding[] = [];
    for (const r of m.sgRules) {
      if (r.direction !== "ingress" || (r.peer.kind !== "cidr" && r.peer.kind !== "prefix-list")) continue;
      if (r.protocol !== "tcp" && r.protocol !== "all" && r.protocol !== "udp") continue;
      const hit = internalPorts(m).filter(([, port]) => covers(r, port));
      if (hit.length === 0) continue;
      const anywhere = r.peer.kind === "cidr" && isAnywhere(r.peer.cidr);
      const how = r.protocol === "all" ? "an all-protocol rule" : r.fromPort !== r.toPort ? `port range ${r.fromPort}-${r.toPort}` : `${r.protocol}/${r.fromPort}`;
      out.push({
        resource: r.resource,
        severity: anywhere ? "critical" : "error",
        message: `${hit.map(([n, p]) => `${n} ${p}`).join(", ")} reachable from ${describeSource(r.peer)} through ${how}${r.inline ? " (inline rule)" : ""}`,
        fix: "remove the rule; reach Mimir through the load balancer's TLS listener, or allow a security group instead of a CIDR",
      });
    }
    return out;
  },
};

const mp002: Rule = {
  id: "MP002",
  title: "Load balancer listener on an internal Mimir port",
  severity: "critical",
  help: "The only way in is the TLS listener; a listener on http, grpc or memberlist publishes an internal port.",
  check(m) {
    return m.listeners.flatMap((l) => {
      const hit = internalPorts(m).find(([, p]) => p === l.port);
      return hit ? [{ resource: l.resource, message: `listener on Mimir's internal ${hit[0]} port ${hit[1]}`, fix: "listen on the public HTTPS port and forward to the target group instead" }] : [];
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
      .filter((l) => (l.protocol === "HTTPS" || l.protocol === "TLS") && !(typeof l.sslPolicy === "string" && TLS12_PLUS.test(l.sslPolicy)))
      .map((l) => ({ resource: l.resource, message: `${l.protocol} listener uses ${l.sslPolicy ? `policy ${l.sslPolicy}` : "no TLS policy"}, which allows TLS below 1.2`, fix: "set ssl_policy to ELBSecurityPolicy-TLS13-1-2-2021-06" }));
  },
};

const mp005: Rule = {
  id: "MP005",
  title: "Kubernetes Service exposes a Mimir port outside the cluster",
  severity: "error",
  help: "A LoadBalancer or NodePort Service, or one with external IPs, carrying a contract port bypasses the TLS listener.",
  related: "KICS 'Service type is NodePort', 'Service with external load balancer'",
  check(m) {
    const ports = new Set(internalPorts(m).map(([, p]) => p));
    return m.services.flatMap((s) => {
      const exposed = s.type === "LoadBalancer" || s.type === "NodePort" || s.externalIps.length > 0;
      if (!exposed) return [];
      const carried = s.ports.filter((p) => (p.port !== undefined && ports.has(p.port)) || (p.targetPort !== undefined && (ports.has(Number(p.targetPort)) || CONTRACT_PORT_NAMES.has(p.targetPort))) || (p.name !== undefined && CONTRACT_PORT_NAMES.has(p.name)));
      if (carried.length === 0) return [];
      const how = s.externalIps.length > 0 && s.type === "ClusterIP" ? `external IPs ${s.externalIps.join(", ")}` : `type ${s.type}`;
      return [{ resource: s.resource, severity: s.type === "LoadBalancer" ? "critical" : "error", message: `Service ${s.name} (${how}) carries ${carried.map((p) => p.name ?? p.port).join(", ")}`, fix: "make it ClusterIP without external IPs; clients come in through the load balancer and the Ingress" }];
    });
  },
};

const mp006: Rule = {
  id: "MP006",
  title: "Ingress without TLS",
  severity: "error",
  help: "Every Ingress in front of Mimir must serve TLS.",
  check(m) {
    return m.ingresses.filter((i) => !i.hasTls).map((i) => ({ resource: i.resource, message: `Ingress ${i.name} has no tls block`, fix: "add tls { hosts, secret_name } for its hosts" }));
  },
};

const mp007: Rule = {
  id: "MP007",
  title: "NetworkPolicy admits every address",
  severity: "error",
  help: "An ip_block of 0.0.0.0/0 or ::/0 undoes the policy.",
  related: "trivy KUBE-0001",
  check(m) {
    return m.networkPolicies.flatMap((p) =>
      p.ingress.flatMap((rule) => rule.from.filter((f) => f.kind === "ip-block" && isAnywhere(f.cidr)).map((f) => ({ resource: p.resource, message: `NetworkPolicy ${p.name} admits ip_block ${(f as { cidr: string }).cidr}`, fix: "name the namespaces, pods or narrow CIDRs that need access" }))),
    );
  },
};

const mp008: Rule = {
  id: "MP008",
  title: "Mimir pods without a NetworkPolicy",
  severity: "warning",
  help: "The mimir-distributed chart ships no NetworkPolicies (grafana/mimir#8950); without one, every pod in the cluster reaches grpc and memberlist.",
  check(m) {
    const mimirDeployers = [...m.helmReleases.filter((h) => h.chart.includes("mimir")).map((h) => h.resource), ...m.services.filter((s) => s.selector["app.kubernetes.io/name"] === "mimir").map((s) => s.resource)];
    if (mimirDeployers.length === 0) return [];
    // An empty pod selector selects every pod of its namespace, Mimir's included.
    const covered = m.networkPolicies.some((p) => (Object.keys(p.podSelector).length === 0 || p.podSelector["app.kubernetes.io/name"] === "mimir") && (p.policyTypes.length === 0 || p.policyTypes.includes("Ingress")));
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
  help: "Mimir's processes must listen where the contract says, and the chart must not add its own LoadBalancer or NodePort Services.",
  check(m) {
    const out: RawFinding[] = [];
    for (const h of m.helmReleases.filter((x) => x.chart.includes("mimir") && x.values)) {
      for (const { path, key, value: want } of portConfigPaths(m.contract.ports)) {
        const got = getPath(h.values, path);
        if (got !== want) out.push({ resource: h.resource, message: `mimir.structuredConfig.${key} is ${got === undefined ? "unset (chart default)" : got}, the contract says ${want}`, fix: "derive the values from the contract (mimirValues) instead of editing them" });
      }
      const exposing = exposingServiceTypes(h.values).map((x) => `"${x.value}"`);
      if (exposing.length > 0) out.push({ resource: h.resource, severity: "critical", message: `chart values set Service ${exposing.join(", ")}`, fix: "keep every chart Service ClusterIP" });
    }
    return out;
  },
};

export const RULES: readonly Rule[] = [mp001, mp002, mp003, mp004, mp005, mp006, mp007, mp008, mp009, mp010, mp011, mp012, mp013, mp014, mp018];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
