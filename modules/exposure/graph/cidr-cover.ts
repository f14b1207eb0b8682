/** Do these CIDRs together cover every IPv4 (or every IPv6) address? `0.0.0.0/1` + `128.0.0.0/1` is the internet. */
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

function covers(ranges: Array<[bigint, bigint]>, max: bigint): boolean {
  if (ranges.length === 0) return false;
  ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let reach = -1n;
  for (const [s, e] of ranges) {
    if (s > reach + 1n) return false;
    if (e > reach) reach = e;
  }
  return reach >= max;
}

export function coverInternet(cidrs: readonly string[]): boolean {
  if (cidrs.some(isAnywhere)) return true;
  const four = cidrs.map(v4).filter((x): x is [bigint, bigint] => x !== undefined);
  const six = cidrs.map(v6).filter((x): x is [bigint, bigint] => x !== undefined);
  return covers(four, (1n << 32n) - 1n) || covers(six, (1n << 128n) - 1n);
}
