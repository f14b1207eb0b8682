/**
 * The auth.mode none acknowledgement: the environment's own decision to run its entry without authentication,
 * fingerprinted like every acknowledgement by what it was decided for (the load balancer's scheme, its client
 * sources, its listener). It covers MP018 while the finding stays within that: internal → internet-facing, a
 * source outside the allowed ones or another listener voids it, and a critical finding whose sources together are
 * the internet is never covered (authenticate, or accept exactly it with `accepts`).
 */
import { canonicalCidr } from "../contract/cidr";
import { describeFingerprint, fromInternet, materialChanges } from "./fingerprint";
import type { Fingerprint } from "./types";

export interface AuthNoneScope {
  readonly scheme: "internal" | "internet-facing";
  readonly allowedCidrs: readonly string[];
  readonly allowedPrefixListIds: readonly string[];
  /** `HTTPS <port>` (ALB) or `TLS <port>` (NLB): the listener the decision was made for. */
  readonly listener: string;
}

/** The fingerprint the auth.mode none acknowledgement carries (what the environment decided to run unauthenticated). */
export function authNoneAccepts(scope: AuthNoneScope): Fingerprint {
  const sources = [...scope.allowedCidrs.map((c) => canonicalCidr(c) ?? c), ...scope.allowedPrefixListIds.map((p) => `prefix list ${p}`)];
  return { severity: scope.scheme === "internet-facing" ? "critical" : "error", sources: [...new Set(sources)].sort(), scheme: scope.scheme, via: [`listener ${scope.listener}`] };
}

const isListener = (v: string) => v.startsWith("listener ");
/** A source the load balancer's decision is about: a CIDR or a prefix list (interior sources are other rules' business). */
const isAddress = (s: string) => canonicalCidr(s) !== undefined || s.startsWith("prefix list ");

/**
 * Why the auth.mode none acknowledgement does not cover `fp` (empty: it does). Severity follows the scheme and
 * routes change with every release, so they are not compared: scheme, address sources and listener are.
 */
export function authNoneVoids(fp: Fingerprint, accepted: Fingerprint | undefined): string[] {
  if (fp.severity === "critical" && fromInternet(fp)) {
    return [`auth.mode none's reason covers only MP018 on internal or allowed sources, not this critical finding from the internet (${describeFingerprint(fp)}); acknowledge it explicitly with accepts, or authenticate`];
  }
  if (!accepted) return ["the auth.mode none acknowledgement records no fingerprint (scheme, sources, listener); synthesize the environment again"];
  // It was decided for the load balancer's own clients (addresses on its listener): any other way in is not that.
  const others = fp.sources.filter((s) => !isAddress(s));
  if (others.length > 0 || !fp.via.some(isListener)) {
    return [`auth.mode none covers the load balancer's own clients on its listener, not ${others.length > 0 ? others.join(", ") : "a way in without the listener"}; authenticate that way in, or accept exactly this with accepts`];
  }
  const now: Fingerprint = { ...fp, severity: accepted.severity, sources: fp.sources.filter(isAddress), via: fp.via.filter(isListener) };
  const changes = materialChanges(now, accepted);
  return changes.length === 0 ? [] : [`auth.mode none was decided for ${describeFingerprint(accepted)}, now ${describeFingerprint(fp)} (${changes.join("; ")}); authenticate, or accept exactly this with accepts`];
}
