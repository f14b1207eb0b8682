/**
 * Who may use the entry: one authentication mode per environment.
 *
 *  - `mtls`  ALB mutual TLS, mode verify, against a trust store (a CA bundle in
 *            S3, or an existing trust store ARN). For agents that push.
 *  - `oidc`  ALB `authenticate-oidc` (browser users); the client secret is read
 *            from AWS Secrets Manager by ARN, never written in config.
 *  - `basic` Basic auth at the Gateway API entry (Envoy Gateway SecurityPolicy);
 *            users come from a Kubernetes Secret (htpasswd) the stack references;
 *            the user name becomes the tenant (X-Scope-OrgID is overwritten).
 *  - `jwt`   Bearer tokens checked at the Gateway API entry (Envoy Gateway
 *            SecurityPolicy `jwt`): issuer, audiences and signature against the
 *            issuer's public JWKS; optional scopes/claims become the
 *            authorization rule. Single tenant like mtls/oidc (no claim is
 *            mapped to X-Scope-OrgID; see docs/entry-and-auth.md).
 *  - `none`  No authentication, on purpose: needs a `reason`, which becomes the
 *            acknowledgement of policy rule MP018.
 *
 * Default when `auth` is absent: production-like environments (productionLike:
 * true) must choose a mode (config error); any other environment gets `none`
 * WITHOUT an acknowledgement, so MP018 fails the synth until the team picks a
 * mode or writes `auth: { mode: "none", reason }`. Nothing is unauthenticated
 * by accident.
 *
 * Shape checks are zod (strict: unknown keys are errors); secret detection and
 * cross-field checks are `authProblems`, which never prints a secret value.
 */
import { z } from "zod/v3";
import { CIDR_FIX, isCidrProblem, parseCidr } from "../contract/cidr";
import type { Problem } from "../contract/problems";
import { deepMerge, getPath, isPlainObject, walk } from "../shared/objects";
import { dnsSubdomain } from "./checks/k8s-names";
import { awsId } from "./checks/aws-facts";

const usersSecretName = dnsSubdomain("Kubernetes Secret name", "mimir-basic-auth");

const fix = (rule: string, fixText: string) => ({ message: `${rule}. Fix: ${fixText}` });

