/**
 * Do these CIDRs together cover the internet? The internet is every unicast IPv4 address (0.0.0.0/0 less
 * 224.0.0.0/3, multicast and reserved: `0.0.0.0/1` + `128.0.0.0/2` + `192.0.0.0/3` is the internet) or every
 * global unicast IPv6 address (2000::/3).
 */
import { isAnywhere } from "../../contract/cidr";

function v4(cidr: string): [bigint, bigint] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return undefined;
  const addr = m.slice(1, 5).reduce((a, o) => (a << 8n) | BigInt(Number(o) & 255), 0n);
  const len = BigInt(Math.min(32, Number(m[5])));
  const size = 1n << (32n - len);
  const start = (addr / size) * size;
  return [start, start + size - 1n];
}

function v6(cidr: string): [bigint, bigint] | undefined {
  const [addr, lenText] = cidr.split("/");
  if (!addr || !addr.includes(":") || lenText === undefined) return undefined;
  const [head, tail] = addr.split("::");
  const hs = head ? head.split(":") : [];
  const ts = tail !== undefined ? (tail ? tail.split(":") : []) : [];
  const groups = tail !== undefined ? [...hs, ...Array(Math.max(0, 8 - hs.length - ts.length)).fill("0"), ...ts] : hs;
  if (groups.length !== 8) return undefined;
  const value = groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g || "0", 16) & 0xffff), 0n);
  const len = BigInt(Math.min(128, Number(lenText)));
  const size = 1n << (128n - len);
  const start = (value / size) * size;
  return [start, start + size - 1n];
}

/** Do `ranges` together cover [lo, hi]? */
function covers(ranges: Array<[bigint, bigint]>, lo: bigint, hi: bigint): boolean {
  if (ranges.length === 0) return false;
  ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let reach = lo - 1n;
  for (const [s, e] of ranges) {
    if (e <= reach) continue;
    if (s > reach + 1n) return false;
    reach = e;
    if (reach >= hi) return true;
  }
  return reach >= hi;
}

/** IPv4 unicast: 0.0.0.0 – 223.255.255.255 (224.0.0.0/3 is multicast and reserved). */
const V4_UNICAST: [bigint, bigint] = [0n, (224n << 24n) - 1n];
/** IPv6 global unicast: 2000::/3. */
const V6_GLOBAL: [bigint, bigint] = [0x2000n << 112n, (0x4000n << 112n) - 1n];

export function coverInternet(cidrs: readonly string[]): boolean {
  if (cidrs.some(isAnywhere)) return true;
  const four = cidrs.map(v4).filter((x): x is [bigint, bigint] => x !== undefined);
  const six = cidrs.map(v6).filter((x): x is [bigint, bigint] => x !== undefined);
  return covers(four, ...V4_UNICAST) || covers(six, ...V6_GLOBAL);
}
