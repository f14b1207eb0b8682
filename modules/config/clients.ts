/**
 * Client classes with scopes (issue 27, item 1). OSS Mimir authorizes nothing (it trusts X-Scope-OrgID), so the
 * edge gives each credential only its API groups, the way Grafana Enterprise Metrics access policies give a token
 * scopes. An environment declares its classes in `clients`: each has exactly one authentication (`auth`, the same
 * shapes as the environment-wide `auth`) and the public API groups it may use (modules/contract/public-api.ts):
 *  - `write` (push, OTLP), `read` (queries, metadata, rule and alert listings), `rules` (ruler configuration),
 *    `alertmanager` (Alertmanager configuration, silences, UI), `block-upload`; the read-only `rules-read` and
 *    `alertmanager-read` (GET of the same paths), which a class may hold when the entry serves `rules` or
 *    `alertmanager` (they are then served too) or lists them.
 *  - Default groups: an mtls class (agents) gets `write` only; any other class gets the entry's groups.
 * Today's single `auth` is one class, `default`, with every group the entry serves (the migration: move it into
 * `clients: [{ name: "agents", auth, groups: ["write"] }, { name: "operators", auth: { mode: "oidc", ... }, groups: [...] }]`).
 *
 * Where each class is told apart (`authenticatedAt`): an mtls or oidc class at the load balancer, on a listener of
 * its own that forwards only its groups' paths; a Gateway-side class (basic) at the Gateway API entry, by a
 * SecurityPolicy on its groups' HTTPRoutes (one route per group), the Gateway-side classes sharing one load balancer
 * listener that forwards only their groups' paths (`clientListeners`).
 */
import { z } from "zod/v3";
import type { Problem } from "../contract/problems";
import { PUBLIC_API_GROUPS, READ_ONLY_OF, isReadOnlyGroup, servableGroups, type PublicApiGroup } from "../contract/public-api";
import { authProblems, authSchema, resolveAuth, tenantOf, type AuthContext, type AuthSettings } from "./auth";

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

/** Where a class's credential is checked: the load balancer (mtls, oidc), the Gateway API entry (basic), or nowhere. */
export type AuthenticatedAt = "load-balancer" | "gateway" | "nowhere";
export function authenticatedAt(auth: Pick<AuthSettings, "mode">): AuthenticatedAt {
  if (auth.mode === "mtls" || auth.mode === "oidc") return "load-balancer";
  return auth.mode === "none" ? "nowhere" : "gateway";
}

/** The same object in S3, the same trust store or the same users Secret: the same credentials pass. */
function trustKey(a: z.output<typeof authSchema>): string | undefined {
  if (a.mode === "basic") return a.usersSecretName === undefined ? undefined : `Secret ${a.usersSecretName}`;
  if (a.mode !== "mtls") return undefined;
  return a.trustStoreArn ?? (a.caBundle ? `s3://${a.caBundle.bucket}/${a.caBundle.key}` : undefined);
}

/**
 * One load balancer listener for client classes: an mtls/oidc class has its own (its trust store or
 * authenticate-oidc), every Gateway-side class shares one that authenticates nothing at the load balancer (the
 * Gateway's SecurityPolicies do), a `none` class (alone) has one. The listener forwards only its classes' groups.
 */
export interface ClientListener {
  readonly classes: readonly ClientClass[];
  /** What the load balancer checks on this listener (the Gateway-side classes' listener: the first of them). */
  readonly auth: AuthSettings;
  readonly at: AuthenticatedAt;
  readonly groups: readonly PublicApiGroup[];
}

/** The classes' listeners, in declaration order (the first gets the contract's https port, the second `public.secondClassHttps`). */
export function clientListeners(classes: readonly ClientClass[]): ClientListener[] {
  const out: Array<{ classes: ClientClass[]; auth: AuthSettings; at: AuthenticatedAt }> = [];
  for (const c of classes) {
    const at = authenticatedAt(c.auth);
    const shared = at === "gateway" ? out.find((l) => l.at === "gateway") : undefined;
    if (shared) shared.classes.push(c);
    else out.push({ classes: [c], auth: c.auth, at });
  }
  return out.map((l) => ({ ...l, groups: [...new Set(l.classes.flatMap((c) => c.groups))] }));
}

/** Listeners the load balancer can give client classes (the contract's public client ports: https, secondClassHttps). */
export const MAX_CLIENT_LISTENERS = 2;

/**
 * Resolve and check the classes (or the one class `auth` makes). Problems name `clients[i]...`.
 */
