/**
 * The client classes between base and head, per environment (issue 27): OSS Mimir authorizes nothing, so the
 * groups a class's credential reaches are its whole authorization. A class that gains a group, a new class, or a
 * class whose authentication weakens is a high risk (address `contract.clients.<name>`); narrowing is a plain line.
 */
import type { ClientClassInfo } from "../exposure/clients-info";
import type { RiskLevel } from "./risk";
import { coversGroup, type PublicApiGroup } from "../contract/public-api";

/** One cause line with `{where}` for the environments it happens in, and the class it is about. */
export interface ClientCauseLine {
  readonly level?: RiskLevel;
  readonly address: string;
  readonly text: string;
}

/** How much an authentication proves: none nothing, basic a shared password, mtls, oidc and jwt a certificate, an identity provider's session or its signed token. */
const STRENGTH: Readonly<Record<string, number>> = { none: 0, basic: 1, oidc: 2, mtls: 2, jwt: 2 };
const strength = (mode: string) => STRENGTH[mode] ?? 0;
const groupList = (gs: readonly string[]) => gs.map((g) => `\`${g}\``).join(", ");

/** Why the head's authentication of a class proves less than the base's; undefined when it does not. */
function weakening(b: ClientClassInfo, h: ClientClassInfo): string | undefined {
  if (strength(h.mode) < strength(b.mode)) return `authentication ${b.mode} → ${h.mode}`;
  if (b.mode === "mtls" && h.mode === "mtls" && (h.revocations ?? 0) < (b.revocations ?? 0)) return `checks ${h.revocations ?? 0} revocation list(s) instead of ${b.revocations ?? 0}: revoked certificates are accepted again`;
  return undefined;
}

/**
 * The summary lines of one environment's client-class change, `{where}` to fill. Nothing when either side does not
 * declare its classes (an older output), and no authentication line when `authRemoved` (the environment's own
 * "authentication removed" line says it).
 */
export function clientCauseLines(before: readonly ClientClassInfo[] | undefined, after: readonly ClientClassInfo[] | undefined, authRemoved = false): ClientCauseLine[] {
  if (!before || !after) return [];
  const out: ClientCauseLine[] = [];
  const at = (c: ClientClassInfo) => `contract.clients.${c.name}`;
  // A class renamed in the same change (e.g. `auth` split into classes: `default` becomes `agents`) is the class that
  // trusts the same credential: it is compared with its old self, not counted as new.
  const gone = before.filter((b) => !after.some((h) => h.name === b.name));
  const renamedFrom = new Map<string, ClientClassInfo>();
  for (const h of after) {
    if (h.trusts === undefined || before.some((x) => x.name === h.name)) continue;
    const old = gone.find((b) => b.mode === h.mode && b.trusts === h.trusts && ![...renamedFrom.values()].includes(b));
    if (old) renamedFrom.set(h.name, old);
  }
  const renamed = new Set([...renamedFrom.values()].map((b) => b.name));
  for (const h of after) {
    const old = renamedFrom.get(h.name);
    if (old) out.push({ address: at(h), text: `**client class \`${old.name}\` renamed \`${h.name}\`** {where}: the same ${h.mode} credentials (${h.trusts})` });
    const b = before.find((x) => x.name === h.name) ?? old;
    if (!b) {
      out.push({ level: "high", address: at(h), text: `**high risk** {where}: new client class \`${h.name}\` (${h.mode}) reaches ${groupList(h.groups) || "no group"}` });
      continue;
    }
    // A read-only group is inside its full group: `rules` → `rules-read` gains nothing and loses `rules`.
    const gained = h.groups.filter((g) => !coversGroup(b.groups, g as PublicApiGroup));
    const lost = b.groups.filter((g) => !coversGroup(h.groups, g as PublicApiGroup));
    if (gained.length) out.push({ level: "high", address: at(h), text: `**high risk** {where}: client class \`${h.name}\` (${h.mode}) gains ${groupList(gained)}: every credential of the class now reaches it` });
    if (lost.length) out.push({ address: at(h), text: `**client class \`${h.name}\` narrowed** {where}: loses ${groupList(lost)}` });
    const weaker = authRemoved ? undefined : weakening(b, h);
    if (weaker) out.push({ level: "high", address: at(h), text: `**high risk** {where}: client class \`${h.name}\` authenticates less: ${weaker}` });
    else if (!authRemoved && (b.mode !== h.mode || b.trusts !== h.trusts)) {
      out.push({ address: at(h), text: `**client class \`${h.name}\` authentication changed** {where}: ${b.mode}${b.trusts ? ` (${b.trusts})` : ""} → ${h.mode}${h.trusts ? ` (${h.trusts})` : ""}` });
    }
  }
  for (const b of gone) if (!renamed.has(b.name)) out.push({ address: at(b), text: `**client class \`${b.name}\` removed** {where}: its ${b.mode} credentials no longer reach ${groupList(b.groups) || "anything"}` });
  return out;
}
