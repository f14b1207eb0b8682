/** Where a resource of the verified model comes from, and how the report names it. */
import type { LiveIdentity } from "./identity";

export type LiveStatus = "out-of-band" | "drift" | "live";

export interface Provenance {
  /** out-of-band: no resource of the stack declares it; drift: declared, live differs; live: no stack given to compare. */
  readonly status: LiveStatus;
  readonly identity: LiveIdentity;
  /** What else belongs to it (the load balancer a controller made for a Service), or how it differs. */
  readonly notes: readonly string[];
}

/** Subset test for drift: every value the stack sets is what live has (arrays element by element, same length); `${…}` matches anything. */
export function declaredIn(want: unknown, have: unknown): boolean {
  if (typeof want === "string" && want.includes("${")) return true;
  if (Array.isArray(want)) return Array.isArray(have) && want.length === have.length && want.every((w, i) => declaredIn(w, have[i]));
  if (want !== null && typeof want === "object") return have !== null && typeof have === "object" && !Array.isArray(have) && Object.entries(want).every(([k, v]) => declaredIn(v, (have as Record<string, unknown>)[k]));
  return want === have || (want !== undefined && have !== undefined && String(want) === String(have));
}
