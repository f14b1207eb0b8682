import { Construct } from "constructs";
import { NetworkPolicyV1 } from "../platform/kubernetes";
import type { Environment } from "../config/environment";
import { chartNeighbours, rolloutOperatorSelector, runningNeighbours } from "../helm/chart-pods";
import { KUBERNETES_API_PORT, ROLLOUT_OPERATOR_PORTS } from "../contract/chart-companion-ports";
import { entryProxySelector } from "./data-plane/mimir-data-plane";
import { commonLabels, releaseSelector } from "./naming";
import { recordContractUse } from "../contract/contract-hook";
import type { InternalPortName } from "../contract/port-contract";

const tcp = (port: number) => ({ port: String(port), protocol: "TCP" });
const nsSelector = (namespace: string) => ({ matchLabels: { "kubernetes.io/metadata.name": namespace } });

/**
 * NetworkPolicies the chart lacks (grafana/mimir#8950). Mimir pods deny
 * ingress by default; http is admitted from the ingress controller, from
 * Mimir pods, from the monitoring namespace and (when the load balancer
 * targets pods directly) from the load balancer's subnets; grpc and
 * memberlist only from Mimir pods. What the chart runs beside Mimir gets
 * exactly what it needs: the rollout-operator reaches the http port
 * (`grafana.com/prepare-downscale-http-port`) of the ingester and
 * store-gateway pods it prepares for downscale; monitoring reaches the
 * memcached exporters' metrics port; members reach Kafka and memcached only
 * when they run. Policies are additive, so each allow is its own object with
 * one reason.
 *
 * Egress stays open unless `networkPolicy.restrictEgress` is set: Mimir talks
 * to object storage, DNS and often OTel/tracing endpoints whose addresses
 * vary by cluster, and a wrong egress policy takes the ring down; restricted
 * egress allows members, cluster DNS and HTTPS only.
 */
export class MimirNetworkPolicies extends Construct {
  readonly policies: NetworkPolicyV1[] = [];

