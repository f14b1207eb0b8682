/**
 * MP019: an untrusted source inside the cluster reaches a Mimir port (issue
 * 20). Sources: nodes and pods that use the nodes' groups, pods in other
 * namespaces, pods in Mimir's namespace that are not Mimir's, whole namespaces
 * a NetworkPolicy admits, pods a SecurityGroupPolicy or launch template gives
 * Mimir's members group. grpc, memberlist, neighbours' ports and http (every
 * path: nothing filters paths on this way) are errors; a node reaching http
 * only through the nodes' http rule (kubelet probes) is a warning (a
 * hostNetwork pod on a node can use it too), and so is the environment's
 * monitoring namespace admitted whole on http where it is allowed (not
 * production-like, monitoring.podLabels unset: config warns).
 */
import { INTERIOR_DOORS } from "../exposure/graph/graph";
import { nodeGroupName, podsSourceId } from "../exposure/graph/interior-sources";
import { wholeNamespaceKeys } from "../exposure/graph/pod-peers";
import type { ExposureModel, Hit } from "../exposure/model";
import { arrow } from "./reachability";
import type { RawFinding, Rule } from "./types";

export const INTERIOR_RULE_ID = "MP019";

const FIX = "give Mimir's pods only the members group (not the cluster or node group; the nodes' group admitted on http only, for kubelet probes), keep the members group on Mimir's pods alone, and admit http only from the load balancer, the data plane and named monitoring pods (NetworkPolicy peers by namespace name and pod labels, never namespaceSelector: {})";

/** The group the kubelet-probe rule admits (`var.cluster_security_group_id`, `var.node_security_group_id`). */
function probeGroupOf(m: ExposureModel, hit: Hit): string {
  const peer = m.sgRules.find((r) => r.resource.address === hit.entry?.resource?.address)?.peer;
  return peer?.kind === "security-group" ? peer.ref : "a nodes' group";
}

export const mp019: Rule = {
  id: INTERIOR_RULE_ID,
  title: "Untrusted source inside the cluster reaches a Mimir port",
  severity: "error",
  help: "Only Mimir's own pods, the named monitoring pods and the designed entry (load balancer → data plane → Mimir) are trusted. Pods in other namespaces, pods in Mimir's namespace that are not Mimir's, nodes and everything that carries the cluster or node security groups, whole namespaces a NetworkPolicy admits, and pods given the members group are not: reaching grpc, memberlist or http (every path, operator endpoints included) from them is an error. Both layers are read: the security groups on Mimir's pods and the NetworkPolicies that select them.",
  check(m) {
    const groups = new Map<string, Hit[]>();
    for (const hit of m.graph.hits) {
      const door = hit.entry;
      if (!door?.resource || !door.entry || !INTERIOR_DOORS.has(door.entry)) continue;
      if (door.entry === "data-plane" && hit.port.contractName === "http") continue; // MP018: authentication skipped
      const key = `${door.resource.address}|${hit.source.id}`;
      const list = groups.get(key);
      if (list) list.push(hit);
      else groups.set(key, [hit]);
    }
    // The environment's monitoring namespace admitted whole (no podLabels, not production-like): a declared, warned choice.
    const ns = m.contract.monitoring?.namespace;
    const declaredMonitoring = ns === undefined ? undefined : new Set(wholeNamespaceKeys(ns).map(podsSourceId));
    const out: RawFinding[] = [];
    for (const hits of groups.values()) {
      const first = hits.find((h) => h.port.contractName !== "http") ?? hits[0];
      const ports = [...new Set(hits.map((h) => `${h.port.contractName} ${h.port.port}`))].join(", ");
      const probe = hits.every((h) => h.entry!.entry === "interior-probe" && h.port.contractName === "http");
      const declared = declaredMonitoring !== undefined && hits.every((h) => h.port.contractName === "http" && declaredMonitoring.has(h.source.id));
      out.push({
        resource: first.entry!.resource!,
        severity: probe || declared ? "warning" : "error",
        message: probe
          ? `${first.source.label.replace(/ \(.*\)$/, "")} reaches Mimir's ${ports} through the rule from ${nodeGroupName(probeGroupOf(m, first))}: by design, for kubelet probes (hostNetwork pods can use it too); path: ${arrow(first.path)}`
          : declared
            ? `${first.source.label} reaches Mimir's ${ports}, operator endpoints included: the environment admits its monitoring namespace whole (monitoring.podLabels is not set; refused when productionLike); path: ${arrow(first.path)}`
            : `${first.source.label} reaches Mimir's ${ports}${hits.some((h) => h.port.contractName === "http") ? " (http: every path, operator endpoints included)" : ""}; path: ${arrow(first.path)}`,
        // By design: nothing to change; the acknowledgement the summary and the comment print silences it.
        fix: probe ? "nothing to change (kubelet probes need it); to silence it, add the acknowledgement printed with it to the environment's acknowledgements" : FIX,
        path: first.path,
      });
    }
    return out;
  },
};
