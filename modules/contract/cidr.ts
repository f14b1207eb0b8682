/** The fix for any malformed CIDR. */
export const CIDR_FIX = "write an IPv4 CIDR like 10.0.0.0/16 or an IPv6 prefix like 2001:db8::/32";

/** Strict CIDR parsing: `10.0.0.0/8`, `2001:db8::/32`. Returns an error text or undefined. */
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function cidrError(cidr: unknown): string | undefined {
  if (typeof cidr !== "string" || cidr.trim() === "") return "must be a non-empty CIDR such as 10.0.0.0/8";
  const v4 = IPV4.exec(cidr);
  if (v4) {
    const octets = v4.slice(1, 5).map(Number);
    if (octets.some((o) => o > 255)) return "has an IPv4 octet above 255";
    if (Number(v4[5]) > 32) return "has an IPv4 prefix length above 32";
    return undefined;
  }
  if (cidr.includes(":")) {
    const [addr, len, extra] = cidr.split("/");
    if (extra !== undefined || len === undefined || !/^\d{1,3}$/.test(len)) return "must be address/prefix-length";
    if (Number(len) > 128) return "has an IPv6 prefix length above 128";
    if (!/^[0-9a-fA-F:]+$/.test(addr) || addr.split("::").length > 2) return "is not a valid IPv6 address";
    const groups = addr.split(":").filter((g) => g !== "");
    if (groups.some((g) => g.length > 4) || groups.length > 8) return "is not a valid IPv6 address";
    return undefined;
  }
  return "is not a CIDR (expected a.b.c.d/n or an IPv6 prefix)";
}

/** True for 0.0.0.0/0 and ::/0 (and their spelled-out forms). */
export function isAnywhere(cidr: string): boolean {
  const [addr, len] = cidr.split("/");
  return len === "0" && (addr === "0.0.0.0" || /^[0:]+$/.test(addr));
}