  constructor(scope: Construct, id: string, props: { readonly environment: Environment; readonly namespace: string }) {
    super(scope, id);
    const env = props.environment;
    recordContractUse(this, env);
    // Both numbers of a port in transition: old and new pods listen side by side during the rollout.
    const admitted = (name: InternalPortName) => env.contract.admitted(name).map(tcp);
    const mimirPods = { matchLabels: releaseSelector(env.release) };
    const metadata = (suffix: string) => ({ name: `${env.fullname}-${suffix}`, namespace: props.namespace, labels: commonLabels(env) });

    // The named monitoring pods (their namespace, and their labels when given).
    const monitoring = env.monitoring && { namespaceSelector: nsSelector(env.monitoring.namespace), ...(env.monitoring.podLabels ? { podSelector: { matchLabels: env.monitoring.podLabels } } : {}) };
    const restrictEgress = env.networkPolicy.restrictEgress;
    // Every pod of Mimir's namespace (the rollout-operator, anything else there too), not only Mimir's:
    // ingress always, egress when Mimir's needs are known (restrictEgress). The allows below are all there is.
    this.policies.push(
      new NetworkPolicyV1(this, "default-deny", {
        metadata: metadata("default-deny"),
        spec: { podSelector: {}, policyTypes: restrictEgress ? ["Ingress", "Egress"] : ["Ingress"] },
      }),
    );

    const httpFrom: Array<Record<string, unknown>> = [{ podSelector: mimirPods }];
    // The entry's in-cluster proxy: the ingress controller, or the proxies of the one Gateway Mimir's routes attach to.
    const proxies = entryProxySelector(env) ?? env.entry.controller?.podLabels;
    if (env.entry.controller && proxies) {
      httpFrom.push({ namespaceSelector: nsSelector(env.entry.controller.namespace), podSelector: { matchLabels: proxies } });
    }
    if (monitoring) httpFrom.push(monitoring);
    if (env.loadBalancer.target.kind === "mimir") {
      for (const cidr of env.networkPolicy.loadBalancerCidrs) httpFrom.push({ ipBlock: { cidr } });
    }
    this.policies.push(
      new NetworkPolicyV1(this, "allow-http", {
        metadata: metadata("allow-http"),
        spec: { podSelector: mimirPods, policyTypes: ["Ingress"], ingress: [{ from: httpFrom, ports: admitted("http") }] },
      }),
    );
    const chart = chartNeighbours(env);
    const running = runningNeighbours(env);
    const kafka = env.contract.neighbours.filter((n) => n.name.startsWith("kafka") && running.includes(n.name));
    const memcached = env.contract.neighbours.filter((n) => n.name === "memcached" && running.includes(n.name));
    this.policies.push(
      new NetworkPolicyV1(this, "allow-members", {
        metadata: metadata("allow-grpc-memberlist"),
        spec: {
          podSelector: mimirPods,
          policyTypes: ["Ingress"],
          // grpc, gossip, and the chart's neighbours on Mimir pods when they run (Kafka, memcached): members only.
          ingress: [{ from: [{ podSelector: mimirPods }], ports: [...admitted("grpc"), ...admitted("memberlist"), ...[...kafka, ...memcached].map((n) => tcp(n.port))] }],
        },
      }),
    );

    if (chart.prepareDownscale.length > 0) {
      // The rollout-operator calls prepare-downscale endpoints on the http port of the StatefulSets labelled grafana.com/prepare-downscale.
      this.policies.push(
        new NetworkPolicyV1(this, "allow-rollout-operator", {
          metadata: metadata("allow-rollout-operator"),
          spec: {
            podSelector: { matchLabels: releaseSelector(env.release), matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: [...chart.prepareDownscale] }] },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ podSelector: { matchLabels: rolloutOperatorSelector(env.release) } }], ports: admitted("http") }],
          },
        }),
      );
    }

    if (chart.rolloutOperator) {
      const ro = ROLLOUT_OPERATOR_PORTS;
      this.policies.push(
        new NetworkPolicyV1(this, "allow-rollout-operator-webhooks", {
          metadata: metadata("allow-rollout-operator-webhooks"),
          spec: {
            podSelector: { matchLabels: rolloutOperatorSelector(env.release) },
            policyTypes: ["Ingress"],
            ingress: [
              // The Kubernetes API server calls the admission webhooks; its addresses are not pods, so any source on that port.
              { ports: [tcp(ro.webhooks)] },
              ...(monitoring ? [{ from: [monitoring], ports: [tcp(ro.metrics)] }] : []),
            ],
          },
        }),
      );
    }

    if (chart.memcachedExporter && monitoring) {
      const exporter = env.contract.exporters.find((e) => e.name === "memcached-exporter")!;
      this.policies.push(
        new NetworkPolicyV1(this, "allow-exporter-metrics", {
          metadata: metadata("allow-exporter-metrics"),
          spec: {
            podSelector: { matchLabels: releaseSelector(env.release), matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: chart.caches }] },
            policyTypes: ["Ingress"],
            ingress: [{ from: [monitoring], ports: [tcp(exporter.port)] }],
          },
        }),
      );
    }

    if (restrictEgress) {
      const dns = env.contract.dependencies.dns;
      const dnsPorts = [{ port: String(dns), protocol: "UDP" }, tcp(dns)];
      if (chart.rolloutOperator) {
        this.policies.push(
          new NetworkPolicyV1(this, "rollout-operator-egress", {
            metadata: metadata("rollout-operator-egress"),
            spec: {
              podSelector: { matchLabels: rolloutOperatorSelector(env.release) },
              policyTypes: ["Egress"],
              egress: [
                { to: [{ namespaceSelector: nsSelector("kube-system") }], ports: dnsPorts },
                // The Kubernetes API (its endpoint addresses are not pods).
                { ports: [tcp(KUBERNETES_API_PORT)] },
                // prepare-downscale calls on the http port of the components it scales.
                ...(chart.prepareDownscale.length > 0 ? [{ to: [{ podSelector: { matchLabels: releaseSelector(env.release), matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: [...chart.prepareDownscale] }] } }], ports: admitted("http") }] : []),
              ],
            },
          }),
        );
      }
      this.policies.push(
        new NetworkPolicyV1(this, "restrict-egress", {
          metadata: metadata("restrict-egress"),
          spec: {
            podSelector: mimirPods,
            policyTypes: ["Egress"],
            egress: [
              { to: [{ podSelector: mimirPods }], ports: [...env.contract.admittedInternal, ...kafka, ...memcached].map((p) => tcp(p.port)) },
              { to: [{ namespaceSelector: nsSelector("kube-system") }], ports: dnsPorts },
              // Object storage: HTTPS to any address (S3 endpoints have no stable in-cluster selector).
              { ports: [tcp(env.contract.dependencies.objectStorage)] },
            ],
          },
        }),
      );
    }
  }
}
