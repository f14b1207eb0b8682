/**
 * An ALB listener rule's conditions as the graph reads them: `path_pattern`
 * (`values` globs and `regex_values`) limits the paths; every other condition
 * (host-header, http-header, query-string, source-ip, http-request-method)
 * limits nothing about the path, so it is kept only for the finding's label.
 * A path value known only after apply is unknown, never a condition that
 * matches nothing.
 */
import type { TfResource } from "../terraform-json";
import { first, list, strings } from "../readers/json";
import type { PathCond } from "./graph";
import { isToken } from "./mimir-scope";

const OTHER = ["host_header", "http_header", "query_string", "source_ip", "http_request_method"];

export interface RuleConditions {
  /** undefined: the rule does not look at paths (every path). */
  readonly paths?: PathCond[];
  /** The other conditions, e.g. `host-header debug.example.com`. */
  readonly others: string[];
  readonly unknown?: string;
}

export function ruleConditions(rule: TfResource): RuleConditions {
  const paths: PathCond[] = [];
  const others: string[] = [];
  const conditions = rule.values.condition;
  if (isToken(conditions)) return { others, unknown: `conditions ${String(conditions)} are not known until apply` };
  for (const c of list(conditions)) {
    const pp = first(c.path_pattern);
    if (pp) {
      for (const k of ["values", "regex_values"] as const) {
        if (isToken(pp[k])) return { others, unknown: `path_pattern ${k} ${String(pp[k])} is not known until apply` };
        for (const value of strings(pp[k])) {
          if (isToken(value)) return { others, unknown: `path_pattern ${value} is not known until apply` };
          paths.push({ kind: k === "values" ? "glob" : "regex", value });
        }
      }
    }
    for (const k of OTHER) {
      const b = first(c[k]);
      if (b === undefined) continue;
      const vals = [...strings(b.values), ...strings(b.regex_values), ...list(b.values).flatMap((v) => (v && typeof v === "object" ? [`${String(v.key ?? "")}=${String(v.value ?? "")}`] : []))];
      others.push(`${k.replace(/_/g, "-")}${b.http_header_name ? ` ${String(b.http_header_name)}` : ""} ${vals.join(", ")}`.trim());
    }
  }
  return { paths: paths.length > 0 ? paths : undefined, others };
}
