// zod's v3 API (shipped in the same package): 6 ms to load where the v4 API takes 18 ms, on every synth.
import { z } from "zod/v3";
import { storageSchema } from "./storage";
import { parseCidr, isCidrProblem } from "../contract/cidr";
import type { PortOverrides } from "../contract/port-contract";
import { awsRegion, elbSslPolicy, hostName, s3BucketName, tagKey, tagValue } from "./checks/formats";
import { dns1035Label, dnsLabel, dnsSubdomain, HELM_RELEASE_NAME_MAX } from "./checks/k8s-names";
import { checkedString, labelMap } from "./checks/zod";
import { entrySchema } from "./entry";
import { authSchema } from "./auth";
import { clientsSchema } from "./clients";
import { awsId, DEFAULT_SSL_POLICY } from "./checks/aws-facts";

/**
 * The shape of one environment's settings, checked with zod (strict: a
 * misspelt key is an error, not silently ignored). Semantic checks that need
 * more than one field live in `environment.ts`.
 *
 * Messages are written as "rule. Fix: fix" so they map onto a Problem.
 */
const fix = (rule: string, fixText: string) => ({ message: `${rule}. Fix: ${fixText}` });

// Terraform stack ids, S3 keys and Kubernetes names all accept this.
const ENV_NAME = /^[a-z]([a-z0-9-]{0,28}[a-z0-9])?$/;
/** Real AWS ids are 8 or 17 hex digits after the prefix. */
const labels = labelMap();

const cidr = z.string(fix("must be a CIDR string", "write an IPv4 CIDR like 10.0.0.0/16")).superRefine((value, ctx) => {
  const parsed = parseCidr(value);
  if (isCidrProblem(parsed)) ctx.addIssue({ code: "custom", message: `${parsed.rule}. Fix: ${parsed.fix}` });
});
const namespaceName = (example: string) => checkedString(dnsLabel("Kubernetes namespace", 63, example), fix("must be a string", `name the namespace, e.g. ${example}`));

const portNumber = z
  .number(fix("must be a number", "write the port as a number without quotes"))
  .int(fix("must be an integer from 1 to 65535", "use a whole port number"))
  .min(1, fix("must be an integer from 1 to 65535", "use a port from 1 to 65535"))
  .max(65535, fix("must be an integer from 1 to 65535", "use a port from 1 to 65535"));

const targetMimir = z.strictObject({
  /**
   * Target Mimir's HTTP entry: the chart's gateway (microservices) or the monolithic pods, on the contract's http port.
   * @default "mimir" (the whole target defaults to `{ kind: "mimir" }`)
   */
  kind: z.literal("mimir"),
  /**
   * Must equal the contract's http port when given (checked in environment.ts).
   * @default the contract's http port
   */
  port: portNumber.optional(),
});

const targetController = z.strictObject({
  /**
   * Target an ingress controller that serves our Ingress (TLS to the controller by default).
   * @default none (set it to target a controller)
   */
  kind: z.literal("ingress-controller"),
  /**
   * Namespace of the controller's Service: DNS-1123 label, at most 63.
   * @default none (required)
   */
  namespace: namespaceName("ingress-nginx"),
  /**
   * The controller's Service: DNS-1035 label (starts with a letter), at most 63.
   * @default none (required)
   */
  serviceName: checkedString(dns1035Label("Kubernetes Service name", "ingress-nginx-controller"), fix("must be a string", "name the controller's Service, e.g. ingress-nginx-controller")),
  /**
   * The controller's port.
   * @default the public HTTPS port for HTTPS, the redirect port for HTTP (the controller's usual web ports)
   */
  port: portNumber.optional(),
  /**
   * Protocol from the load balancer to the controller.
   * @default "HTTPS"
   */
  protocol: z.enum(["HTTP", "HTTPS"], fix("must be HTTP or HTTPS", "use HTTPS when the controller terminates TLS")).default("HTTPS"),
  /**
   * Target group health check path: starts with /, no spaces, at most 1024 characters.
   * @default "/healthz"
   */
  healthCheckPath: z
    .string()
    .max(1024, fix("is longer than the 1024 characters a target group health check path allows", "use the controller's health path, e.g. /healthz"))
    .regex(/^\/[\x21-\x7e]*$/, fix("must start with / and hold no spaces", "use the controller's health path, e.g. /healthz"))
    .default("/healthz"),
});