export const AUTH_MODES = ["mtls", "oidc", "basic", "jwt", "none"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Mimir's tenant header (set by the authenticating proxy, never trusted from a client). */
export const TENANT_HEADER = "X-Scope-OrgID";
/** The Secret key Envoy Gateway reads htpasswd users from. */
export const HTPASSWD_KEY = ".htpasswd";

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// Mimir tenant IDs: up to 150 of a-z A-Z 0-9 ! - _ . * ' ( ) (Mimir docs, "About tenant IDs"); "." and ".." are not allowed.
const TENANT_ID = /^[A-Za-z0-9!_.*'()-]{1,150}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const TRUST_STORE_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:truststore\/[A-Za-z0-9-]+\/[0-9a-f]+$/;
const HTTPS_URL = /^https:\/\/[^\s/$.?#][^\s]*$/;

/** Keys that would hold a secret's value: accepted by the schema only so they can be refused without echoing the value. */
const SECRET_KEYS = ["clientSecret", "password", "secret", "token", "htpasswd", "users", "privateKey", "apiKey", "credentials"] as const;
const secretKeys = Object.fromEntries(SECRET_KEYS.map((k) => [k, z.unknown().optional()])) as Record<(typeof SECRET_KEYS)[number], z.ZodOptional<z.ZodUnknown>>;

const s3Object = z.strictObject({
  bucket: z.string().regex(BUCKET, fix("is not a valid S3 bucket name", "use the bucket that holds the PEM file")),
  key: z.string().min(1, fix("is empty", "give the object key of the PEM file, e.g. mimir/ca-bundle.pem")),
  /** The S3 version id of the object (`aws s3api put-object` prints it as VersionId): pins what the load balancer reads. */
  objectVersion: z.string().regex(/^\S{1,1024}$/, fix("is not an S3 object version id", "copy the VersionId that aws s3api put-object (or list-object-versions) printed for this object")).optional(),
});

const tenant = z
  .string({
    required_error: fix("is required: the one tenant every authenticated client writes to and reads from", "set tenant, e.g. \"prod\" (Mimir then runs single-tenant and ignores a client's X-Scope-OrgID)").message,
    invalid_type_error: fix("must be a string: a Mimir tenant ID", "quote it, e.g. \"prod\"").message,
  })
  .regex(TENANT_ID, fix("is not a valid Mimir tenant ID", "use up to 150 of a-z A-Z 0-9 ! - _ . * ' ( )"))
  .refine((t) => t !== "." && t !== "..", fix("is not a valid Mimir tenant ID", "use a name other than . or .."));

const mtls = z.strictObject({
  mode: z.literal("mtls"),
  /** PEM bundle of the CAs that sign agent certificates (becomes an aws_lb_trust_store). */
  caBundle: s3Object.optional(),
  /** An existing trust store instead of caBundle. */
  trustStoreArn: z.string().optional(),
  /** Certificate revocation lists (CRL files in S3), checked by the load balancer. */
  revocations: z.array(s3Object).default([]),
  ignoreClientCertificateExpiry: z.boolean().default(false),
  /** Advertise the trust store's CA names in the TLS handshake (helps clients with several certificates). */
  advertiseCaNames: z.boolean().default(false),
  tenant,
  ...secretKeys,
});

const oidc = z.strictObject({
  mode: z.literal("oidc"),
  issuer: z.string().optional(),
  authorizationEndpoint: z.string().optional(),
  tokenEndpoint: z.string().optional(),
  userInfoEndpoint: z.string().optional(),
  clientId: z.string().optional(),
  /** ARN of the AWS Secrets Manager secret holding the client secret. */
  clientSecretArn: z.string().optional(),
  /** When the secret is JSON: the key that holds the client secret. */
  clientSecretJsonKey: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/, fix("is not a JSON key name this stack can look up", "use a key of letters, digits, _ or -, e.g. client_secret")).optional(),
  scope: z.string().default("openid"),
  sessionTimeout: z.number().int().min(1).max(604800).optional(),
  tenant,
  ...secretKeys,
});

const basic = z.strictObject({
  mode: z.literal("basic"),
  /** Kubernetes Secret (in Mimir's namespace) with htpasswd users under the key `.htpasswd`; each user name is a tenant. */
  usersSecretName: z.string().optional(),
  /**
   * The one tenant of a single-tenant Mimir (required beside mtls/oidc classes, which impose one); without it each
   * user name is a tenant.
   */
  tenant: tenant.optional(),
  ...secretKeys,
});

const jwtClaim = z.strictObject({
  /** The claim's name; a nested claim as a dotted path (e.g. "organization.department"). */
  name: z.string(fix("is required", "name the claim, e.g. azp or groups")).min(1, fix("is empty", "name the claim, e.g. azp or groups")).max(253, fix("is longer than Envoy Gateway accepts (253)", "use the claim's name")),
  /** Accepted values: the claim matches when it equals one of them. */
  values: z.array(z.string().min(1, fix("is empty", "give the value the claim must have"))).min(1, fix("is empty, so no token could match", "list the values the claim may have")).max(128, fix("has more values than Envoy Gateway accepts (128)", "use fewer values, or a scope")),
  /** `StringArray` when the claim is a list (e.g. groups, roles): one of its elements must be one of `values`. Default `String`. */
  valueType: z.enum(["String", "StringArray"], fix("must be String or StringArray", "use StringArray for a list claim such as groups")).optional(),
});

/** An IPv4 CIDR (the egress rule's cidr_ipv4), parsed strictly: octets, prefix length, no host bits. */
const jwksCidr = z.string(fix("is not an IPv4 CIDR", "use the identity provider's address range, e.g. 203.0.113.0/24")).superRefine((value, ctx) => {
  const parsed = parseCidr(value);
  if (!value.includes(":") && isCidrProblem(parsed)) ctx.addIssue({ code: "custom", message: `${parsed.rule}. Fix: ${parsed.fix === CIDR_FIX ? "use the identity provider's IPv4 address range, e.g. 203.0.113.0/24" : parsed.fix}` });
  else if (value.includes(":") || isCidrProblem(parsed)) ctx.addIssue({ code: "custom", message: fix("is not an IPv4 CIDR", "use the identity provider's IPv4 address range, e.g. 203.0.113.0/24").message });
});

const jwt = z.strictObject({
  mode: z.literal("jwt"),
  /** The issuer (`iss`) tokens must carry: the identity provider's https URL. */
  issuer: z.string().optional(),
  /** Where Envoy fetches the issuer's public keys (the `jwks_uri` of its /.well-known/openid-configuration). */
  jwksUri: z.string().optional(),
  /** Accepted audiences (`aud`): a token for another application of the same issuer is refused. */
  audiences: z.array(z.string()).optional(),
  tenant,
  /** Scopes every token must carry (`scope`/`scp`, all of them). */
  scopes: z.array(z.string()).optional(),
  /** Claims every token must carry (all of them; each with one of its values). */
  claims: z.array(jwtClaim).max(16, fix("has more claims than Envoy Gateway accepts (16)", "keep the claims that decide who may use the class")).optional(),
  /**
   * Where the proxies may fetch the JWKS (HTTPS egress of the data-plane security group the stack creates): the
   * identity provider's CIDRs, or a prefix list. Required when the stack creates that group.
   */
  jwksEgress: z
    .strictObject({
      cidrs: z.array(jwksCidr).min(1, fix("is empty", "list the identity provider's CIDRs, or use prefixListId")).optional(),
      prefixListId: z.string().regex(awsId("pl"), fix("is not a managed prefix list id", "use pl-0123456789abcdef0")).optional(),
    })
    .optional(),
  ...secretKeys,
});

const none = z.strictObject({
  mode: z.literal("none"),
  /** Why this environment has no authentication: recorded as the MP018 acknowledgement. */
  reason: z.string(fix("is required with mode none", "say why this entry may stay unauthenticated, e.g. \"dev: internal VPC only, synthetic data\"")).min(10, fix("is too short to tell a reviewer why", "write why (at least 10 characters)")),
});

export const authSchema = z.discriminatedUnion("mode", [mtls, oidc, basic, jwt, none], fix(`must have mode ${AUTH_MODES.map((m) => `"${m}"`).join(", ")}`, "set auth.mode (see docs/entry-and-auth.md, \"Authentication\")"));
export type AuthInput = z.input<typeof authSchema>;
type ParsedAuth = z.output<typeof authSchema>;

export interface S3Object {
  readonly bucket: string;
  readonly key: string;
  readonly objectVersion?: string;
}

/** The resolved authentication of one environment. */
export type AuthSettings =
  | {
      readonly mode: "mtls";
      readonly trustStore: { readonly arn: string } | { readonly caBundle: S3Object };
      readonly revocations: readonly S3Object[];
      readonly ignoreClientCertificateExpiry: boolean;
      readonly advertiseCaNames: boolean;
      readonly tenant: string;
    }
  | {
      readonly mode: "oidc";
      readonly issuer: string;
      readonly authorizationEndpoint: string;
      readonly tokenEndpoint: string;
      readonly userInfoEndpoint: string;
      readonly clientId: string;
      readonly clientSecretArn: string;
      readonly clientSecretJsonKey?: string;
      readonly scope: string;
      readonly sessionTimeout?: number;
      readonly tenant: string;
    }
  | { readonly mode: "basic"; readonly usersSecretName: string; readonly tenant?: string }
  | JwtAuthSettings
  | { readonly mode: "none"; readonly reason?: string };

/** A claim a token must carry (Envoy Gateway `principal.jwt.claims[]`). */
export interface JwtClaim {
  readonly name: string;
  readonly values: readonly string[];
  readonly valueType?: "String" | "StringArray";
}

/** Bearer tokens checked by Envoy Gateway (SecurityPolicy `jwt`); Mimir runs single-tenant on `tenant`. */
export interface JwtAuthSettings {
  readonly mode: "jwt";
  readonly issuer: string;
  readonly jwksUri: string;
  readonly audiences: readonly string[];
  readonly tenant: string;
  readonly scopes: readonly string[];
  readonly claims: readonly JwtClaim[];
  /** HTTPS egress of the proxies to the identity provider (the JWKS), when the stack creates their group. */
  readonly jwksEgress?: { readonly cidrs?: readonly string[]; readonly prefixListId?: string };
}

/**
 * The one tenant this authentication imposes (Mimir single-tenant), or undefined when the tenant comes from the
 * credential (basic without a tenant) or from the client (none).
 */
export function tenantOf(auth: AuthSettings): string | undefined {
  return "tenant" in auth ? auth.tenant : undefined;
}

/** What `authProblems` needs of the environment. */
export interface AuthContext {
  readonly name: string;
  readonly productionLike: boolean;
  readonly auth?: ParsedAuth;
  readonly loadBalancer: { readonly type: "application" | "network"; readonly target: { readonly kind: string } };
  readonly serviceOwnership: "helm" | "external";
  /** The user's chart values (to catch a conflicting multitenancy setting). */
  readonly helmValues: unknown;
  /** The resolved entry kind (basic and jwt need the Gateway API entry). */
  readonly entryKind?: string;
}

const REDACTED = "(redacted)";
const PEM = /-----BEGIN [A-Z ]+-----/;
const HTPASSWD_LINE = /^[^\s:]+:(\{SHA\}|\$apr1\$|\$2[aby]\$|\$[156]\$)/m;
const BASIC_HEADER = /^(Basic|Bearer) [A-Za-z0-9+/=._-]{8,}$/;
// A JWT (JWS compact form): base64url header and payload, both JSON objects (`{"` encodes as eyJ), anywhere in the text.
const JWT_TOKEN = /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/;

/** Does this string look like a secret's value (not a reference to one)? */
export function looksLikeSecret(value: string): boolean {
  return PEM.test(value) || HTPASSWD_LINE.test(value) || BASIC_HEADER.test(value) || JWT_TOKEN.test(value);
}

/** A secret's value by its shape, or a URL carrying a password. */
function isInlineSecret(value: string): boolean {
  return looksLikeSecret(value) || urlWithPassword(value);
}

/** A list to echo, each inline secret in it redacted. */
function redactEach(values: readonly string[]): string[] {
  return values.map((v) => (isInlineSecret(v) ? REDACTED : v));
}

/** A URL with a password in it (https://user:pass@host): a credential, not a reference. */
function urlWithPassword(value: string): boolean {
  try {
    return new URL(value).password !== "";
  } catch {
    return false;
  }
}

const SINGLE_TENANT_PATHS = {
  multitenancy: ["mimir", "structuredConfig", "multitenancy_enabled"],
  noAuthTenant: ["mimir", "structuredConfig", "no_auth_tenant"],
} as const;

/** Every auth problem of one environment; secret values are never echoed. */
export function authProblems(ctx: AuthContext): Problem[] {
  const out: Problem[] = [];
  const add = (field: string, value: unknown, rule: string, fixText: string) => out.push({ env: ctx.name, field, value, rule, fix: fixText });
  const a = ctx.auth;

  if (a === undefined) {
    if (ctx.productionLike) {
      add("auth", undefined, "is required: a production-like environment must authenticate its clients", `set auth.mode to "mtls" (agents with client certificates), "oidc" (browser users), "jwt" (bearer tokens, Envoy Gateway) or "basic" (Envoy Gateway, tenant = user name); see docs/entry-and-auth.md, "Authentication"`);
    }
    return out;
  }

  // Inline secrets: refused by key, and by value wherever they hide.
  for (const key of SECRET_KEYS) {
    const v = (a as Record<string, unknown>)[key];
    if (v === undefined) continue;
    const ref =
      a.mode === "oidc"
        ? "store it in AWS Secrets Manager and set auth.clientSecretArn to the secret's ARN"
        : a.mode === "basic"
          ? "put the htpasswd users in a Kubernetes Secret (key .htpasswd, e.g. synced from AWS Secrets Manager) and set auth.usersSecretName"
          : a.mode === "jwt"
            ? "remove it: JWT authentication needs no secret (Envoy fetches the issuer's public keys from auth.jwksUri; each client sends its own token)"
            : "keep secrets out of config; reference them (Secrets Manager ARN or Kubernetes Secret name)";
    add(`auth.${key}`, REDACTED, "is an inline secret: credentials never go into config, synthesized JSON or Git", ref);
  }
  for (const [path, v] of walk(a)) {
    if (typeof v === "string" && path.length > 0 && !(SECRET_KEYS as readonly string[]).includes(path[0]) && isInlineSecret(v)) {
      add(`auth.${path.join(".")}`, REDACTED, "looks like an inline secret (a PEM block, htpasswd entry, Authorization header value, JWT or URL with a password)", a.mode === "jwt" ? "remove it: JWT authentication needs no secret (tokens are the clients', never config; the JWKS URL is public and needs no credentials)" : "reference the secret instead: a Secrets Manager ARN, an S3 object for CA bundles, or a Kubernetes Secret name");
    }
  }

  const alb = ctx.loadBalancer.type === "application";
  switch (a.mode) {
    case "mtls": {
      if (!alb) add("auth.mode", "mtls", "needs an application load balancer: a network load balancer cannot verify client certificates", "set loadBalancer.type application, or use auth.mode basic at the Gateway API entry");
      if (a.caBundle === undefined && a.trustStoreArn === undefined) {
        add("auth.caBundle", undefined, "is missing: mutual TLS needs the CAs that sign client certificates", "set auth.caBundle { bucket, key } to a PEM bundle in S3, or auth.trustStoreArn to an existing trust store");
      }
      if (a.caBundle !== undefined && a.trustStoreArn !== undefined) {
        add("auth.trustStoreArn", a.trustStoreArn, "is set together with auth.caBundle", "keep one: caBundle creates a trust store, trustStoreArn uses an existing one");
      }
      if (a.trustStoreArn !== undefined && !TRUST_STORE_ARN.test(a.trustStoreArn)) {
        add("auth.trustStoreArn", a.trustStoreArn, "is not a load balancer trust store ARN", "use arn:aws:elasticloadbalancing:<region>:<account>:truststore/<name>/<id>");
      }
      if (a.trustStoreArn !== undefined && a.revocations.length > 0) {
        add("auth.revocations", a.revocations, "can only be attached to a trust store this stack creates", "add the revocation lists to your existing trust store, or use auth.caBundle");
      }
      break;
    }
    case "oidc": {
      if (!alb) add("auth.mode", "oidc", "needs an application load balancer: a network load balancer cannot run authenticate-oidc", "set loadBalancer.type application, or use auth.mode basic at the Gateway API entry");
      for (const field of ["issuer", "authorizationEndpoint", "tokenEndpoint", "userInfoEndpoint"] as const) {
        const v = a[field];
        if (v === undefined) add(`auth.${field}`, undefined, "is required for OIDC", `set auth.${field} to your identity provider's HTTPS URL (see its /.well-known/openid-configuration)`);
        else if (isInlineSecret(v)) continue; // refused above, never echoed
        else if (!HTTPS_URL.test(v)) add(`auth.${field}`, v, "must be an https:// URL", `use the ${field} from your identity provider's /.well-known/openid-configuration`);
      }
      if (a.clientId === undefined || a.clientId.trim() === "") add("auth.clientId", a.clientId, "is required for OIDC", "set auth.clientId to the client (application) ID registered with your identity provider");
      if (a.clientSecretArn === undefined) {
        add("auth.clientSecretArn", undefined, "is required for OIDC: the load balancer needs the client secret", "store the secret in AWS Secrets Manager and set auth.clientSecretArn to its ARN");
      } else if (!SECRET_ARN.test(a.clientSecretArn)) {
        // Whatever it is, it is not a reference: do not echo it.
        add("auth.clientSecretArn", REDACTED, "is not an AWS Secrets Manager secret ARN (a literal secret must never be in config)", "set it to arn:aws:secretsmanager:<region>:<account>:secret:<name>");
      }
      break;
    }
    case "basic": {
      if (a.usersSecretName === undefined) {
        add("auth.usersSecretName", undefined, "is required: basic auth checks users against a Kubernetes Secret", "create a Secret with the key .htpasswd in Mimir's namespace (e.g. synced from AWS Secrets Manager) and set auth.usersSecretName");
      } else if (a.usersSecretName.includes(":")) {
        add("auth.usersSecretName", REDACTED, "looks like htpasswd content, not a Secret name (a literal secret must never be in config)", "name the Secret that holds the .htpasswd key, e.g. mimir-basic-auth");
      } else {
        const bad = usersSecretName(a.usersSecretName);
        if (bad) add("auth.usersSecretName", a.usersSecretName, bad.rule, bad.fix);
      }
      gatewayEntryProblems(ctx, "basic", add);
      break;
    }
    case "jwt":
      jwtProblems(a, add);
      gatewayEntryProblems(ctx, "jwt", add);
      break;
    case "none":
      break;
  }

  if ("tenant" in a && a.tenant !== undefined) {
    const multi = getPath(ctx.helmValues, SINGLE_TENANT_PATHS.multitenancy);
    const noAuth = getPath(ctx.helmValues, SINGLE_TENANT_PATHS.noAuthTenant);
    if (multi === true) {
      const who = a.mode === "mtls" ? "agent" : a.mode === "jwt" ? "token holder" : "user";
      const why = a.mode === "jwt" ? "Envoy Gateway checks the token but this stack maps no claim to a tenant" : a.mode === "basic" ? "auth.tenant makes every user write one tenant" : "the load balancer authenticates clients but cannot map them to tenants";
      add(`helm.values.${SINGLE_TENANT_PATHS.multitenancy.join(".")}`, true, `would let any authenticated ${who} choose a tenant with X-Scope-OrgID: ${why}`, `remove it (auth.tenant "${a.tenant}" runs Mimir single-tenant), or use auth.mode basic without a tenant, where the tenant comes from the credential`);
    }
    if (noAuth !== undefined && noAuth !== a.tenant) {
      add(`helm.values.${SINGLE_TENANT_PATHS.noAuthTenant.join(".")}`, noAuth, `differs from auth.tenant "${a.tenant}"`, "remove it; auth.tenant sets it");
    }
  }
  return out;
}

type Add = (field: string, value: unknown, rule: string, fixText: string) => void;

/**
 * basic and jwt are Envoy Gateway SecurityPolicies on the Gateway API entry's HTTPRoutes: any other way from the
 * load balancer to Mimir bypasses them.
 */
function gatewayEntryProblems(ctx: AuthContext, mode: "basic" | "jwt", add: Add): void {
  if (ctx.entryKind !== undefined && ctx.entryKind !== "gateway-api") {
    add("auth.mode", mode, `is enforced by Envoy Gateway on the Gateway API entry's HTTPRoutes, but entry.kind is ${ctx.entryKind}, so traffic from the load balancer would bypass it`, "set entry.kind gateway-api (with entry.dataPlane), or use auth.mode mtls / oidc on the load balancer");
  } else if (ctx.entryKind === undefined && ctx.loadBalancer.target.kind === "mimir") {
    add("auth.mode", mode, "is enforced by Envoy Gateway in front of Mimir, but the load balancer targets Mimir directly and would bypass it", "point loadBalancer.target at the Gateway's data-plane Service, or use auth.mode mtls / oidc on the load balancer");
  }
}

/** Envoy Gateway v1.9's limits on a JWT provider and an authorization principal (SecurityPolicy CRD). */
const JWT_LIMITS = { uri: 253, audiences: 8, scopes: 16, scope: 253 } as const;

/** The jwt settings Envoy Gateway would refuse, or that would let every token of the issuer in. */
function jwtProblems(a: Extract<ParsedAuth, { mode: "jwt" }>, add: Add): void {
  const urls = { issuer: "the issuer (iss) of the identity provider's tokens, e.g. https://login.example.com/realms/acme", jwksUri: "the jwks_uri of the identity provider's /.well-known/openid-configuration" } as const;
  for (const field of ["issuer", "jwksUri"] as const) {
    const v = a[field];
    if (v === undefined) add(`auth.${field}`, undefined, "is required for JWT authentication", `set auth.${field} to ${urls[field]}`);
    else if (isInlineSecret(v)) continue; // refused above, never echoed
    else if (!HTTPS_URL.test(v)) add(`auth.${field}`, v, "must be an https:// URL", `use ${urls[field]}`);
    else if (v.length > JWT_LIMITS.uri) add(`auth.${field}`, v, `is longer than Envoy Gateway accepts (${JWT_LIMITS.uri} characters)`, `use ${urls[field]}`);
  }
  const audiences = a.audiences ?? [];
  if (audiences.length === 0) {
    add("auth.audiences", a.audiences, "is required: without audiences every token the issuer signs (for any application) would be accepted", "list the audience (aud) your identity provider puts in tokens for Mimir, e.g. [\"mimir\"]");
  } else if (audiences.length > JWT_LIMITS.audiences) {
    add("auth.audiences", redactEach(audiences), `lists more audiences than Envoy Gateway accepts (${JWT_LIMITS.audiences})`, "give Mimir's clients one audience");
  }
  audiences.forEach((v, i) => {
    if (v.trim() === "") add(`auth.audiences[${i}]`, v, "is empty", "use the audience (aud) value tokens for Mimir carry");
  });
  const scopes = a.scopes ?? [];
  if (scopes.length > JWT_LIMITS.scopes) add("auth.scopes", redactEach(scopes), `lists more scopes than Envoy Gateway accepts (${JWT_LIMITS.scopes})`, "require the scopes that decide who may use the class");
  scopes.forEach((v, i) => {
    // Envoy splits the token's scope claim at spaces; a required scope with a space in it never matches.
    if ((!/^\S+$/.test(v) || v.length > JWT_LIMITS.scope) && !isInlineSecret(v)) add(`auth.scopes[${i}]`, v, "is not one scope (empty, contains whitespace, or longer than 253 characters)", "list each scope on its own, e.g. [\"metrics:write\"]");
  });
}

/** The resolved settings (call after `authProblems` found nothing). */
export function resolveAuth(auth: ParsedAuth | undefined): AuthSettings {
  if (auth === undefined) return { mode: "none" };
  switch (auth.mode) {
    case "mtls":
      return {
        mode: "mtls",
        trustStore: auth.caBundle ? { caBundle: auth.caBundle } : { arn: auth.trustStoreArn as string },
        revocations: auth.revocations,
        ignoreClientCertificateExpiry: auth.ignoreClientCertificateExpiry,
        advertiseCaNames: auth.advertiseCaNames,
        tenant: auth.tenant,
      };
    case "oidc":
      return {
        mode: "oidc",
        issuer: auth.issuer as string,
        authorizationEndpoint: auth.authorizationEndpoint as string,
        tokenEndpoint: auth.tokenEndpoint as string,
        userInfoEndpoint: auth.userInfoEndpoint as string,
        clientId: auth.clientId as string,
        clientSecretArn: auth.clientSecretArn as string,
        ...(auth.clientSecretJsonKey ? { clientSecretJsonKey: auth.clientSecretJsonKey } : {}),
        scope: auth.scope,
        ...(auth.sessionTimeout !== undefined ? { sessionTimeout: auth.sessionTimeout } : {}),
        tenant: auth.tenant,
      };
    case "basic":
      return { mode: "basic", usersSecretName: auth.usersSecretName as string, ...(auth.tenant !== undefined ? { tenant: auth.tenant } : {}) };
    case "jwt":
      return {
        mode: "jwt",
        issuer: auth.issuer as string,
        jwksUri: auth.jwksUri as string,
        audiences: auth.audiences ?? [],
        tenant: auth.tenant,
        scopes: auth.scopes ?? [],
        claims: (auth.claims ?? []).map((c) => ({ name: c.name, values: c.values, ...(c.valueType ? { valueType: c.valueType } : {}) })),
        ...(auth.jwksEgress ? { jwksEgress: auth.jwksEgress } : {}),
      };
    case "none":
      return { mode: "none", reason: auth.reason };
  }
}

/**
 * Chart values that make the load balancer's authentication meaningful: with
 * mtls/oidc the load balancer proves who the client is but cannot set a tenant,
 * and with jwt this stack maps no claim to one, so Mimir runs single-tenant
 * (`multitenancy_enabled: false`, every request is `no_auth_tenant`) and a
 * client's X-Scope-OrgID is ignored. Merged under the user's values.
 */
export function authHelmValues(auth: AuthSettings): Record<string, unknown> {
  const tenant = tenantOf(auth);
  if (tenant === undefined) return {};
  return { mimir: { structuredConfig: { multitenancy_enabled: false, no_auth_tenant: tenant } } };
}

export function withAuthHelmValues(auth: AuthSettings, user: Record<string, unknown>): Record<string, unknown> {
  const ours = authHelmValues(auth);
  return Object.keys(ours).length === 0 ? user : deepMerge(ours, isPlainObject(user) ? user : {});
}

/** How the tenant is decided, in words (contract output, review). */
export function tenantSource(auth: AuthSettings): string {
  const tenant = tenantOf(auth);
  if (tenant !== undefined) return `single tenant "${tenant}" (Mimir multitenancy off; client ${TENANT_HEADER} ignored)`;
  return auth.mode === "basic" ? `user name of the credential (Envoy Gateway overwrites ${TENANT_HEADER})` : `client-chosen ${TENANT_HEADER} (unauthenticated)`;
}

/** A non-secret summary for the `mimir_port_contract` output and the review. */
export function authSummary(auth: AuthSettings): Record<string, unknown> {
  const base = { mode: auth.mode, tenant: tenantSource(auth) };
  switch (auth.mode) {
    case "mtls":
      return { ...base, at: "load balancer listener (mutual TLS verify)", trustStore: "arn" in auth.trustStore ? auth.trustStore.arn : `s3://${auth.trustStore.caBundle.bucket}/${auth.trustStore.caBundle.key}`, revocations: auth.revocations.length };
    case "oidc":
      return { ...base, at: "load balancer listener (authenticate-oidc)", issuer: auth.issuer, clientSecret: auth.clientSecretArn };
    case "basic":
      return { ...base, at: "Envoy Gateway SecurityPolicy (basic auth)", usersSecret: auth.usersSecretName };
    case "jwt":
      return { ...base, at: "Envoy Gateway SecurityPolicy (jwt)", issuer: auth.issuer, jwks: auth.jwksUri, audiences: [...auth.audiences], ...(auth.scopes.length > 0 ? { scopes: [...auth.scopes] } : {}), ...(auth.claims.length > 0 ? { claims: auth.claims.map((c) => c.name) } : {}) };
    case "none":
      return { ...base, at: "nowhere", ...(auth.reason ? { acknowledged: auth.reason } : { acknowledged: false }) };
  }
}
