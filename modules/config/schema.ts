// zod's v3 API (shipped in the same package): 6 ms to load where the v4 API takes 18 ms, on every synth.
import { z } from "zod/v3";
import { CIDR_FIX, cidrError } from "../contract/cidr";
import { authSchema } from "./auth";
import { COMPONENTS } from "./components";

/**
 * The shape of one environment's settings, checked with zod (strict: a
 * misspelt key is an error, not silently ignored). Semantic checks that need
 * more than one field live in `environment.ts`.
 *
 * Messages are written as "rule. Fix: fix" so they map onto a Problem.
 */
const fix = (rule: string, fixText: string) => ({ message: `${rule}. Fix: ${fixText}` });

// Terraform stack ids, S3 keys and Kubernetes names all accept this.
const ENV_NAME = /^[a-z][a-z0-9-]{0,29}$/;
const DNS_LABEL = /^[a-z]([-a-z0-9]{0,51}[a-z0-9])?$/;
const DNS_HOST = /^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

const labels = z.record(
  z.string().regex(LABEL_KEY, fix("is not a valid Kubernetes label key", "use a key like app.kubernetes.io/name")),
  z.string().regex(LABEL_VALUE, fix("is not a valid Kubernetes label value", "use up to 63 letters, digits, -, _ or .")),
);

const cidr = z.string(fix("must be a CIDR string", "write an IPv4 CIDR like 10.0.0.0/16")).superRefine((value, ctx) => {
  const why = cidrError(value);
  if (why) ctx.addIssue({ code: "custom", message: `${why}. Fix: ${CIDR_FIX}` });
});

const portNumber = z
  .number(fix("must be a number", "write the port as a number without quotes"))
  .int(fix("must be an integer from 1 to 65535", "use a whole port number"))
  .min(1, fix("must be an integer from 1 to 65535", "use a port from 1 to 65535"))
  .max(65535, fix("must be an integer from 1 to 65535", "use a port from 1 to 65535"));

const targetMimir = z.strictObject({
  /** The load balancer targets Mimir's HTTP entry: the chart's gateway, or the monolithic pods. */
  kind: z.literal("mimir"),
  /** Must equal the contract's http port when given (checked in environment.ts). */
  port: portNumber.optional(),
});

const targetController = z.strictObject({
  /** The load balancer targets an ingress controller that serves our Ingress. */
  kind: z.literal("ingress-controller"),
  namespace: z.string().regex(DNS_LABEL, fix("is not a Kubernetes namespace name", "use lower-case letters, digits and -")),
  serviceName: z.string().regex(DNS_LABEL, fix("is not a Kubernetes Service name", "use lower-case letters, digits and -")),
  /** Default: the public HTTPS port for HTTPS, the redirect port for HTTP (the controller's usual web ports). */
  port: portNumber.optional(),
  protocol: z.enum(["HTTP", "HTTPS"], fix("must be HTTP or HTTPS", "use HTTPS when the controller terminates TLS")).default("HTTPS"),
  healthCheckPath: z.string().startsWith("/", fix("must start with /", "use the controller's health path, e.g. /healthz")).default("/healthz"),
});

