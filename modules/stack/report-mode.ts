/**
 * Report mode (the CLI's `npm run synth --report` / `MIMIR_PORTS_SYNTH_REPORT`): the apps the CLI marked, held
 * in this module, not as a property of the app a user's code could set to turn the refusal off.
 */
const REPORTING = new WeakSet<object>();

/** The CLI's report pass: this app writes a refused output for the review (the exit code stays non-zero). */
export function markReportMode(app: object): void {
  REPORTING.add(app);
}

export function inReportMode(root: object): boolean {
  return REPORTING.has(root);
}
