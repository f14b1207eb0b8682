/**
 * Client classes with scopes (issue 27, item 1). OSS Mimir authorizes nothing (it trusts X-Scope-OrgID), so the
 * edge gives each credential only its API groups, the way Grafana Enterprise Metrics access policies give a token
 * scopes. An environment declares its classes in `clients`: each has exactly one authentication (`auth`, the same
 * shapes as the environment-wide `auth`) and the public API groups it may use (modules/contract/public-api.ts):
 *  - `write` (push, OTLP), `read` (queries, metadata, rule and alert listings), `rules` (ruler configuration),
 *    `alertmanager` (Alertmanager configuration, silences, UI), `block-upload`.
 *  - Default groups: an mtls class (agents) gets `write` only; any other class gets the entry's groups.
 * Today's single `auth` is one class, `default`, with every group the entry serves (the migration: move it into
 * `clients: [{ name: "agents", auth, groups: ["write"] }, { name: "operators", auth: { mode: "oidc", ... }, groups: [...] }]`).
 */
import { z } from "zod/v3";
import type { Problem } from "../contract/problems";
import { PUBLIC_API_GROUPS, type PublicApiGroup } from "../contract/public-api";
import { authProblems, authSchema, resolveAuth, type AuthContext, type AuthSettings } from "./auth";

const fix = (rule: string, fixText: string) => ({ message: `${rule}. Fix: ${fixText}` });

/** The groups that administer Mimir (never on the agents' credential in a production-like environment). */
const ADMIN_GROUPS: readonly PublicApiGroup[] = ["rules", "alertmanager"];

export const clientClassSchema = z.strictObject({
  /** The class's name (listener, rule and review names): a-z, 0-9 and -, at most 20. */
  name: z.string(fix("is required", "name the class, e.g. agents or operators")).regex(/^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/, fix("must be 1-20 of a-z, 0-9 and -, starting with a letter", "use a name like agents")),
  /** Exactly one authentication (see auth.ts). */
  auth: authSchema,
  /** The public API groups this class may use. Default: `write` for mtls, else the entry's groups. */
  groups: z.array(z.enum(PUBLIC_API_GROUPS as unknown as [PublicApiGroup, ...PublicApiGroup[]], fix(`must be one of ${PUBLIC_API_GROUPS.join(", ")}`, "list public API groups by name"))).optional(),
});
export const clientsSchema = z.array(clientClassSchema).min(1, fix("is empty", "declare at least one client class, or use auth"));
export type ClientClassInput = z.input<typeof clientClassSchema>;

/** One client class, resolved. */
export interface ClientClass {
  readonly name: string;
  readonly auth: AuthSettings;
  readonly groups: readonly PublicApiGroup[];
}

/** The same object in S3 (or the same trust store): the same certificates pass. */
function trustKey(a: z.output<typeof authSchema>): string | undefined {
  if (a.mode !== "mtls") return undefined;
  return a.trustStoreArn ?? (a.caBundle ? `s3://${a.caBundle.bucket}/${a.caBundle.key}` : undefined);
}

/**
 * Resolve and check the classes (or the one class `auth` makes). Problems name `clients[i]...`.
 */
