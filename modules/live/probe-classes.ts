/**
 * The class-scoped probe: with a class's client certificate, only that class's API groups answer. Each
 * class has its own listener whose rules forward only its groups' paths; any other path gets the listener's
 * default action, a fixed 404 (modules/aws/load-balancer.ts). One representative path per group, GET or
 * HEAD only (the write group's `/api/v1/push` is asked with HEAD: Mimir registers it for POST only, so a
 * listener that forwards it answers 405 from the distributor, never a write).
 */
import { InputError } from "../exposure/terraform-json";
import { PUBLIC_API_GROUPS, type PublicApiGroup } from "../contract/public-api";

/** A client class as the contract output lists it (`auth.classes`). */
export interface ProbeClass {
  readonly name: string;
  readonly mode: string;
  readonly groups: readonly string[];
}

/** The path asked for each group (each is its group's route in modules/contract/public-api.ts). */
export const GROUP_PROBES: Readonly<Record<PublicApiGroup, { method: "GET" | "HEAD"; path: string }>> = {
  write: { method: "HEAD", path: "/api/v1/push" },
  read: { method: "GET", path: "/prometheus/api/v1/status/buildinfo" },
  rules: { method: "GET", path: "/prometheus/config/v1/rules" },
  alertmanager: { method: "GET", path: "/alertmanager/api/v1/status/buildinfo" },
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

/** The groups to ask about: every public group, in the contract's order, each marked in or out of the class. */
export function groupsToProbe(c: ProbeClass): Array<{ group: PublicApiGroup; inClass: boolean }> {
  return PUBLIC_API_GROUPS.map((group) => ({ group, inClass: c.groups.includes(group) }));
}
