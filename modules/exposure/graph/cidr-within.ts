/** Is a CIDR inside one of a set of CIDRs (same family, prefix at least as long, same network bits)? */
import { isCidrProblem, parseCidr } from "../../contract/cidr";

export function cidrWithin(inner: string, outers: readonly string[]): boolean {
  const a = parseCidr(inner);
  if (isCidrProblem(a)) return false;
  return outers.some((o) => {
    const b = parseCidr(o);
    if (isCidrProblem(b) || b.family !== a.family || a.length < b.length) return false;
    const bits = BigInt((a.family === 4 ? 32 : 128) - b.length);
    return a.address >> bits === b.address >> bits;
  });
}
