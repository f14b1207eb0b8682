import type { ExposureModel } from "../exposure/model";
import type { Acknowledgement } from "../exposure/terraform-json";
import { describeOverrides, overridesOf } from "./overrides";
import { RULES } from "./rules";
import { describeFingerprint, fingerprintFrom, fingerprintOf, materialChanges, type Fingerprint } from "./fingerprint";
import { authNoneVoids } from "./auth-none";
import { severityRank, type Finding, type Severity } from "./types";

function matches(ack: Acknowledgement, ruleId: string, address: string, constructPath?: string): boolean {
  if (ack.rule !== ruleId) return false;
  if (ack.resource === address) return true;
  // A plan carries no construct paths: an acknowledgement on the stack itself (its construct path, e.g. `prod`) covers the whole plan.
  if (constructPath === undefined && !ack.resource.includes("/") && !ack.resource.includes(".")) return true;
  return constructPath !== undefined && (constructPath === ack.resource || constructPath.startsWith(`${ack.resource}/`));
}

/** What the acknowledgements that name this finding say about it: accepted (with the reason), or why they no longer hold. */
function judge(acks: readonly Acknowledgement[], fp: Fingerprint): { accepted?: Acknowledgement; voided: string[] } {
  const voided: string[] = [];
  for (const ack of acks) {
    // The environment's own auth.mode none (never known by its text): fingerprinted by scheme, sources and listener.
    if (ack.kind === "auth-none") {
      const why = authNoneVoids(fp, fingerprintFrom(ack.accepts));
      if (why.length === 0) return { accepted: ack, voided };
      voided.push(...why);
      continue;
    }
    const accepted = fingerprintFrom(ack.accepts);
    if (!accepted) {
      voided.push(`acknowledgement "${ack.reason}" does not record what it accepts (add accepts)`);
      continue;
    }
    const changes = materialChanges(fp, accepted);
    if (changes.length === 0) return { accepted: ack, voided };
    voided.push(`acknowledgement no longer matches: accepted ${describeFingerprint(accepted)}, now ${describeFingerprint(fp)} (${changes.join("; ")})`);
  }
  return { voided };
}

/** `text` inserted before the message's trailing "; path: ..." (the comment prints the path on its own line), else at the end. */
function beforePath(message: string, text: string): string {
  const at = message.lastIndexOf("; path: ");
  return at < 0 ? `${message}${text}` : `${message.slice(0, at)}${text}${message.slice(at)}`;
}

/** Run every rule; findings sorted by severity, rule and address (stable output). */
export function evaluate(model: ExposureModel): Finding[] {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    for (const raw of rule.check(model)) {
      const address = raw.resource.address;
      const constructPath = raw.resource.constructPath;
      const severity = raw.severity ?? rule.severity;
      const path = [...(raw.path ?? [address])].filter((x) => x !== "");
      const fingerprint = fingerprintOf(model, severity, raw.resource, path);
      const named = model.contract.acknowledgements.filter((a) => matches(a, rule.id, address, constructPath));
      const { accepted, voided } = named.length > 0 ? judge(named, fingerprint) : { voided: [] };
      // A resource the user's code changed with addOverride: name the override and its line, not the resource's creation.
      const overridden = describeOverrides(overridesOf(raw.resource));
      const on = constructPath ?? address;
      findings.push({
        ruleId: rule.id,
        severity,
        stack: model.stack,
        file: model.file,
        address,
        ...(constructPath ? { constructPath } : {}),
        message: `${overridden ? beforePath(raw.message, `; changed by an escape-hatch override on ${on}: ${overridden}`) : raw.message}${accepted || voided.length === 0 ? "" : `; ${voided.join("; ")}`}`,
        fix: overridden ? `remove or change the override ${overridden} on ${on}; otherwise: ${raw.fix}` : raw.fix,
        path,
        fingerprint,
        ...(accepted ? { acknowledged: { reason: accepted.reason } } : {}),
      });
    }
  }
  return findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.ruleId.localeCompare(b.ruleId) || a.address.localeCompare(b.address) || a.message.localeCompare(b.message));
}

/** Findings that fail a run: at or above the threshold and not acknowledged. */
export function failing(findings: readonly Finding[], threshold: Severity): Finding[] {
  return findings.filter((f) => !f.acknowledged && severityRank(f.severity) >= severityRank(threshold));
}

/** `MP001 critical aws_x.y (prod/edge/...): message. Fix: fix` */
export function formatFinding(f: Finding): string {
  return `${f.ruleId} ${f.severity} ${f.address}${f.constructPath ? ` (${f.constructPath})` : ""}: ${f.message}. Fix: ${f.fix}`;
}

/**
 * The acknowledgement to paste when the finding is accepted on purpose (environment `acknowledgements`):
 * the rule, the resource and the fingerprint of what is accepted; the reason is the user's to write.
 */
export function acknowledgementFor(f: Finding): { rule: string; resource: string; reason: string; accepts?: Fingerprint } {
  return { rule: f.ruleId, resource: f.constructPath ?? f.address, reason: "<why this is accepted, ticket>", ...(f.fingerprint ? { accepts: f.fingerprint } : {}) };
}

/** A refusal line: the finding, then the acknowledgement that would accept exactly it. */
export function formatRefusal(f: Finding): string {
  return `${formatFinding(f)}. To accept exactly this: acknowledgements: [${JSON.stringify(acknowledgementFor(f))}]`;
}
