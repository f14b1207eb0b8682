/** One environment's entry path, inside its collapsed section: kind, hosts, groups, the public route table, operator access. */
import type { EntryInfo, EntryRouteInfo } from "../exposure/entry-info";
import { cell } from "./format";
import { isReadOnlyGroup } from "../contract/public-api";

const backend = (r: EntryRouteInfo) => (r.component === "all" || r.component === r.service ? `\`${r.service}\`` : `\`${r.service}\` (${r.component})`);

export function entryBlock(entry: EntryInfo | undefined): string[] {
  if (!entry) return ["**Entry:** ❔ not declared in this input's contract output (a stack from an older version, or a plan without outputs): the public route table is unknown; review the listener rules and routes by hand.", ""];
  const kind = entry.legacy ? `⚠️ \`${entry.kind}\` (legacy ingress-nginx entry, **deprecated**: retired in March 2026, no more security fixes; move to \`gateway-api\`)` : `\`${entry.kind}\``;
  const out = [`**Entry:** ${kind} · hosts: ${entry.hosts.length ? entry.hosts.map((h) => `\`${h}\``).join(", ") : "any"} · public API groups: ${entry.groups.join(", ") || "none"}`, ""];
  const oa = entry.operatorAccess;
  if (oa) {
    out.push(`**⚠️ Operator access (acknowledged exposure): ${oa.routes.map((r) => `\`${r.path}\` → ${backend(r)}`).join(", ")} from ${oa.cidrs.join(", ")}.** Accepted: _${cell(oa.acknowledged)}_`, "");
  } else {
    out.push("**Operator access:** none (operator endpoints are reachable only inside the cluster)", "");
  }
  out.push(`| public route (${entry.routes.length}) | match | methods | backend Service (component) |`, "|---|---|---|---|");
  for (const r of entry.routes) out.push(`| \`${cell(r.path)}\`${isReadOnlyGroup(r.group ?? "") ? ` (${cell(r.group ?? "")})` : ""} | ${r.match} | ${r.methods ? r.methods.map(cell).join(", ") : "any"} | ${backend(r)} |`);
  if (entry.routes.length === 0) out.push("| _none_ | | | |");
  out.push("");
  return out;
}
