import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { ConfigMapV1 } from "../../platform/kubernetes";
import { StatefulSetV1Json } from "../../platform/kubernetes";
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
 * The StatefulSet is written as Terraform attributes, without the provider's
 * class (platform/kubernetes-stateful-set: 85 ms of loading saved per synth).
 */
export class MimirMonolithic extends Construct {
  readonly configMap: ConfigMapV1;
  readonly statefulSet: StatefulSetV1Json;

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
    // Terraform's attribute names (snake_case), as the synthesized JSON has them: see platform/kubernetes-stateful-set.
    this.statefulSet = new StatefulSetV1Json(this, "statefulset", {
      metadata: { name, namespace: props.namespace, labels },
      spec: {
        replicas: "1",
        service_name: monolithicServiceName(env.fullname, true),
        pod_management_policy: "Parallel",
        selector: { match_labels: componentSelector(env.release, MONOLITHIC_COMPONENT) },
        template: {
          // A config change rolls the pod.
          metadata: { labels: podLabels, annotations: { "checksum/config": createHash("sha256").update(config).digest("hex") } },
          spec: {
            security_context: {
              run_as_non_root: true,
              run_as_user: String(MIMIR_USER),
              run_as_group: String(MIMIR_USER),
              fs_group: String(MIMIR_USER),
              seccomp_profile: { type: "RuntimeDefault" },
            },
            automount_service_account_token: false,
            termination_grace_period_seconds: 240,
            container: [
              {
                name: "mimir",
                image: settings.image ?? MIMIR_IMAGE,
                args: ["-target=all", `-config.file=${CONFIG_DIR}/${CONFIG_FILE}`],
                port: [http, grpc, memberlist].map((p) => ({ name: containerPortName(p), container_port: p.port, protocol: p.protocol })),
                readiness_probe: { http_get: { path: "/ready", port: containerPortName(http) }, initial_delay_seconds: 45 },
                security_context: { read_only_root_filesystem: true, allow_privilege_escalation: false, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "100m", memory: "512Mi" } },
                volume_mount: [
                  { name: "config", mount_path: CONFIG_DIR, read_only: true },
                  { name: "storage", mount_path: DATA_DIR },
                  { name: "active-queries", mount_path: ACTIVE_QUERY_DIR },
                ],
              },
            ],
            volume: [
              { name: "config", config_map: { name: this.configMap.metadata.name } },
              { name: "active-queries", empty_dir: {} },
            ],
          },
        },
        volume_claim_template: [
          {
            metadata: { name: "storage" },
            spec: {
              access_modes: ["ReadWriteOnce"],
              ...(settings.storageClass ? { storage_class_name: settings.storageClass } : {}),
              resources: { requests: { storage: settings.storageSize } },
            },
          },
        ],
      },
    });
  }
}
