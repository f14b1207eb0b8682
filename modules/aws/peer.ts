import { CIDR_FIX, cidrError, isAnywhere } from "../contract/cidr";
import { ConfigError } from "../contract/problems";

/**
 * Who a security group rule talks to, as a small immutable value (after AWS
 * CDK's `Peer`): validated on construction, so a bad CIDR never reaches a rule.
 */
export type Peer =
  | { readonly kind: "cidr"; readonly cidr: string; readonly label: string }
  | { readonly kind: "prefix-list"; readonly id: string; readonly label: string }
  | { readonly kind: "security-group"; readonly id: string; readonly label: string };

export const Peer = {
  /** An IPv4 or IPv6 CIDR. `field` names the setting in error messages. */
  cidr(cidr: string, field = "cidr", label?: string): Peer {
    const why = cidrError(cidr);
    if (why) throw new ConfigError([{ field, value: cidr, rule: why, fix: CIDR_FIX }]);
    return Object.freeze({ kind: "cidr", cidr, label: label ?? (isAnywhere(cidr) ? "anywhere" : cidr) });
  },
  prefixList(id: string, label?: string): Peer {
    return Object.freeze({ kind: "prefix-list", id, label: label ?? id });
  },
  securityGroup(id: string, label: string): Peer {
    return Object.freeze({ kind: "security-group", id, label });
  },
};

/** The rule fields that say who the peer is (`aws_vpc_security_group_*_rule`). */
export function peerFields(peer: Peer): { cidrIpv4?: string; cidrIpv6?: string; prefixListId?: string; referencedSecurityGroupId?: string } {
  switch (peer.kind) {
    case "cidr":
      return peer.cidr.includes(":") ? { cidrIpv6: peer.cidr } : { cidrIpv4: peer.cidr };
    case "prefix-list":
      return { prefixListId: peer.id };
    case "security-group":
      return { referencedSecurityGroupId: peer.id };
  }
}
