/** A Mermaid flowchart of allowed traffic: clients → listener → ingress → services; members ↔ grpc/memberlist. */
import { covers, describeSource, type ExposureModel } from "../exposure/model";
import { portNumbers } from "./migration";
import type { StackReport } from "./report";

const esc = (s: string) => s.replace(/"/g, "#quot;").replace(/[<>]/g, (c) => (c === "<" ? "#lt;" : "#gt;"));

export function mermaidOf(report: StackReport): string {
  const m: ExposureModel = report.model;
  // Mid-migration both numbers and the phase: `<from> → <to> (phase 1 of 3)`.
  const [http, grpc, memberlist] = (["http", "grpc", "memberlist"] as const).map((p) => esc(portNumbers(m.contract, p, "short")));
  const lines = ["flowchart LR"];
  const ids = new Map<string, string>();
  const node = (key: string, label: string, shape: "box" | "round" | "stadium" = "box") => {
    let id = ids.get(key);
    if (!id) {
      id = `n${ids.size}`;
      ids.set(key, id);
      const [o, c] = shape === "round" ? ["(", ")"] : shape === "stadium" ? ["([", "])"] : ["[", "]"];
      lines.push(`  ${id}${o}"${esc(label)}"${c}`);
    }
    return id;
  };

  // Mid-migration of http, both numbers on the members (their http is drawn on the edges that reach it, if any).
  const members = node("members", m.contract.transitions?.http ? `Mimir members, http ${portNumbers(m.contract, "http", "short")}` : `Mimir members`, "round");
  for (const l of m.listeners) {
    const lb = m.loadBalancers.find((x) => x.ref === l.loadBalancer);
    const listener = node(l.resource.address, `listener :${l.port ?? "?"} ${l.protocol ?? ""}`.trim());
    const groups = new Set(lb?.securityGroups ?? []);
    const sources = [...new Set(m.sgRules.filter((r) => r.direction === "ingress" && groups.has(r.group) && l.port !== undefined && covers(r, l.port)).map((r) => describeSource(r.peer)))];
    const clients = node(`clients:${sources.join(",")}`, `clients: ${sources.join(", ") || "none"}`, "stadium");
    lines.push(`  ${clients} -->|"${esc(`${l.protocol ?? ""} ${l.port ?? ""}`.trim())}"| ${listener}`);
    for (const a of l.actions) {
      if (a.type === "redirect") {
        lines.push(`  ${listener} -.->|"redirect to ${esc(a.redirectProtocol ?? "?")}"| ${clients}`);
      } else if (a.targetGroup) {
        const tg = m.targetGroups.find((t) => t.ref === a.targetGroup);
        const tgId = node(a.targetGroup, `target group :${tg?.port ?? "?"} ${tg?.protocol ?? ""}`.trim());
        lines.push(`  ${listener} --> ${tgId}`);
        if (m.ingresses.length > 0) for (const i of m.ingresses) lines.push(`  ${tgId} --> ${node(i.resource.address, `Ingress ${i.name}${i.hasTls ? " (TLS)" : " (no TLS)"}`)}`);
        else lines.push(`  ${tgId} -->|"http ${http}"| ${members}`);
      }
    }
  }
  for (const i of m.ingresses) {
    const ing = node(i.resource.address, `Ingress ${i.name}${i.hasTls ? " (TLS)" : " (no TLS)"}`);
    for (const svc of [...new Set(i.routes.map((r) => r.service ?? "?"))].sort()) {
      const s = node(`svc:${svc}`, svc);
      lines.push(`  ${ing} -->|"http ${http}"| ${s}`);
      lines.push(`  ${s} --> ${members}`);
    }
  }
  lines.push(`  ${members} <-->|"grpc ${grpc}, memberlist ${memberlist} (TCP)"| ${members}`);
  // Anything the policy refuses, drawn in red; a by-design warning (kubelet probes) in grey, dashed; what was accepted on purpose, in amber with its rule.
  const kindOf = (verdict: string) => (verdict.startsWith("acknowledged") ? "acknowledged" : verdict.split(", ").every((v) => / (warning|note)$/.test(v)) ? "warning" : "violation");
  const drawn = report.exposures.filter((e) => e.verdict !== "ok");
  drawn.forEach((e, i) => {
    const kind = kindOf(e.verdict);
    const v = node(`${kind === "violation" ? "bad" : kind === "warning" ? "warn" : "ack"}:${i}`, `${kind === "acknowledged" ? "☑" : kind === "warning" ? "ℹ" : "⚠"} ${e.sources}`, "stadium");
    lines.push(`  ${v} ${kind === "violation" ? "-->" : "-.->"}|"${esc(`${e.port}: ${e.verdict}`)}"| ${node(`entry:${e.entry}`, e.entry)}`);
    lines.push(`  class ${v} ${kind}`);
  });
  const kinds = new Set(drawn.map((e) => kindOf(e.verdict)));
  if (kinds.has("violation")) lines.push("  classDef violation fill:#fdd,stroke:#c00,color:#600");
  if (kinds.has("warning")) lines.push("  classDef warning fill:#eef,stroke:#669,color:#334,stroke-dasharray:4 2");
  if (kinds.has("acknowledged")) lines.push("  classDef acknowledged fill:#ffe8b3,stroke:#b37400,color:#5c3c00");
  return lines.join("\n");
}
