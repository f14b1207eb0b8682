import type { ExposureModel } from "../exposure/model";
import type { TfResource } from "../exposure/terraform-json";

export type Severity = "critical" | "error" | "warning" | "note";
export const SEVERITIES: readonly Severity[] = ["critical", "error", "warning", "note"];

/** Higher is worse. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

/** What an acknowledgement accepted: see ./fingerprint.ts. */
export interface Fingerprint {
  readonly severity: Severity;
  /** Who reaches it: CIDRs (canonical), prefix lists, or the path's source. */
  readonly sources: readonly string[];
  /** The scheme of the load balancer on the path, when one is. */
  readonly scheme?: "internal" | "internet-facing";
  /** The listener (`listener HTTPS <port>`), the routes (`path-pattern /api/v1/push`) and the hops of the path. */
  readonly via: readonly string[];
}

export interface Rule {
  /** Stable ID, e.g. MP001. Never reused for another meaning. */
  readonly id: string;
  readonly title: string;
  /** Default severity; a finding may raise it (e.g. 0.0.0.0/0 is critical). */
  readonly severity: Severity;
  /** Why it matters, for reports and SARIF help. */
  readonly help: string;
  /** Related public checks, for reviewers who know them. */
  readonly related?: string;
  check(model: ExposureModel): RawFinding[];
}

export interface RawFinding {
  readonly resource: TfResource;
  readonly message: string;
  readonly fix: string;
  readonly severity?: Severity;
  /** The reachability path (source to Mimir port); default: the resource alone. */
  readonly path?: readonly string[];
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly stack: string;
  readonly file: string;
  readonly address: string;
  readonly constructPath?: string;
  readonly message: string;
  readonly fix: string;
  /** The reachability path, source first (also printed in the message). */
  readonly path: string[];
  /** What an acknowledgement must accept to cover this finding (./fingerprint.ts). */
  readonly fingerprint?: Fingerprint;
  /** Present when the user accepted this finding. */
  readonly acknowledged?: { readonly reason: string };
}
