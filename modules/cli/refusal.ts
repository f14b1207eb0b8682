/** cdktf's validation failure, read back into the short block every synth entry prints. */

const VALIDATION = /(?:^|\n)\s*(?:Error: )?(?:App-level |Stack-level )?[Vv]alidation failed with the following errors:\n([\s\S]*)/;

/** cdktf's validation failure (our policy or another validation) as `[construct path] message` lines, or undefined. */
export function validationLines(text: string): string[] | undefined {
  const m = VALIDATION.exec(text);
  if (!m) return undefined;
  return m[1].split("\n").filter((l) => /^\s+\[/.test(l)).map((l) => l.trim());
}

/** The block the CLI prints when the contract policy refuses (`synth`, `cdktf synth` through runAppSynth, a bare `app.synth()`). */
export function refusalBlock(label: string, lines: readonly string[], outputNote = "nothing was written"): string[] {
  return [`${label}: the contract policy refused ${lines.length} finding(s); ${outputNote}:`, ...lines.map((l) => `  ${l}`), "  (accept a finding on purpose with an acknowledgement: see docs/policy-rules.md)"];
}
