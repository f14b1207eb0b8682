import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { ConfigMapV1 } from "../../platform/kubernetes";
import { StatefulSetV1 } from "../../platform/kubernetes";
import type { Environment } from "../../config/environment";
import { MIMIR_IMAGE } from "../../helm/chart";
import { containerPortName } from "../../helm/chart-pods";
import { commonLabels, componentSelector, MONOLITHIC_COMPONENT, monolithicServiceName, ringMemberSelector } from "../naming";
import { ACTIVE_QUERY_DIR, CONFIG_DIR, CONFIG_FILE, DATA_DIR, monolithicConfigYaml } from "./config";

/** The pod labels of the monolithic workload: what its Services and the gossip ring select. */
export function monolithicPodLabels(env: Environment): Record<string, string> {
  return { ...componentSelector(env.release, MONOLITHIC_COMPONENT), ...ringMemberSelector(env.release) };
}

/** The chart's pod security defaults (mimir-distributed `rbac.podSecurityContext`). */
const MIMIR_USER = 10001;

/**
 * Mimir in monolithic mode (`-target=all`), created from the contract: a
 * ConfigMap with the config, and a one-replica StatefulSet with named
 * container ports (`http-metrics`, `grpc`, `memberlist`), a `/ready` readiness
 * probe on http, and a PVC for filesystem storage. The Services we create
 * (`<fullname>`, `<fullname>-headless`, the gossip ring) select its pods, so
 * it answers behind the same entry path as the chart's gateway would.
 */
export class MimirMonolithic extends Construct {
  readonly configMap: ConfigMapV1;
  readonly statefulSet: StatefulSetV1;

  constructor(scope: Construct, id: string, props: { readonly environment: Environment; readonly namespace: string }) {
    super(scope, id);
    const env = props.environment;
    const settings = env.monolithic ?? { create: true, storageSize: "10Gi" };
    const { http, grpc, memberlist } = env.contract;
    const name = monolithicServiceName(env.fullname);
    const labels = { ...commonLabels(env), "app.kubernetes.io/component": MONOLITHIC_COMPONENT };
    const config = monolithicConfigYaml(env, env.namespace);

    this.configMap = new ConfigMapV1(this, "config", {
      metadata: { name: `${name}-config`, namespace: props.namespace, labels },
      data: { [CONFIG_FILE]: config },
    });

    const podLabels = monolithicPodLabels(env);
    this.statefulSet = new StatefulSetV1(this, "statefulset", {
      metadata: { name, namespace: props.namespace, labels },
      spec: {
        replicas: "1",
        serviceName: monolithicServiceName(env.fullname, true),
        podManagementPolicy: "Parallel",
        selector: { matchLabels: componentSelector(env.release, MONOLITHIC_COMPONENT) },
        template: {
          // A config change rolls the pod.
          metadata: { labels: podLabels, annotations: { "checksum/config": createHash("sha256").update(config).digest("hex") } },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: String(MIMIR_USER), runAsGroup: String(MIMIR_USER), fsGroup: String(MIMIR_USER), seccompProfile: { type: "RuntimeDefault" } },
            automountServiceAccountToken: false,
            terminationGracePeriodSeconds: 240,
            container: [
              {
                name: "mimir",
                image: settings.image ?? MIMIR_IMAGE,
                args: ["-target=all", `-config.file=${CONFIG_DIR}/${CONFIG_FILE}`],
                port: [http, grpc, memberlist].map((p) => ({ name: containerPortName(p), containerPort: p.port, protocol: p.protocol })),
                readinessProbe: { httpGet: { path: "/ready", port: containerPortName(http) }, initialDelaySeconds: 45 },
                securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "100m", memory: "512Mi" } },
                volumeMount: [
                  { name: "config", mountPath: CONFIG_DIR, readOnly: true },
                  { name: "storage", mountPath: DATA_DIR },
                  { name: "active-queries", mountPath: ACTIVE_QUERY_DIR },
                ],
              },
            ],
            volume: [
              { name: "config", configMap: { name: this.configMap.metadata.name } },
              { name: "active-queries", emptyDir: {} },
            ],
          },
        },
        volumeClaimTemplate: [
          {
            metadata: { name: "storage" },
            spec: {
              accessModes: ["ReadWriteOnce"],
              ...(settings.storageClass ? { storageClassName: settings.storageClass } : {}),
              resources: { requests: { storage: settings.storageSize } },
            },
          },
        ],
      },
    });
  }
}
