/**
 * A plain stack that references a Mimir stack's resources (cdktf cross-stack
 * references: `data.terraform_remote_state.cross-stack-reference-input-<stack>`
 * in the consumer, `cross-stack-output-*` in the producer) is judged as if its
 * resources were in the Mimir stack: the consumer's resources are added to the
 * producer's document, each remote-state reference replaced by the expression
 * the producer hands out (`${aws_security_group.members.id}`), under the
 * producer's contract.
 */
import { CROSS_STACK_INPUT, type StackDocument, type TfResource } from "./terraform-json";

/** The joined document, named after the consumer, and which of its resources are the consumer's. */
export interface JoinedStack {
  readonly doc: StackDocument;
  /** Addresses (in the joined document) of the consumer's resources. */
  readonly consumerAddresses: ReadonlySet<string>;
}

/** Does `consumer` read `producer` through cross-stack references? */
export function readsFrom(consumer: StackDocument, producer: StackDocument): boolean {
  return consumer.crossStack?.reads.includes(producer.stack) === true;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Join `consumer` into `producer` (see the module comment). */
export function joinCrossStack(consumer: StackDocument, producer: StackDocument): JoinedStack {
  const outputs = producer.crossStack?.outputs ?? {};
  const reference = new RegExp(`data\\.terraform_remote_state\\.${escapeRe(CROSS_STACK_INPUT + producer.stack)}\\.outputs\\.([A-Za-z0-9_-]+)`, "g");
  const taken = new Set(producer.resources.map((r) => r.address));
  // Same address in both stacks (logical ids are per stack): the consumer's is renamed, and its references with it.
  const renames = new Map<string, string>();
  for (const r of consumer.resources) if (taken.has(r.address)) renames.set(r.address, `${r.type}.${r.name}__${consumer.stack}`);
  const renamed = [...renames].map(([from, to]) => [new RegExp(`(^|[^A-Za-z0-9_.-])${escapeRe(from)}(?=\\.|$|[^A-Za-z0-9_-])`, "g"), to] as const);
  const rewrite = (text: string): string => {
    let out = text.replace(reference, (whole, output: string) => {
      const expr = outputs[output];
      const inner = expr !== undefined ? /^\$\{([^{}]+)\}$/.exec(expr) : null;
      return inner ? inner[1] : whole;
    });
    for (const [re, to] of renamed) out = out.replace(re, (_m, lead: string) => `${lead}${to}`);
    return out;
  };
  const deep = (v: unknown): unknown => {
    if (typeof v === "string") return rewrite(v);
    if (Array.isArray(v)) return v.map(deep);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)]));
    return v;
  };
  const consumerAddresses = new Set<string>();
  const moved: TfResource[] = consumer.resources.map((r) => {
    const address = renames.get(r.address) ?? r.address;
    consumerAddresses.add(address);
    return { ...r, address, name: address.slice(r.type.length + 1), values: deep(r.values) as Record<string, any> };
  });
  for (const o of consumer.opaque ?? []) consumerAddresses.add(o.resource.address);
  const opaque = [...(producer.opaque ?? []), ...(consumer.opaque ?? [])];
  return {
    doc: {
      stack: consumer.stack,
      file: consumer.file,
      format: consumer.format,
      resources: [...producer.resources, ...moved],
      contract: { ...producer.contract, from: `${producer.stack} (cross-stack references)` },
      ...(opaque.length > 0 ? { opaque } : {}),
    },
    consumerAddresses,
  };
}