export function resolveClients(
  ctx: Omit<AuthContext, "auth"> & { readonly auth?: z.output<typeof authSchema>; readonly clients?: z.output<typeof clientsSchema>; readonly entryGroups: readonly PublicApiGroup[] },
): { problems: Problem[]; classes: ClientClass[] } {
  const problems: Problem[] = [];
  const add = (field: string, value: unknown, rule: string, fixText: string) => problems.push({ env: ctx.name, field, value, rule, fix: fixText });
  if (ctx.clients === undefined) {
    problems.push(...authProblems(ctx));
    return { problems, classes: [{ name: "default", auth: resolveAuth(ctx.auth), groups: [...ctx.entryGroups] }] };
  }
  if (ctx.auth !== undefined) add("clients", ctx.clients.map((c) => c.name), "is set together with auth; the environment's clients are one or the other", "move auth into a class of clients (see docs/entry-and-auth.md, \"Client classes\"), or remove clients");
  const classes: ClientClass[] = [];
  ctx.clients.forEach((c, i) => {
    const at = `clients[${i}]`;
    // The auth checks, named at the class.
    for (const p of authProblems({ ...ctx, auth: c.auth })) problems.push({ ...p, field: p.field.replace(/^auth/, `${at}.auth`) });
    const groups = [...new Set(c.groups ?? (c.auth.mode === "mtls" ? ["write" as const] : ctx.entryGroups))];
    if (groups.length === 0) add(`${at}.groups`, [], "is empty, so the class could use nothing", "list the groups it needs, e.g. [\"write\"]");
    groups.forEach((g) => {
      if (!ctx.entryGroups.includes(g)) add(`${at}.groups`, g, `is not served by this entry (entry.publicApi.groups is ${JSON.stringify(ctx.entryGroups)})`, `add ${g} to entry.publicApi.groups, or remove it from the class`);
    });
    if (ctx.clients!.findIndex((o) => o.name === c.name) !== i) add(`${at}.name`, c.name, "is the name of another class", "give every class its own name");
    if (c.auth.mode === "basic" || (c.auth.mode === "none" && ctx.clients!.length > 1)) {
      add(`${at}.auth.mode`, c.auth.mode, `cannot be one class among several: ${c.auth.mode === "basic" ? "basic authentication is one SecurityPolicy on every HTTPRoute" : "an unauthenticated class would reach every route the others' listener serves"}`, "use mtls or oidc classes (each gets its own load balancer listener), or a single class");
    }
    // Production-like: the credential that pushes never administers (a stolen agent key cannot delete rules or silence alerts).
    const admin = groups.filter((g) => ADMIN_GROUPS.includes(g));
    if (ctx.productionLike && admin.length > 0 && groups.includes("write")) {
      add(`${at}.groups`, groups, `gives the class that pushes (write) also ${admin.join(" and ")}: a key stolen from any agent host could delete every rule, silence every alert or point receivers elsewhere`, `give ${admin.join(" and ")} a class of its own (operators, typically oidc or a separate CA), e.g. clients: [{ name: "agents", auth: <mtls>, groups: ["write"] }, { name: "operators", auth: <oidc>, groups: ["read", ${admin.map((g) => `"${g}"`).join(", ")}] }]`);
    }
    classes.push({ name: c.name, auth: resolveAuth(c.auth), groups });
  });
  // Two classes trusting the same CA: a certificate of one is a certificate of the other.
  ctx.clients.forEach((c, i) => {
    const key = trustKey(c.auth);
    const j = key === undefined ? -1 : ctx.clients!.findIndex((o) => trustKey(o.auth) === key);
    if (j !== -1 && j < i) add(`clients[${i}].auth`, key, `trusts the same CA as clients[${j}] (${ctx.clients![j].name}), so the agents' certificate would ride on both classes`, `give ${c.name} its own CA bundle (or trust store), or merge the two classes`);
  });
  // Mimir runs single-tenant behind the load balancer: one tenant for every class.
  const tenants = [...new Set(classes.flatMap((c) => ("tenant" in c.auth ? [c.auth.tenant] : [])))];
  if (tenants.length > 1) add("clients", tenants, "name different tenants; behind the load balancer Mimir runs single-tenant (one no_auth_tenant)", `use one tenant in every class, e.g. "${tenants[0]}"`);
  if (ctx.loadBalancer.type !== "application" && classes.length > 1) add("clients", classes.map((c) => c.name), "needs an application load balancer: each class gets its own listener with its own authentication", "set loadBalancer.type application, or declare one class");
  if (classes.length > MAX_CLIENT_CLASSES) add("clients", classes.map((c) => c.name), `declares ${classes.length} classes; the load balancer has a listener for at most ${MAX_CLIENT_CLASSES} (the contract's client ports)`, "merge classes that share a credential");
  return { problems, classes };
}

/** Classes the load balancer can give a listener each (the contract's public client ports). */
const MAX_CLIENT_CLASSES = 2;
