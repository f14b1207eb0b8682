/**
 * Mimir is what the release creates (issue 30, item 1): Mimir's pods are the chart release's, or the stack's own
 * workloads the contract output names (`workloads`); the data plane's proxies are what the Gateway's
 * implementation creates. Any other workload in the stack (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
 * CronJob, Pod; typed or manifest) whose pod template carries the labels a SecurityGroupPolicy or NetworkPolicy
 * trusts as Mimir's (or as the entry's proxies), in that namespace, impersonates them: an untrusted source that
 * gains what those selectors give (the members group, NetworkPolicy admission).
 */
import type { Graph } from "./graph";
import type { K8sObjects, KWorkload, Labels } from "./k8s-objects";
import type { MimirScope } from "./mimir-scope";
import { restrictsIngress, rulePorts } from "./pod-peers";
import type { TfResource } from "../terraform-json";

const labelText = (l: Labels) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(",");
const wears = (w: KWorkload, selector: Labels | undefined) => selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => w.podLabels[k] === v);

export interface ImpersonationContext {
  readonly g: Graph;
  readonly k8s: K8sObjects;
  readonly scope: MimirScope;
  readonly resolveNs: (v: string | undefined) => string | undefined;
  /** Mimir's identity is provable: a chart release, or workloads the contract names. */
  readonly release: boolean;
  /** Addresses of the stack's own Mimir workloads. */
  readonly own: ReadonlySet<string>;
  /** Label sets of the entry's proxies in the data plane's namespace (NetworkPolicy peers trusted as the data plane). */
  readonly proxies: ReadonlyArray<{ readonly namespace: string; readonly labels: Labels }>;
  /** Ports the members group admits from itself (what the group gives). */
  readonly memberPorts: readonly number[];
}

export function addImpersonators(cx: ImpersonationContext): void {
  const { g, k8s, scope } = cx;
  const pods = scope.podsNode("*");
  const ports = pods.mimir!.ports.map((p) => p.port);
  const sameNs = (a: string | undefined, b: string | undefined) => cx.resolveNs(a ?? "default") === cx.resolveNs(b ?? "default");
  const mimirSgps = k8s.sgPolicies.filter((p) => p.podSelector !== undefined && Object.keys(p.podSelector).length > 0 && scope.selects(p.namespace, p.podSelector) !== undefined);
  const selecting = k8s.policies.filter((p) => restrictsIngress(p) && scope.selects(p.namespace, p.podSelector) !== undefined);
  for (const w of k8s.workloads) {
    if (cx.own.has(w.resource.address)) continue;
    const gains = new Map<number, { label: string; resource: TfResource }>();
    const gain = (port: number, label: string, resource: TfResource) => void (gains.has(port) ? undefined : gains.set(port, { label, resource }));
    const asMimir = cx.release && scope.namespaceMatches(w.namespace);
    if (asMimir) {
      for (const p of mimirSgps) {
        if (!sameNs(p.namespace, w.namespace) || !wears(w, p.podSelector)) continue;
        for (const port of cx.memberPorts) gain(port, `SecurityGroupPolicy ${p.name} (${p.resource.address}) selects ${labelText(p.podSelector!)}: it gets sg ${p.groups.join(", ")}, Mimir's members group`, p.resource);
      }
    }
    for (const p of selecting) {
      p.ingress.forEach((rule, i) => {
        for (const f of rule.from) {
          if (f.ipBlock !== undefined || f.podSelector === undefined || !wears(w, f.podSelector)) continue;
          const peerNs = f.namespaceSelector === undefined ? p.namespace : f.namespaceSelector["kubernetes.io/metadata.name"];
          if (peerNs === undefined || !sameNs(peerNs, w.namespace)) continue;
          const mimirPeer = asMimir && scope.selects(peerNs, f.podSelector) !== undefined;
          const proxyPeer = cx.proxies.some((x) => sameNs(x.namespace, w.namespace) && Object.entries(f.podSelector!).every(([k, v]) => x.labels[k] === v));
          if (!mimirPeer && !proxyPeer) continue;
          for (const port of rulePorts(rule, ports, (n) => scope.portByName(n))) gain(port, `NetworkPolicy ${p.name} ingress[${i}] (${p.resource.address}) admits ${labelText(f.podSelector)} as ${mimirPeer ? "Mimir's own pods" : "the entry's proxies"}`, p.resource);
        }
      });
    }
    if (gains.size === 0) continue;
    const ns = cx.resolveNs(w.namespace ?? "default") ?? w.namespace ?? "default";
    const id = `interior:impersonator:${w.resource.address}`;
    g.node({ id, kind: "source", untrusted: true, label: `${w.kind} ${ns}/${w.name} wearing ${asMimir && [...gains.values()].some((x) => /Mimir/.test(x.label)) ? "Mimir's" : "the proxies'"} labels (${w.resource.address.includes(" values extraObjects[") ? "rendered from the chart's extraObjects, not one of Mimir's components" : `not created by ${asMimir ? "the release" : "the Gateway's implementation"}`})` });
    for (const [port, why] of gains) {
      const hop = g.node({ id: `${id}|${port}`, kind: "hop", label: `impersonating on ${port}` });
      g.edge({ from: id, to: hop.id, accept: [port, port], proto: "tcp", label: `${w.kind} ${ns}/${w.name} (${w.resource.address}) carries ${labelText(w.podLabels)}`, resource: w.resource, entry: "interior", tls: false });
      g.edge({ from: hop.id, to: pods.id, out: port, label: why.label, resource: w.resource });
    }
  }
}
