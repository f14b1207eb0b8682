/**
 * The client classes a stack declares in its `mimir_port_contract` output (issue 27): each with its
 * authentication and the public API groups it may use. Several classes are `auth.classes`; a single
 * `auth` is one class, `default`, with every group the entry serves. Read back for the review.
 */
import { isPlainObject } from "../shared/objects";

export interface ClientClassInfo {
  readonly name: string;
  /** mtls, oidc, basic, jwt or none. */
  readonly mode: string;
  readonly groups: readonly string[];
  /** What the class trusts: the mTLS trust store (ARN or CA bundle), the OIDC or JWT issuer, the htpasswd Secret. */
  readonly trusts?: string;
  /** mTLS: how many revocation lists the trust store checks. */
  readonly revocations?: number;
  /** A class that authenticates at the Gateway: the name of its route-level SecurityPolicy. */
  readonly securityPolicy?: string;
}

function classFrom(name: string, v: Record<string, unknown>, groups: readonly string[], text: (s: unknown) => string): ClientClassInfo {
  const trusts = [v.trustStore, v.issuer, v.usersSecret].find((x) => typeof x === "string");
  return {
    name,
    mode: String(v.mode),
    groups: [...groups],
    ...(trusts !== undefined ? { trusts: text(trusts) } : {}),
    ...(typeof v.revocations === "number" ? { revocations: v.revocations } : {}),
    ...(typeof v.securityPolicy === "string" ? { securityPolicy: text(v.securityPolicy) } : {}),
  };
}

/** The classes of the output's `auth` (undefined when it declares none); `entryGroups` are the single class's groups. */
function clientsFrom(auth: unknown, entryGroups: readonly string[] | undefined, text: (s: unknown) => string): ClientClassInfo[] | undefined {
  if (!isPlainObject(auth) || typeof auth.mode !== "string") return undefined;
  if (Array.isArray(auth.classes)) {
    return auth.classes
      .filter(isPlainObject)
      .filter((c) => typeof c.name === "string" && typeof c.mode === "string")
      .map((c) => classFrom(text(c.name), c, Array.isArray(c.groups) ? c.groups.filter((g): g is string => typeof g === "string") : [], text));
  }
  return [classFrom("default", auth, entryGroups ?? [], text)];
}

/** `{ clients }` when the output declares them, else `{}` (to spread into ContractInfo). */
export function clientsField(auth: unknown, entryGroups: readonly string[] | undefined, text: (s: unknown) => string): { readonly clients?: readonly ClientClassInfo[] } {
  const clients = clientsFrom(auth, entryGroups, text);
  return clients ? { clients } : {};
}

/** `agents (mtls): write; operators (oidc): read, rules, alertmanager`, as the synth summary prints them. */
export function clientsLine(clients: readonly ClientClassInfo[]): string {
  return clients.map((c) => `${c.name} (${c.mode}): ${c.groups.join(", ") || "no group"}`).join("; ");
}