export const environmentSchema = z.strictObject({
  /**
   * Stack name, state key part and label value: a-z, 0-9 and -, starting with a letter, ending with a letter or digit, at most 30; unique across environments.
   * @default none (required)
   */
  name: z
    .string(fix("must be a string", "name the environment, e.g. \"dev\""))
    .regex(ENV_NAME, fix("must start with a lower-case letter, end with a letter or digit and hold only a-z, 0-9 and - (at most 30)", "rename it, e.g. \"prod-eu\"")),
  /**
   * AWS region code (from the list in checks/aws-facts.ts), e.g. eu-west-1.
   * @default none (required)
   */
  region: checkedString(awsRegion, fix("must be a string", "use a region such as eu-west-1")),
  /**
   * Production-like environments get load balancer deletion protection on by default.
   * @default false
   */
  productionLike: z.boolean().default(false),
  /**
   * What the environment is for. `dev` relaxes what a throwaway environment may leave out (the account id); `staging` and `production` require them, and are warned when access logs or
   * deletion protection are off. `production` means productionLike.
   * @default "production" when productionLike, else "staging" (an unmarked environment gets the stricter rules)
   */
  stage: z.enum(["dev", "staging", "production"], fix("must be dev, staging or production", "use dev only for throwaway environments")).optional(),
  /**
   * The 12-digit AWS account this environment deploys to: the AWS provider's `allowed_account_ids`, so Terraform
   * refuses to plan or apply with credentials of another account.
   * @default none (required when productionLike; a warning otherwise)
   */
  accountId: z
    .string(fix("must be a string of 12 digits", "quote the account id, e.g. \"111122223333\" (a number would lose leading zeros)"))
    .regex(/^\d{12}$/, fix("is not an AWS account id (12 digits)", "use the 12-digit id of the account this environment deploys to (aws sts get-caller-identity --query Account)"))
    .optional(),
  /**
   * The kubeconfig context the kubernetes and helm providers use. In every stage (dev too) it must be explicit:
   * here, in the stack's inputs, or in TF_VAR_kube_context (then required and non-empty); never the file's current context.
   * @default none
   */
  kubeContext: z
    .string(fix("must be a string", "name the kubeconfig context, e.g. \"arn:aws:eks:eu-west-1:111122223333:cluster/acme-prod\""))
    .regex(/^\S+$/, fix("is empty or holds whitespace", "name the kubeconfig context of this environment's cluster (kubectl config get-contexts)"))
    .optional(),
  /**
   * The S3 backend of this environment's Terraform state.
   * @default none (required)
   */
  state: z.strictObject({
    /**
     * S3 bucket holding the state (S3 bucket naming rules; dots allowed).
     * @default none (required)
     */
    bucket: checkedString(s3BucketName, fix("must be a string", "name the S3 bucket that holds the Terraform state")),
    /**
     * The state key is `<keyPrefix>/<name>/terraform.tfstate` (at most 1024 bytes).
     * @default "mimir"
     */
    keyPrefix: z.string().regex(/^[a-zA-Z0-9!_.*'()-]+(\/[a-zA-Z0-9!_.*'()-]+)*$/, fix("is not a safe S3 key prefix", "use letters, digits and / between parts")).default("mimir"),
    /**
     * DynamoDB lock table (3-255 of a-z A-Z 0-9 _ . -).
     * @default none: S3 native locking (use_lockfile)
     */
    lockTable: z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/, fix("is not a DynamoDB table name", "use 3-255 letters, digits, _ . -")).optional(),
  }),
  /**
   * Helm release name: DNS-1123 label, at most HELM_RELEASE_NAME_MAX (ten fewer than a DNS label); the chart's fullname is the release when it contains "mimir", else `<release>-mimir`.
   * @default "mimir"
   */
  release: checkedString(dnsLabel("Helm release name", HELM_RELEASE_NAME_MAX, "mimir"), fix("must be a string", "name the release, e.g. \"mimir\"")).default("mimir"),
  /**
   * Mimir's namespace: DNS-1123 label, at most 63.
   * @default "mimir"
   */
  namespace: namespaceName("mimir").default("mimir"),
  /**
   * Create the namespace in this stack.
   * @default true
   */
  createNamespace: z.boolean().default(true),
  /**
   * How Mimir runs: `microservices` (-target=<component>) or `monolithic` (-target=all).
   * @default "microservices"
   */
  deploymentMode: z.enum(["monolithic", "microservices"], fix("must be monolithic or microservices", "pick one of the two (read-write mode was removed in Mimir 3.0)")).default("microservices"),
  /**
   * Enabled components (microservices only): known names, each once; the chart's core components are required with helm ownership.
   * @default every component
   */
  components: z.array(z.string()).optional(),
  /**
   * `helm`: the mimir-distributed chart runs Mimir and creates its Services; `external`: Mimir is deployed by other means and we create the Services with the chart's names.
   * @default "helm" (microservices), "external" (monolithic, which the chart does not offer)
   */
  serviceOwnership: z.enum(["helm", "external"], fix("must be helm or external", "use helm when the mimir-distributed chart runs Mimir")).optional(),
  /**
   * Port overrides (typed in EnvironmentInput): a number, or a transition
   * `{ from, to, phase }`. Shape and rules are checked by the port contract
   * (`PortContract.create`), the one place that knows which numbers are
   * allowed, so `defineEnvironment` and direct contract users get the same
   * `[env] ports.<name>.<key> = value: rule. Fix: ...` problems.
   * @default {}
   */
  ports: z.record(z.string(), z.unknown()).optional(),
  /**
   * Monolithic mode only: the `-target=all` StatefulSet (config in a ConfigMap,
   * filesystem storage on a PVC) this library creates. `create: false` when
   * you deploy Mimir yourself. Default: created.
   */
  monolithic: z
    .strictObject({
      create: z.boolean().default(true),
      image: z.string().regex(/^[a-z0-9][a-z0-9./_-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?$/, fix("is not a container image reference", "use e.g. grafana/mimir:3.0.0")).optional(),
      storageSize: z.string().regex(/^[1-9]\d*(Mi|Gi|Ti)$/, fix("is not a volume size", "use e.g. 10Gi")).default("10Gi"),
      storageClass: checkedString(dnsSubdomain("StorageClass name", "gp3"), fix("must be a string", "use your cluster's StorageClass, e.g. gp3, or omit it for the default")).optional(),
    })
    .optional(),
  /**
   * The load balancer in front of Mimir: the only way in.
   * @default none (required)
   */
  loadBalancer: z.strictObject({
    /**
     * ALB (`application`) or NLB (`network`).
     * @default "application"
     */
    type: z.enum(["application", "network"], fix("must be application or network", "use application (ALB) unless you need TCP pass-through")).default("application"),
    /**
     * Internal or internet-facing.
     * @default "internal"
     */
    scheme: z.enum(["internal", "internet-facing"], fix("must be internal or internet-facing", "use internal unless clients are on the internet")).default("internal"),
    /**
     * Client CIDRs allowed on the public listener ports (HTTPS and the HTTP redirect): strict IPv4/IPv6 networks, each once, within AWS's 60 rules per security group; 0.0.0.0/0 only when internet-facing.
     * @default []
     */
    allowedCidrs: z.array(cidr).default([]),
    /**
     * Managed prefix lists allowed on the public listener ports, each once.
     * @default []
     */
    allowedPrefixListIds: z.array(z.string().regex(awsId("pl"), fix("is not a prefix list id", "use an id like pl-0123456789abcdef0"))).default([]),
    /**
     * CIDRs of the subnets the load balancer's network interfaces live in (the subnets of TF_VAR_subnet_ids). An ALB or
     * NLB with IP targets sends from these addresses, so the Gateway API data plane admits only them (NetworkPolicy,
     * Envoy SecurityPolicy authorization). Required for entry kind gateway-api; strict CIDRs, never 0.0.0.0/0.
     * @default []
     */
    subnetCidrs: z.array(cidr).default([]),
    /**
     * Load balancer deletion protection.
     * @default productionLike
     */
    deletionProtection: z.boolean().optional(),
    /**
     * ELB security policy of the TLS listener: a name AWS lists (exact case), TLS 1.2 or later only. The default
     * (`Res`, restricted) offers TLS 1.3 and TLS 1.2 with AES-GCM/ChaCha20 only: no CBC cipher. Override only for a
     * client that cannot speak those (e.g. ELBSecurityPolicy-TLS13-1-2-2021-06 adds TLS 1.2 CBC ciphers).
     * @default "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
     */
    sslPolicy: checkedString(elbSslPolicy, fix("must be a string", `use ${DEFAULT_SSL_POLICY}`)).default(DEFAULT_SSL_POLICY),
    /**
     * ALB desync mitigation: `strictest` refuses every request that is not RFC 7230 compliant (remote write, OTLP and
     * the Prometheus API clients send compliant requests); `defensive` lets ambiguous ones through; `monitor` only logs.
     * @default "strictest"
     */
    desyncMitigationMode: z.enum(["strictest", "defensive", "monitor"], fix("must be strictest, defensive or monitor", "use strictest unless a client you name needs defensive")).default("strictest"),
    /**
     * S3 bucket for ALB connection logs (each TLS handshake; with mutual TLS the client certificate's subject, serial and
     * the verification result). Required in production-like environments whose ALB verifies client certificates.
     * @default none (no connection logs)
     */
    connectionLogsBucket: checkedString(s3BucketName, fix("must be a string", "use an existing bucket's name")).optional(),
    /**
     * A plain-HTTP listener whose only action redirects to HTTPS (ALB only).
     * @default true on an ALB, false on an NLB
     */
    redirectHttp: z.boolean().optional(),
    /**
     * S3 bucket for access logs (S3 naming rules).
     * @default none (no access logs)
     */
    accessLogsBucket: checkedString(s3BucketName, fix("must be a string", "use an existing bucket's name")).optional(),
    /**
     * Where the target group sends traffic.
     * @default { kind: "mimir" }
     */
    target: z.discriminatedUnion("kind", [targetMimir, targetController], fix("must have kind mimir or ingress-controller", "set target.kind")).default({ kind: "mimir" }),
    /**
     * `target-group-binding` (AWS Load Balancer Controller) or `none` (you register targets).
     * @default "target-group-binding"
     */
    targetRegistration: z.enum(["target-group-binding", "none"], fix("must be target-group-binding or none", "use none when you register targets yourself")).default("target-group-binding"),
  }),
  /**
   * The TLS Ingress (or routes) to Mimir; required when the load balancer targets an ingress controller.
   * @default none
   */
  ingress: z
    .strictObject({
      /**
       * IngressClass name: DNS-1123 subdomain.
       * @default none (required)
       */
      className: checkedString(dnsSubdomain("IngressClass name", "nginx"), fix("must be a string", "use the class of your controller, e.g. \"nginx\"")),
      /**
       * Host names: lower-case DNS names, each once; the first one builds the output URLs and the Route 53 alias, so it cannot be a wildcard.
       * @default none (at least one)
       */
      hosts: z.array(checkedString(hostName, fix("must be a DNS host name", "use a name like mimir.example.com"))).min(1, fix("needs at least one host", "add the host clients use, e.g. mimir.example.com")),
      /**
       * Secret with the certificate: DNS-1123 subdomain; TLS is required.
       * @default none (required)
       */
      tlsSecretName: checkedString(dnsSubdomain("Kubernetes Secret name", "mimir-tls"), fix("is required: the Ingress must serve TLS", "name the Secret holding the certificate")),
      /**
       * Route everything to the chart's gateway Service instead of the component routes.
       * @default false
       */
      useGateway: z.boolean().default(false),
      /**
       * Namespace of the ingress controller pods (NetworkPolicy source).
       * @default "ingress-nginx"
       */
      controllerNamespace: namespaceName("ingress-nginx").default("ingress-nginx"),
      /**
       * Labels of the ingress controller pods (NetworkPolicy source); never empty.
       * @default { "app.kubernetes.io/name": "ingress-nginx" }
       */
      controllerPodLabels: labels
        .refine((l) => Object.keys(l).length > 0, fix("is empty, which would admit every pod of the controller namespace", "name the controller's pod labels, e.g. { \"app.kubernetes.io/name\": \"ingress-nginx\" }"))
        .default({ "app.kubernetes.io/name": "ingress-nginx" }),
    })
    .optional(),
  /** The entry path: gateway-api, ingress (legacy), chart-gateway or direct; public API groups; operator access (see entry.ts). */
  entry: entrySchema.optional(),
  /**
   * Who may scrape Mimir's http port.
   * @default none (no scraper admitted)
   */
  monitoring: z
    .strictObject({
      /**
       * Namespace of the scraper: DNS-1123 label.
       * @default none (required)
       */
      namespace: namespaceName("monitoring"),
      /**
       * Labels of the scraper pods; never empty.
       * @default the whole monitoring namespace
       */
      podLabels: labels
        .refine((l) => Object.keys(l).length > 0, fix("is empty", "name the scraper's pod labels, e.g. { \"app.kubernetes.io/name\": \"prometheus\" }, or omit podLabels to admit the whole namespace"))
        .optional(),
      /**
       * Refused with an explanation: internal ports are never opened to a CIDR.
       * @default none
       */
      cidrs: z.unknown().optional(),
      /**
       * AWS security groups (e.g. Prometheus outside the cluster) allowed on the http port: sg- + 8 or 17 hex digits, each once.
       * @default []
       */
      securityGroupIds: z.array(z.string().regex(awsId("sg"), fix("is not a security group id", "use an id like sg-0123456789abcdef0"))).default([]),
    })
    .optional(),
  /**
   * NetworkPolicies for Mimir pods.
   * @default { enabled: true, loadBalancerCidrs: [], restrictEgress: false }
   */
  networkPolicy: z
    .strictObject({
      /**
       * Deny-by-default NetworkPolicies for Mimir pods (the chart ships none).
       * @default true
       */
      enabled: z.boolean().default(true),
      /**
       * Subnets of the load balancer: with target kind mimir the load balancer reaches pod IPs from these addresses, so the http port admits them. Strict CIDRs, each once, never 0.0.0.0/0.
       * @default []
       */
      loadBalancerCidrs: z.array(cidr).default([]),
      /**
       * Restrict egress to Mimir members, DNS and HTTPS (see README).
       * @default false (egress open)
       */
      restrictEgress: z.boolean().default(false),
    })
    .default({ enabled: true, loadBalancerCidrs: [], restrictEgress: false }),
  /**
   * Where Mimir reaches object storage (HTTPS egress of the members group).
   * @default {} (the region's S3 managed prefix list)
   */
  objectStorage: z
    .strictObject({
      /**
       * A managed prefix list for object storage.
       * @default the region's S3 managed prefix list
       */
      prefixListId: z.string().regex(awsId("pl"), fix("is not a prefix list id", "use an id like pl-0123456789abcdef0")).optional(),
      /**
       * Object storage CIDRs instead of a prefix list: strict, each once.
       * @default none
       */
      cidrs: z.array(cidr).optional(),
    })
    .default({}),
  /** Who may use the entry (see auth.ts and README, "Authentication"). Absent: required when productionLike, else unauthenticated (policy MP018). */
  auth: authSchema.optional(),
  /** Client classes with scopes, instead of `auth`: each its own authentication and API groups (see clients.ts and docs/entry-and-auth.md, "Client classes"). */
  clients: clientsSchema.optional(),
  /**
   * A Route 53 alias for `ingress.hosts[0]` in this hosted zone.
   * @default none (no DNS record)
   */
  dns: z.strictObject({ hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, fix("is not a Route 53 hosted zone id", "use an id like Z0123456789ABC")) }).optional(),
  /**
   * A regional WAFv2 web ACL in this environment's region and partition, associated with the ALB.
   * @default none (no WAF)
   */
  wafAclArn: z.string(fix("must be a string", "use arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>")).optional(),
  /**
   * The mimir-distributed chart.
   * @default {}
   */
  helm: z
    .strictObject({
      /**
       * Install the chart with helm_release.
       * @default true with helm ownership, false with external
       */
      install: z.boolean().optional(),
      /**
       * Exact chart version x.y.z.
       * @default "6.0.0" (MIMIR_CHART)
       */
      chartVersion: z.string().regex(/^\d+\.\d+\.\d+$/, fix("is not a chart version", "use an exact version such as 6.0.3")).optional(),
      /**
       * Extra chart values, merged last and re-checked: they must not move a contract port or expose Mimir.
       * @default {}
       */
      values: z.unknown().optional(),
    })
    .default({}),
  /** S3 buckets and the pods' AWS identity (IRSA or EKS Pod Identity); see modules/config/storage.ts and the README's "Storage". */
  storage: storageSchema.optional(),
  /** How the members security group reaches Mimir's pods (README, "Storage" and "What gets built"). */
  podSecurityGroups: z
    .discriminatedUnion(
      "mode",
      [
        z.strictObject({
          /** An EKS SecurityGroupPolicy gives Mimir's pods the members group (+ the cluster group); needs security groups for pods. */
          mode: z.literal("security-group-policy"),
          /** Extra groups for Mimir's pods besides members and the cluster group (at most 5 in all). */
          additionalGroupIds: z.array(z.string().regex(awsId("sg"), fix("is not a security group id", "use an id like sg-0123456789abcdef0"))).max(3, fix("lists more than 3 groups; with the members and pods groups a pod takes at most 5", "list at most 3 additional groups")).default([]),
        }),
        z.strictObject({
          /** Mimir's pods use their nodes' groups: the members rules are written on the node group's security group (no members group is created). */
          mode: z.literal("node-group"),
          nodeSecurityGroupId: z
            .string(fix("is required in node-group mode: the node group's security group carries the members rules", "set it to the security group of the nodes that run Mimir, e.g. sg-0123456789abcdef0"))
            .regex(awsId("sg"), fix("is not a security group id", "use an id like sg-0123456789abcdef0")),
        }),
      ],
      fix("must have mode security-group-policy or node-group", "set podSecurityGroups.mode"),
    )
    .default({ mode: "security-group-policy", additionalGroupIds: [] }),
  /**
   * Extra AWS default tags: keys 1-128 characters, not starting with aws:, values at most 256, at most 48.
   * @default {}
   */
  tags: z.record(checkedString(tagKey, fix("must be a string", "use a tag key like team")), checkedString(tagValue, fix("must be a string", "write the tag value as a string"))).default({}),
  /**
   * Accepted policy findings: this rule, on this resource (Terraform address or construct path), for this reason.
   * @default []
   */
  acknowledgements: z
    .array(
      z.strictObject({
        /**
         * Policy rule ID (README, rule table).
         * @default none (required)
         */
        rule: z.string().regex(/^MP\d{3}$/, fix("is not a policy rule ID", "use an ID from the README's rule table, e.g. MP011")),
        /**
         * Terraform address or construct path (covers everything below it); not blank.
         * @default none (required)
         */
        resource: z.string().refine((r) => r.trim() !== "", fix("is empty", "give the Terraform address or construct path of the resource")),
        /**
         * Why the finding is accepted: at least 10 characters besides whitespace.
         * @default none (required)
         */
        reason: z.string().superRefine((r, ctx) => {
          const text = r.trim();
          if (text === "") ctx.addIssue({ code: "custom", message: "is only whitespace, which tells a reviewer nothing. Fix: write why this finding is accepted, e.g. with a ticket number" });
          else if (text.length < 10) ctx.addIssue({ code: "custom", message: "is too short to tell a reviewer why. Fix: write why this finding is accepted (at least 10 characters)" });
        }),
        /**
         * What is accepted: the finding's fingerprint, as the refusal prints it (severity, sources, scheme, via).
         * A material change (higher severity, internet-facing, a source outside these, a new listener, route or hop) voids it.
         * @default none (the acknowledgement accepts nothing until it says what)
         */
        accepts: z
          .strictObject({
            severity: z.enum(["critical", "error", "warning", "note"], fix("is not a severity", "copy accepts from the refusal message (critical, error, warning or note)")),
            sources: z.array(z.string().min(1).max(200)).max(100),
            scheme: z.enum(["internal", "internet-facing"], fix("is not a load balancer scheme", "use internal or internet-facing, as the refusal message prints it")).optional(),
            via: z.array(z.string().min(1).max(400)).max(100).default([]),
          })
          .optional(),
      }),
    )
    .default([]),
});

/**
 * One environment's settings as you write them (see the README's
 * "Configuration" table for each field's rule). `ports` is typed, so a
 * misspelt port name (`htpp`) fails at compile time as well as at synth.
 */
export type EnvironmentInput = Omit<z.input<typeof environmentSchema>, "ports"> & {
  /**
   * Overrides of Mimir's ports for this environment, e.g. `{ grpc: 9096 }`:
   * integers 1-65535, distinct, never a public listener or neighbour port.
   *
   * On a running environment, move a port in three PRs instead of one:
   * `{ grpc: { from: <current>, to: <new>, phase: "open" } }` (both ports
   * admitted, Mimir stays on `from`), then `phase: "move"` (Mimir listens on
   * `to`, rolling restart), then the plain `{ grpc: <new> }` (old port closed).
   * `from` and `to` follow the same rules as a plain port and differ;
   * `phase` defaults to "open". The review names the phase each PR is.
   * @default {} (Mimir's defaults: see the README's port table)
   */
  ports?: PortOverrides;
};
export type ParsedEnvironment = z.output<typeof environmentSchema>;
