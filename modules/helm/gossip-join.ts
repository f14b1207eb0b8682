/**
 * Where gossip members join: the chart's headless gossip-ring Service, looked
 * up with `dns+` (A records: every member pod's IP) at the memberlist port.
 *
 * The chart derives `memberlist.join_members` from `memberlist.bind_port`
 * (`dns+<fullname>-gossip-ring.<namespace>.svc.<clusterDomain>:<port>`), one
 * port. While a memberlist move rolls out (phase `move`), old members listen on
 * the old port and new ones on the new port: a new pod that joined only on the
 * new port would find no old member and start a ring of its own, and an old
 * pod recreated mid-rollout (at the old revision) would find no new member once
 * the old ones are gone. So from phase `open` on, the join list names both
 * ports (phase 1 restarts the pods once, all still on the old port); each
 * member then gossips with every other at the address and port that member
 * advertises (`memberlist.advertise_port` follows `bind_port`), which the
 * rules admit on both numbers. Phase `close` returns to the one port.
 */
import type { PortContract } from "../contract/port-contract";

/** The chart's gossip ring Service: `<fullname>-gossip-ring`. */
export function gossipRingServiceName(fullname: string): string {
  return `${fullname}-gossip-ring`;
}

/** One join address per port a member may listen on in this phase (the listen port alone outside a transition). */
export function gossipJoinMembers(contract: PortContract, fullname: string, namespace: string): string[] {
  const ports = joinsBothPorts(contract) ? contract.admitted("memberlist") : [contract.memberlist.port];
  return ports.map((port) => `dns+${gossipRingServiceName(fullname)}.${namespace}.svc:${port}`);
}

/** Whether the join list differs from the chart's own (while memberlist is open or moving). */
export function joinsBothPorts(contract: PortContract): boolean {
  const phase = contract.transition("memberlist")?.phase;
  return phase === "open" || phase === "move";
}
