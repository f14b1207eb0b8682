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
  return { model, findings: [...onePerObject(findings), ...missingFindings(live, doc.stack)] };
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