export function resolveClients(
  ctx: Omit<AuthContext, "auth"> & {
    readonly auth?: z.output<typeof authSchema>;
    readonly clients?: z.output<typeof clientsSchema>;
    readonly entryGroups: readonly PublicApiGroup[];
    /** Who runs the Gateway API data plane (a Gateway-side class needs Envoy Gateway's SecurityPolicy). */
    readonly dataPlaneImplementation?: string;
    /** entry.operatorAccess is set (its rules go on the first client listener). */
    readonly operatorAccess?: boolean;
  },
): { problems: Problem[]; classes: ClientClass[] } {
  const problems: Problem[] = [];
  const add = (field: string, value: unknown, rule: string, fixText: string) => problems.push({ env: ctx.name, field, value, rule, fix: fixText });
  const gatewaySide = (field: string, a: z.output<typeof authSchema>) => {
    if (authenticatedAt(a) === "gateway" && ctx.dataPlaneImplementation === "other") {
      add(field, "other", `cannot enforce auth.mode ${a.mode}: it is an Envoy Gateway SecurityPolicy on the entry's HTTPRoutes`, "use entry.dataPlane.implementation envoy-gateway, or auth.mode mtls / oidc on the load balancer");
    }
  };
  // The operator rules go on the first listener; the operator route carries only the load-balancer-only policy, so
  // on the Gateway-side classes' listener (which authenticates nothing itself) nothing would authenticate them.
  const operatorAccessProblem = (listeners: readonly ClientListener[]) => {
    if (!ctx.operatorAccess || listeners[0]?.at !== "gateway") return;
    const first = listeners[0].classes[0];
    add("entry.operatorAccess", "(set)", `puts the operator routes on the first client listener, which belongs to ${first.name} (${first.auth.mode}): it authenticates at the Gateway, not at the load balancer, and the operator route carries no Gateway authentication, so nothing would authenticate operator endpoints`, ctx.clients === undefined ? "use auth.mode mtls or oidc, or reach operator endpoints from inside the cluster (kubectl port-forward)" : "list an mtls or oidc class first in clients, or reach operator endpoints from inside the cluster (kubectl port-forward)");
  };
  if (ctx.clients === undefined) {
    problems.push(...authProblems(ctx));
    if (ctx.auth) gatewaySide("entry.dataPlane.implementation", ctx.auth);
    const single = [{ name: "default", auth: resolveAuth(ctx.auth), groups: [...ctx.entryGroups] }];
    operatorAccessProblem(clientListeners(single));
    return { problems, classes: single };
  }
  if (ctx.auth !== undefined) add("clients", ctx.clients.map((c) => c.name), "is set together with auth; the environment's clients are one or the other", "move auth into a class of clients (see docs/entry-and-auth.md, \"Client classes\"), or remove clients");
  const classes: ClientClass[] = [];
  ctx.clients.forEach((c, i) => {
    const at = `clients[${i}]`;
    // The auth checks, named at the class.
    for (const p of authProblems({ ...ctx, auth: c.auth })) problems.push({ ...p, field: p.field.replace(/^auth/, `${at}.auth`) });
    const groups = [...new Set(c.groups ?? (c.auth.mode === "mtls" ? ["write" as const] : ctx.entryGroups))];
    if (groups.length === 0) add(`${at}.groups`, [], "is empty, so the class could use nothing", "list the groups it needs, e.g. [\"write\"]");
    const servable = servableGroups(ctx.entryGroups);
    groups.forEach((g) => {
      const full = READ_ONLY_OF[g];
      if (!servable.includes(g)) add(`${at}.groups`, g, `is not served by this entry (entry.publicApi.groups is ${JSON.stringify(ctx.entryGroups)})`, full ? `add ${full} or ${g} to entry.publicApi.groups, or remove it from the class` : `add ${g} to entry.publicApi.groups, or remove it from the class`);
      else if (isReadOnlyGroup(g) && ctx.entryKind === "ingress") add(`${at}.groups`, g, "is a read-only group, but the legacy ingress entry cannot match HTTP methods (its Ingress would serve every method of the path)", `use entry.kind gateway-api, or give the class ${full} (every method) or nothing of it`);
    });
    if (ctx.clients!.findIndex((o) => o.name === c.name) !== i) add(`${at}.name`, c.name, "is the name of another class", "give every class its own name");
    if (c.auth.mode === "none" && ctx.clients!.length > 1) {
      add(`${at}.auth.mode`, c.auth.mode, "cannot be one class among several: an unauthenticated class would reach every route the others' listener serves", "authenticate every class (mtls or oidc at the load balancer, basic at the Gateway), or keep a single class");
    }
    gatewaySide(`${at}.auth.mode`, c.auth);
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
    if (j === -1 || j >= i) return;
    if (c.auth.mode === "basic") add(`clients[${i}].auth.usersSecretName`, c.auth.usersSecretName, `is the users Secret of clients[${j}] (${ctx.clients![j].name}), so one password would ride on both classes`, `give ${c.name} a users Secret of its own, or merge the two classes`);
    else add(`clients[${i}].auth`, key, `trusts the same CA as clients[${j}] (${ctx.clients![j].name}), so the agents' certificate would ride on both classes`, `give ${c.name} its own CA bundle (or trust store), or merge the two classes`);
  });
  // Two jwt classes of one issuer and audience: a class is told apart only by the scopes or claims it requires, so
  // one that requires none (or the same ones as the other) admits the other class's tokens too.
  const need = (a: AuthSettings) => (a.mode === "jwt" ? JSON.stringify([[...a.scopes].sort(), a.claims.map((x) => [x.name, [...x.values].sort(), x.valueType ?? "String"]).sort()]) : "");
  classes.forEach((c, i) => {
    const a = c.auth;
    if (a.mode !== "jwt") return;
    const j = classes.findIndex((o, k) => k < i && o.auth.mode === "jwt" && o.auth.issuer === a.issuer && o.auth.audiences.some((x) => a.audiences.includes(x)) && (need(o.auth) === need(a) || (a.scopes.length === 0 && a.claims.length === 0) || (o.auth.scopes.length === 0 && o.auth.claims.length === 0)));
    if (j === -1) return;
    add(`clients[${i}].auth`, a.issuer, `trusts the same issuer and audience as clients[${j}] (${classes[j].name}), and the two do not require different scopes or claims (one requires none, or both the same), so a token of one class would pass the other's SecurityPolicy`, `give each class scopes or claims of its own (e.g. scopes: ["metrics:read"] for ${c.name}), give it its own audience, or merge the two classes`);
  });
  // A Gateway-side class authenticates on its groups' routes: one SecurityPolicy per route, so a group it holds is
  // nobody else's (another Gateway-side class would need a second policy on the route; an mtls/oidc class would be
  // asked for this class's credential there). A read-only group shares its full group's paths and its GET: both
  // HTTPRoutes match a GET equally, and Gateway API gives it to the older route (then the first by name), so the two
  // cannot belong to different classes when either authenticates at the Gateway (a GET would meet the other's policy).
  const overlaps = (a: PublicApiGroup, b: PublicApiGroup) => a === b || READ_ONLY_OF[a] === b || READ_ONLY_OF[b] === a;
  classes.forEach((c, i) => {
    for (const g of c.groups) {
      const j = classes.findIndex((o) => o.groups.some((h) => overlaps(g, h)) && (authenticatedAt(o.auth) === "gateway" || authenticatedAt(c.auth) === "gateway"));
      if (j === -1 || j >= i) continue;
      const gw = authenticatedAt(c.auth) === "gateway" ? c : classes[j];
      const other = classes[j].groups.find((h) => overlaps(g, h))!;
      if (other === g) {
        add(`clients[${i}].groups`, g, `is also a group of clients[${j}] (${classes[j].name}); ${gw.name} authenticates at the Gateway, on the HTTPRoute of each of its groups (one SecurityPolicy per route), so a group it holds can be no other class's`, `give ${g} to one class only, or authenticate both classes at the load balancer (mtls or oidc)`);
      } else {
        const [ro, full] = isReadOnlyGroup(g) ? [g, other] : [other, g];
        add(`clients[${i}].groups`, g, `shares its paths with ${other} of clients[${j}] (${classes[j].name}); ${gw.name} authenticates at the Gateway, and both HTTPRoutes (${ro}, ${full}) match a GET of those paths, which Gateway API gives to the older route, so one class's GET would meet the other class's SecurityPolicy`, `give ${ro} and ${full} to the same class, give the ${ro} class's need to the ${full} class, or authenticate both classes at the load balancer (mtls or oidc), where each listener forwards only its own methods`);
      }
    }
  });
  // One tenant for every class that names one; Mimir runs single-tenant then, so a class cannot take tenants from user names.
  const tenants = [...new Set(classes.flatMap((c) => tenantOf(c.auth) ?? []))];
  if (tenants.length > 1) add("clients", tenants, "name different tenants; Mimir runs single-tenant (one no_auth_tenant) when a class names its tenant", `use one tenant in every class, e.g. "${tenants[0]}"`);
  if (tenants.length > 0) {
    const named = classes.find((c) => tenantOf(c.auth) !== undefined)!;
    classes.forEach((c, i) => {
      if (c.auth.mode === "basic" && tenantOf(c.auth) === undefined) add(`clients[${i}].auth.tenant`, undefined, `is missing: ${named.name} (${named.auth.mode}) runs Mimir single-tenant ("${tenants[0]}"), so this class's user names cannot be tenants`, `set clients[${i}].auth.tenant to "${tenants[0]}"`);
    });
  }
  const listeners = clientListeners(classes);
  operatorAccessProblem(listeners);
  if (ctx.loadBalancer.type !== "application" && listeners.length > 1) add("clients", classes.map((c) => c.name), "needs an application load balancer: each mtls or oidc class gets its own listener with its own authentication", "set loadBalancer.type application, or authenticate every class at the Gateway (basic)");
  if (listeners.length > MAX_CLIENT_LISTENERS) {
    add("clients", classes.map((c) => c.name), `needs ${listeners.length} load balancer listeners (one per mtls or oidc class, one shared by the classes that authenticate at the Gateway); the contract has ${MAX_CLIENT_LISTENERS} client ports (public.https, public.secondClassHttps)`, "merge classes that share a credential, or authenticate further classes at the Gateway (basic), which share one listener");
  }
  return { problems, classes };
}
