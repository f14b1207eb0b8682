/** The fix for any malformed CIDR. */
export const CIDR_FIX = "write an IPv4 CIDR like 10.0.0.0/16 or an IPv6 prefix like 2001:db8::/32";

/** A parsed CIDR: address family, the address as a number, and the prefix length. */
export interface ParsedCidr {
  readonly family: 4 | 6;
  readonly address: bigint;
  readonly length: number;
}

/** What is wrong with a CIDR, and the fix for that exact mistake. */
export interface CidrProblem {
  readonly rule: string;
  readonly fix: string;
}

const DECIMAL = /^(0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): bigint | string {
  const parts = text.split(".");
  if (parts.length !== 4) return "is not a CIDR (expected a.b.c.d/n or an IPv6 prefix)";
  let value = 0n;
  for (const part of parts) {
    if (/^0\d+$/.test(part)) return "has an IPv4 octet with a leading zero (AWS and Kubernetes read it differently, some as octal)";
    if (!DECIMAL.test(part)) return "is not a CIDR (expected a.b.c.d/n or an IPv6 prefix)";
    const n = Number(part);
    if (n > 255) return "has an IPv4 octet above 255";
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | string {
  const bad = "is not a valid IPv6 address";
  if (text.includes("%")) return `${bad} (a zone index such as %eth0 is not allowed in a CIDR)`;
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return bad;
  const halves = text.split("::");
  if (halves.length > 2) return `${bad} ("::" may appear only once)`;
  const groupsOf = (half: string): string[] | undefined => (half === "" ? [] : half.split(":"));
  const head = groupsOf(halves[0]) ?? [];
  const tail = halves.length === 2 ? (groupsOf(halves[1]) ?? []) : [];
  const all = [...head, ...tail];
  // An embedded IPv4 address (::ffff:10.0.0.0) takes the last two groups.
  let v4: bigint | undefined;
  const last = all[all.length - 1];
  if (last !== undefined && last.includes(".")) {
    const parsed = parseIpv4(last);
    if (typeof parsed === "string") return bad;
    v4 = parsed;
    all.pop();
    if (tail.length > 0) tail.pop();
    else head.pop();
  }
  if (all.some((g) => !HEX_GROUP.test(g))) return `${bad} (each group is 1 to 4 hex digits)`;
  const width = all.length + (v4 !== undefined ? 2 : 0);
  if (halves.length === 1 && width !== 8) return `${bad} (it needs 8 groups, or "::" for the zeros)`;
  if (halves.length === 2 && width > 7) return `${bad} (too many groups)`;
  const groups = [...head.map((g) => parseInt(g, 16)), ...Array<number>(8 - width).fill(0), ...tail.map((g) => parseInt(g, 16))];
  if (halves.length === 1) groups.splice(0, groups.length, ...all.map((g) => parseInt(g, 16)));
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  if (v4 !== undefined) value = (value << 32n) | v4;
  return value;
}

/** Parse a CIDR strictly; returns the problem (with its fix) or the parsed network. */
export function parseCidr(cidr: unknown): ParsedCidr | CidrProblem {
  if (typeof cidr !== "string" || cidr.trim() === "") return { rule: "must be a non-empty CIDR such as 10.0.0.0/8", fix: CIDR_FIX };
  if (cidr !== cidr.trim()) return { rule: "has spaces around it", fix: `write ${JSON.stringify(cidr.trim())}` };
  const slash = cidr.split("/");
  const family: 4 | 6 = cidr.includes(":") ? 6 : 4;
  if (slash.length !== 2 || slash[1] === "") {
    if (family === 6) return { rule: "must be address/prefix-length", fix: `add the prefix length, e.g. ${slash[0]}/128 for one address` };
    return { rule: /^[\d.]+$/.test(slash[0]) && slash.length === 1 ? "has no prefix length" : "is not a CIDR (expected a.b.c.d/n or an IPv6 prefix)", fix: /^[\d.]+$/.test(slash[0]) && slash.length === 1 ? `write ${slash[0]}/32 for one address, or the network's prefix length` : CIDR_FIX };
  }
  const [addressText, lengthText] = slash;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(lengthText)) return { rule: "must be address/prefix-length", fix: CIDR_FIX };
  if (lengthText.length > 1 && lengthText.startsWith("0")) return { rule: "has a prefix length with a leading zero", fix: `write /${Number(lengthText)}` };
  const length = Number(lengthText);
  if (length > max) return { rule: family === 4 ? "has an IPv4 prefix length above 32" : "has an IPv6 prefix length above 128", fix: CIDR_FIX };
  const address = family === 4 ? parseIpv4(addressText) : parseIpv6(addressText);
  if (typeof address === "string") return { rule: address, fix: CIDR_FIX };
  const hostBits = BigInt(max - length);
  const network = (address >> hostBits) << hostBits;
  if (network !== address) {
    const net = formatCidr({ family, address: network, length });
    const single = family === 4 ? `${addressText}/32` : `${addressText}/128`;
    return { rule: `has host bits set: the network of this prefix is ${net}`, fix: `write ${net} for the whole network, or ${single} for that one address` };
  }
  return { family, address, length };
}

export function isCidrProblem(p: ParsedCidr | CidrProblem): p is CidrProblem {
  return (p as CidrProblem).rule !== undefined;
}

/** Canonical text of a parsed CIDR (IPv6 in RFC 5952 form), e.g. to find the same network written twice. */
export function formatCidr(p: ParsedCidr): string {
  if (p.family === 4) {
    const octets = [24n, 16n, 8n, 0n].map((s) => Number((p.address >> s) & 255n));
    return `${octets.join(".")}/${p.length}`;
  }
  const groups = Array.from({ length: 8 }, (_, i) => Number((p.address >> BigInt(112 - 16 * i)) & 0xffffn));
  // Longest run (>= 2) of zero groups becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  const text = best < 0 ? hex.join(":") : `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
  return `${text}/${p.length}`;
}

/** The canonical form of a valid CIDR, or undefined when it is not valid. */
export function canonicalCidr(cidr: string): string | undefined {
  const p = parseCidr(cidr);
  return isCidrProblem(p) ? undefined : formatCidr(p);
}

/** Strict CIDR check: `10.0.0.0/8`, `2001:db8::/32`. Returns an error text or undefined. */
export function cidrError(cidr: unknown): string | undefined {
  const p = parseCidr(cidr);
  return isCidrProblem(p) ? p.rule : undefined;
}

/** True for 0.0.0.0/0 and ::/0 (and their spelled-out forms). */
export function isAnywhere(cidr: string): boolean {
  const [addr, len] = cidr.split("/");
  return len === "0" && (addr === "0.0.0.0" || /^[0:]+$/.test(addr));
}
