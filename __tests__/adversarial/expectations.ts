/** Regexes for what a finding must name; loose enough to leave the engine its wording. */

/** Mimir's ports (default contract), by number or chart port name. */
export const PORT = {
  http: /\b8080\b|http-metrics/,
  grpc: /\b9095\b|\bgrpc\b/,
  gossip: /\b7946\b|memberlist/,
  kafka: /\b9092\b|kafka/,
  /** Any internal port. */
  any: /\b(8080|9095|7946|9092|9093|11211)\b|http-metrics|\bgrpc\b|memberlist/,
};

export const SRC = {
  internet: /0\.0\.0\.0\/0|::\/0|anywhere|internet|public/i,
  /** A set of CIDRs that together are the internet. */
  internetSet: /0\.0\.0\.0\/0|::\/0|anywhere|internet|0\.0\.0\.0\/1|128\.0\.0\.0\/1|::\/1|8000::\/1|0\.0\.0\.0\/2/i,
  /** Outside the cluster through a node port. */
  nodePort: /NodePort|node ?port|every node/i,
  loadBalancerService: /LoadBalancer|internet|anywhere|0\.0\.0\.0\/0/i,
  hostPort: /hostPort|host ?port|node/i,
  hostNetwork: /hostNetwork|host ?network|node/i,
  /** NetworkPolicy semantics: every pod / namespace / address. */
  everyone: /every|any|all |all$|namespaceSelector|\{\}|0\.0\.0\.0\/0|cluster|unrestricted|everyone/i,
  /** An "unknown" finding says so (not merely an address that contains "module"). */
  unknown: /unknown|cannot (see|read|judge|resolve)|opaque|unresolved|not known|known (only )?after apply|unreadable/i,
};

/** A critical finding. */
export const CRITICAL = /critical/;