export const environmentSchema = z.strictObject({
  name: z
    .string(fix("must be a string", "name the environment, e.g. \"dev\""))
    .regex(ENV_NAME, fix("must start with a lower-case letter and hold only a-z, 0-9 and - (at most 30)", "rename it, e.g. \"prod-eu\"")),
  region: z.string().regex(REGION, fix("is not an AWS region", "use a region such as eu-west-1")),
  /** Production-like environments get deletion protection on by default. */
  productionLike: z.boolean().default(false),
  state: z.strictObject({
    bucket: z.string().regex(BUCKET, fix("is not a valid S3 bucket name", "use 3-63 lower-case letters, digits, dots or hyphens")),
    /** The state key is `<keyPrefix>/<env>/terraform.tfstate`. */
    keyPrefix: z.string().regex(/^[a-zA-Z0-9!_.*'()-]+(\/[a-zA-Z0-9!_.*'()-]+)*$/, fix("is not a safe S3 key prefix", "use letters, digits and / between parts")).default("mimir"),
    /** Optional DynamoDB lock table; without it S3 native locking (use_lockfile) is used. */
    lockTable: z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/, fix("is not a DynamoDB table name", "use 3-255 letters, digits, _ . -")).optional(),
  }),
  release: z.string().regex(DNS_LABEL, fix("is not a valid Helm release name", "use lower-case letters, digits and -, e.g. \"mimir\"")).default("mimir"),
  namespace: z.string().regex(DNS_LABEL, fix("is not a Kubernetes namespace name", "use lower-case letters, digits and -")).default("mimir"),
  createNamespace: z.boolean().default(true),
  deploymentMode: z.enum(["monolithic", "microservices"], fix("must be monolithic or microservices", "pick one of the two (read-write mode was removed in Mimir 3.0)")).default("microservices"),
  /** Microservices mode only; default: every component. */
  components: z.array(z.string()).optional(),
  /**
   * `helm`: the mimir-distributed chart runs Mimir and creates its Services;
   * `external`: Mimir is deployed by other means and we create the Services
   * with the chart's names. Default: helm (microservices), external (monolithic,
   * which the chart does not offer).
   */
  serviceOwnership: z.enum(["helm", "external"], fix("must be helm or external", "use helm when the mimir-distributed chart runs Mimir")).optional(),
  ports: z.record(z.string(), z.unknown()).optional(),
  loadBalancer: z.strictObject({
    type: z.enum(["application", "network"], fix("must be application or network", "use application (ALB) unless you need TCP pass-through")).default("application"),
    scheme: z.enum(["internal", "internet-facing"], fix("must be internal or internet-facing", "use internal unless clients are on the internet")).default("internal"),
    allowedCidrs: z.array(cidr).default([]),
    allowedPrefixListIds: z.array(z.string().regex(/^pl-[0-9a-f]{8,17}$/, fix("is not a prefix list id", "use an id like pl-0123456789abcdef0"))).default([]),
    deletionProtection: z.boolean().optional(),
    sslPolicy: z.string().regex(/^ELBSecurityPolicy-/, fix("is not an ELB security policy name", "use ELBSecurityPolicy-TLS13-1-2-2021-06")).default("ELBSecurityPolicy-TLS13-1-2-2021-06"),
    /** ALB only: a plain-HTTP listener that redirects to HTTPS (default: on for ALB). */
    redirectHttp: z.boolean().optional(),
    accessLogsBucket: z.string().regex(BUCKET, fix("is not a valid S3 bucket name", "use an existing bucket's name")).optional(),
    target: z.discriminatedUnion("kind", [targetMimir, targetController], fix("must have kind mimir or ingress-controller", "set target.kind")).default({ kind: "mimir" }),
    targetRegistration: z.enum(["target-group-binding", "none"], fix("must be target-group-binding or none", "use none when you register targets yourself")).default("target-group-binding"),
    /** Extra security groups allowed to reach Mimir's http port (e.g. Prometheus). */
  }),
  ingress: z
    .strictObject({
      className: z.string().regex(DNS_LABEL, fix("is not a valid IngressClass name", "use the class of your controller, e.g. \"nginx\"")),
      hosts: z.array(z.string().regex(DNS_HOST, fix("is not a DNS host name", "use a name like mimir.example.com"))).min(1, fix("needs at least one host", "add the host clients use, e.g. mimir.example.com")),
      tlsSecretName: z.string(fix("is required: the Ingress must serve TLS", "name the Secret holding the certificate")).regex(DNS_LABEL, fix("is not a Kubernetes Secret name", "use lower-case letters, digits and -")),
      /** Route everything to the chart's gateway Service instead of the component routes. */
      useGateway: z.boolean().default(false),
      controllerNamespace: z.string().regex(DNS_LABEL, fix("is not a Kubernetes namespace name", "use your ingress controller's namespace")).default("ingress-nginx"),
      controllerPodLabels: labels
        .refine((l) => Object.keys(l).length > 0, fix("is empty, which would admit every pod of the controller namespace", "name the controller's pod labels, e.g. { \"app.kubernetes.io/name\": \"ingress-nginx\" }"))
        .default({ "app.kubernetes.io/name": "ingress-nginx" }),
    })
    .optional(),
  monitoring: z
    .strictObject({
      namespace: z.string().regex(DNS_LABEL, fix("is not a Kubernetes namespace name", "use your Prometheus namespace")),
      /** Omit to admit the whole monitoring namespace; never empty. */
      podLabels: labels
        .refine((l) => Object.keys(l).length > 0, fix("is empty", "name the scraper's pod labels, e.g. { \"app.kubernetes.io/name\": \"prometheus\" }, or omit podLabels to admit the whole namespace"))
        .optional(),
      /** AWS security groups (e.g. Prometheus outside the cluster) allowed on the http port. */
      /** Refused with an explanation: internal ports are never opened to a CIDR. */
      cidrs: z.unknown().optional(),
      securityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, fix("is not a security group id", "use an id like sg-0123456789abcdef0"))).default([]),
    })
    .optional(),
  networkPolicy: z
    .strictObject({
      /** Deny-by-default NetworkPolicies for Mimir pods (the chart ships none). */
      enabled: z.boolean().default(true),
      /**
       * Subnets of the load balancer. With target kind mimir and target type ip,
       * the load balancer reaches pod IPs directly from these addresses, so the
       * http port must admit them.
       */
      loadBalancerCidrs: z.array(cidr).default([]),
      /** Restrict egress to Mimir members, DNS and object storage (default: open, see README). */
      restrictEgress: z.boolean().default(false),
    })
    .default({ enabled: true, loadBalancerCidrs: [], restrictEgress: false }),
  objectStorage: z
    .strictObject({
      /** Default: the region's S3 managed prefix list. */
      prefixListId: z.string().regex(/^pl-[0-9a-f]{8,17}$/, fix("is not a prefix list id", "use an id like pl-0123456789abcdef0")).optional(),
      cidrs: z.array(cidr).optional(),
    })
    .default({}),
  /** Who may use the entry (see auth.ts and README, "Authentication"). Absent: required when productionLike, else unauthenticated (policy MP015). */
  auth: authSchema.optional(),
  dns: z.strictObject({ hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, fix("is not a Route 53 hosted zone id", "use an id like Z0123456789ABC")) }).optional(),
  wafAclArn: z.string().regex(/^arn:aws[a-z-]*:wafv2:/, fix("is not a WAFv2 web ACL ARN", "use arn:aws:wafv2:<region>:<account>:regional/webacl/...")).optional(),
  helm: z
    .strictObject({
      /** Install the chart with helm_release (default: with helm ownership). */
      install: z.boolean().optional(),
      chartVersion: z.string().regex(/^\d+\.\d+\.\d+$/, fix("is not a chart version", "use an exact version such as 6.0.3")).optional(),
      values: z.unknown().optional(),
    })
    .default({}),
  tags: z.record(z.string(), z.string()).default({}),
  /** Accepted policy findings: this rule, on this resource (Terraform address or construct path), for this reason. */
  acknowledgements: z
    .array(
      z.strictObject({
        rule: z.string().regex(/^MP\d{3}$/, fix("is not a policy rule ID", "use an ID from the README's rule table, e.g. MP011")),
        resource: z.string().min(1, fix("is empty", "give the Terraform address or construct path of the resource")),
        reason: z.string().min(10, fix("is too short to tell a reviewer why", "write why this finding is accepted (at least 10 characters)")),
      }),
    )
    .default([]),
});

export type EnvironmentInput = z.input<typeof environmentSchema>;
export type ParsedEnvironment = z.output<typeof environmentSchema>;
