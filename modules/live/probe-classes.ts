/**
 * The class-scoped probe: with a class's client certificate, only that class's API groups answer. Each
 * class has its own listener whose rules forward only its groups' paths and methods; any other request gets
 * the listener's default action, a fixed 404 (modules/aws/load-balancer.ts). One representative request per
 * group, in a method only that group forwards, never one that changes anything: a read group is asked with
 * GET; a group that writes is asked with POST and an EMPTY body, which Mimir refuses (an empty rule group or
 * Alertmanager configuration is a 400) or accepts with nothing in it (an empty remote-write request holds no
 * series). HEAD is no probe: the listeners forward only the methods Mimir registers, and HEAD is none of them.
 */
import { InputError } from "../exposure/terraform-json";
import { PUBLIC_API_GROUPS, coversGroup, type PublicApiGroup } from "../contract/public-api";

/** A client class as the contract output lists it (`auth.classes`). */
export interface ProbeClass {
  readonly name: string;
  readonly mode: string;
  readonly groups: readonly string[];
}

/**
 * The request asked for each group (each is its group's route and method in modules/contract/public-api.ts). A full
 * group's probe uses a method its read-only form does not forward (`rules`: POST, `rules-read`: GET), so each
 * answers only for the class that holds it; holding `rules` covers `rules-read` (groupsToProbe).
 */
export const GROUP_PROBES: Readonly<Record<PublicApiGroup, { method: "GET" | "POST"; path: string }>> = {
  write: { method: "POST", path: "/api/v1/push" },
  read: { method: "GET", path: "/prometheus/api/v1/status/buildinfo" },
  rules: { method: "POST", path: "/prometheus/config/v1/rules/mimir-ports-probe" },
  "rules-read": { method: "GET", path: "/prometheus/config/v1/rules" },
  alertmanager: { method: "POST", path: "/api/v1/alerts" },
  "alertmanager-read": { method: "GET", path: "/alertmanager/api/v1/status/buildinfo" },
  "block-upload": { method: "GET", path: "/api/v1/upload/block/01HXYZ/check" },
};

/** What a listener answers to a path it does not forward: its fixed response (the stack's is 404; 403 where a WAF or an operator made it so). */
export const NOT_FORWARDED = [403, 404] as const;

/** The class the certificate belongs to: `--class NAME`, or the one mutual-TLS class. */
export function certificateClass(classes: readonly ProbeClass[], name: string | undefined): ProbeClass {
  const mtls = classes.filter((c) => c.mode === "mtls");
  if (name !== undefined) {
    const c = classes.find((x) => x.name === name);
    if (!c) throw new InputError(`--class ${name}: the contract has no such client class; it lists ${classes.map((x) => `${x.name} (${x.mode})`).join(", ")}`);
    if (c.mode !== "mtls") throw new InputError(`--class ${name}: its authentication is ${c.mode}; a client certificate proves only an mtls class (${mtls.map((x) => x.name).join(", ") || "none here"})`);
    return c;
  }
  if (mtls.length === 1) return mtls[0];
  throw new InputError(`--client-cert: ${mtls.length === 0 ? "the contract lists no mtls client class, so no certificate belongs to one" : `the contract lists ${mtls.length} mtls classes (${mtls.map((x) => x.name).join(", ")}); name the certificate's with --class NAME`}`);
}

/** The groups to ask about: every public group, in the contract's order, each marked in or out of the class (a full group covers its read-only form). */
export function groupsToProbe(c: ProbeClass): Array<{ group: PublicApiGroup; inClass: boolean }> {
  return PUBLIC_API_GROUPS.map((group) => ({ group, inClass: coversGroup(c.groups, group) }));
}
