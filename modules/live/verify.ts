/**
 * `verify`: the live state judged by the same graph and rules as `check`. Every finding that a live
 * object causes says which (out-of-band or drift); the stack's own findings are `check`'s and stay as
 * they are; what could not be read is unknown (MP015), never safe.
 */
import { buildModel, type ExposureModel } from "../exposure/model";
import { evaluate } from "../policy/evaluate";
import type { Finding } from "../policy/types";
import type { ContractInput } from "./contract-input";
import type { LiveState } from "./live-state";
import type { Provenance } from "./provenance";
import { reconcile } from "./reconcile";
import { movedChartPorts, stackKube } from "./reconcile-kube";

export interface LiveFinding extends Finding {
  /** The live object behind the finding; absent for the stack's own findings. */
  readonly live?: { readonly status: Provenance["status"]; readonly object: string; readonly notes: readonly string[] };
}

export interface VerifyResult {
  readonly model: ExposureModel;
  readonly findings: readonly LiveFinding[];
}

const key = (f: Finding) => `${f.ruleId}|${f.address}|${f.message}`;

export function verify(input: ContractInput, live: LiveState): VerifyResult {
  const { doc, provenance } = reconcile(input.stack, input.contract, live);
  const model = buildModel(doc);
  const baseline = new Set(input.stack ? evaluate(buildModel({ ...input.stack, contract: input.contract })).map(key) : []);
  const findings: LiveFinding[] = evaluate(model).map((f) => {
    if (baseline.has(key(f))) return f;
    const p = provenance.get(f.address) ?? [...provenance].find(([address]) => f.path.some((step) => step.includes(address)) || f.message.includes(address))?.[1];
    return p ? { ...f, live: { status: p.status, object: p.identity.text, notes: p.notes } } : f;
  });
  return { model, findings: [...onePerObject([...findings, ...movedPortFindings(input, live, doc.stack, doc.file)]), ...missingFindings(live, doc.stack)] };
}

/** A chart workload whose container port moved away from the contract: drift of the Helm release (MP014). */
function movedPortFindings(input: ContractInput, live: LiveState, stack: string, file: string): LiveFinding[] {
  if (!input.stack) return [];
  const { http, grpc, memberlist } = input.contract.ports;
  const chart = input.stack.resources.find((r) => r.type === "helm_release" && /mimir/.test(String(r.values.chart ?? "")));
  return movedChartPorts(live.kube, stackKube(input.stack.resources), { "http-metrics": http, grpc, memberlist }).map((m) => ({
    ruleId: "MP014",
    severity: "error" as const,
    stack,
    file,
    address: chart?.address ?? m.identity,
    message: `${m.identity} listens on ${m.name} ${m.live}, the contract says ${m.want}`,
    fix: "upgrade the release from the stack (cdktf deploy) so the chart's ports come from the contract; change a port in the environment's ports, never in the cluster",
    path: [m.identity, `${m.name} ${m.live}`],
    live: { status: "drift" as const, object: m.identity, notes: [`made by ${chart?.address ?? "the Helm release"}`] },
  }));
}

/** One finding per live object: its worst, with the others it also breaks in the message (the object is the thing to fix). */
function onePerObject(findings: readonly LiveFinding[]): LiveFinding[] {
  const out: LiveFinding[] = [];
  const byObject = new Map<string, LiveFinding[]>();
  for (const f of findings) {
    if (!f.live) out.push(f);
    else byObject.set(f.live.object, [...(byObject.get(f.live.object) ?? []), f]);
  }
  for (const group of byObject.values()) {
    const [worst, ...rest] = group;
    out.push(rest.length === 0 ? worst : { ...worst, message: `${worst.message}; it also breaks ${rest.map((f) => `${f.ruleId} (${f.severity}: ${f.message.split("; path:")[0]})`).join("; ")}` });
  }
  return out;
}

function missingFindings(live: LiveState, stack: string): LiveFinding[] {
  const findings: LiveFinding[] = [];
  for (const m of live.missing) {
    findings.push({
      ruleId: "MP015",
      severity: "error",
      stack,
      file: m.source,
      address: m.source,
      message: `not read: ${m.source} is missing, so ${m.shows} are unknown to verify (not assumed safe)`,
      fix: "produce it with the command `mimir-ports verify --print-commands` prints for it, or read live (--kube-context, --region)",
      path: [m.source],
    });
  }
  return findings;
}
