import { stringify } from "yaml";
import type { Environment } from "../../config/environment";
import { mimirGuardConfig } from "../../config/mimir-guards";
import { gossipJoinMembers } from "../../helm/gossip-join";

/** Where the monolithic pod keeps everything: one PVC mounted here. */
export const DATA_DIR = "/data";
/** Where the ConfigMap is mounted. */
export const CONFIG_DIR = "/etc/mimir";
export const CONFIG_FILE = "mimir.yaml";
/** The chart's active query tracker path (an emptyDir: the root filesystem is read-only). */
export const ACTIVE_QUERY_DIR = "/active-query-tracker";

/**
 * Mimir's configuration for one `-target=all` replica, from the contract:
 * the three ports at their config keys, gossip joining through the gossip-ring
 * Service, every ring at replication factor 1 (one replica), the classic
 * architecture (no Kafka), and filesystem storage on the pod's volume, so no
 * object store and no credential is needed.
 */
export function monolithicConfig(env: Environment, namespace: string): Record<string, unknown> {
  const { http, grpc, memberlist } = env.contract;
  const dir = (name: string) => `${DATA_DIR}/${name}`;
  const guards = mimirGuardConfig(env) as { memberlist: Record<string, unknown>; limits: Record<string, unknown> };
  return {
    target: "all",
    server: { http_listen_port: http.port, grpc_listen_port: grpc.port },
    memberlist: {
      bind_port: memberlist.port,
      advertise_port: memberlist.port,
      join_members: gossipJoinMembers(env.contract, env.fullname, namespace),
      ...guards.memberlist,
    },
    limits: guards.limits,
    ingest_storage: { enabled: false },
    activity_tracker: { filepath: `${ACTIVE_QUERY_DIR}/activity.log` },
    blocks_storage: {
      backend: "filesystem",
      filesystem: { dir: dir("blocks") },
      tsdb: { dir: dir("tsdb") },
      bucket_store: { sync_dir: dir("tsdb-sync") },
    },
    ruler_storage: { backend: "filesystem", filesystem: { dir: dir("rules") } },
    alertmanager_storage: { backend: "filesystem", filesystem: { dir: dir("alertmanager-state") } },
    alertmanager: { data_dir: dir("alertmanager"), external_url: "/alertmanager", sharding_ring: { replication_factor: 1 } },
    compactor: { data_dir: dir("compactor") },
    ruler: { rule_path: dir("ruler") },
    ingester: { ring: { replication_factor: 1, tokens_file_path: dir("tokens") } },
    store_gateway: { sharding_ring: { replication_factor: 1 } },
  };
}

export function monolithicConfigYaml(env: Environment, namespace: string): string {
  return stringify(monolithicConfig(env, namespace), { lineWidth: 0 });
}
