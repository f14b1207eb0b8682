/**
 * A user mistake: every problem names where it happened, the field, the bad
 * value and how to fix it. Thrown before anything is synthesized; printed
 * without a stack trace by the CLIs.
 */
export interface Problem {
  /** Environment name, when the problem belongs to one. */
  readonly env?: string;
  /** Dotted field path, e.g. `ports.http` or `loadBalancer.allowedCidrs[0]`. */
  readonly field: string;
  readonly value: unknown;
  /** The rule that was broken. */
  readonly rule: string;
  /** What to do about it. */
  readonly fix: string;
}

/**
 * A value a message must not echo: the value of an unknown (possibly misspelt secret) setting, or an
 * object whose keys may be secrets. Printed as what it is (`(value not shown: …)`), never as its content.
 */
export class Redacted {
  constructor(readonly what: string) {}
}

/** The shape of a value without its content: strings and numbers of unknown keys become their kind. */
export function redact(value: unknown): Redacted {
  if (value === null || typeof value !== "object") return new Redacted(value === undefined ? "missing" : `a ${typeof value}`);
  if (Array.isArray(value)) return new Redacted(`a list of ${value.length}`);
  const keys = Object.keys(value);
  return new Redacted(`an object with ${keys.length === 0 ? "no keys" : `keys ${clip(keys.slice(0, 5).join(", "), 80)}${keys.length > 5 ? `, … (${keys.length} keys)` : ""}`}`);
}

/** At most `max` characters of `text`, with its length when cut. */
export function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

export function formatValue(value: unknown): string {
  if (value instanceof Redacted) return `(value not shown: ${value.what})`;
  if (value === undefined) return "(missing)";
  if (typeof value === "string") return value.length > 120 ? `${JSON.stringify(value.slice(0, 100)).slice(0, -1)}..." (${value.length} characters)` : JSON.stringify(value);
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return String(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return String(value);
  }
}

export function formatProblem(p: Problem): string {
  // Bounded whatever the input: an environment name or key of 100,000 characters gives a short line.
  const where = p.env !== undefined ? `[${clip(p.env, 64)}] ` : "";
  return `${where}${clip(p.field, 200)} = ${formatValue(p.value)}: ${clip(p.rule, 400)}. Fix: ${clip(p.fix, 400)}`;
}

/** How many problems a ConfigError's message lists before "... and N more". */
export const MAX_LISTED_PROBLEMS = 50;

/** One line per problem, the first `limit` of them, then how many more there are. */
export function formatProblems(problems: readonly Problem[], limit = MAX_LISTED_PROBLEMS): string {
  const lines = problems.slice(0, limit).map(formatProblem);
  if (problems.length > limit) lines.push(`... and ${problems.length - limit} more problem(s) (${problems.length} in all; fix these first)`);
  return lines.join("\n");
}

export class ConfigError extends Error {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super(formatProblems(problems));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Collects problems and throws them together, so users see all at once. */
export class ProblemList {
  private readonly items: Problem[] = [];
  constructor(private readonly env?: string, private readonly prefix = "") {}

  add(field: string, value: unknown, rule: string, fix: string): void {
    this.items.push({ env: this.env, field: this.prefix + field, value, rule, fix });
  }

  addAll(problems: readonly Problem[]): void {
    this.items.push(...problems);
  }

  get list(): readonly Problem[] {
    return this.items;
  }

  throwIfAny(): void {
    if (this.items.length > 0) throw new ConfigError([...this.items]);
  }
}
