import type { z } from "zod/v3";
import { cidrError, isAnywhere } from "../contract/cidr";
import { PortContract } from "../contract/port-contract";
import { ConfigError, ProblemList, redact, type Problem } from "../contract/problems";
import { DEFAULT_SSL_POLICY, TLS12_PLUS } from "./checks/aws-facts";
import { RULE_IDS } from "./rule-ids";
import { checkStorageValues, checkUserValues } from "./checks/chart-values";
import { tenantOf, withAuthHelmValues } from "./auth";
import { resolveClients, type ClientClass } from "./clients";
import { dataPlaneGroupOf } from "./data-plane-group";
import { COMPONENTS, CORE_COMPONENTS, type Component } from "./components";
import { resolveEntry, withHeldReadOnlyGroups, type ResolvedEntry } from "./entry";
import { environmentSchema, type EnvironmentInput, type ParsedEnvironment } from "./schema";
import type { Environment } from "./environment-types";
import { resolveStorage, type Storage } from "./storage";
import { isPlainObject } from "../shared/objects";
import { checkAcrossEnvironments, checkEnvironment } from "./checks/environment-checks";
import { dataGuardProblems, stageOf } from "./checks/dataguards";
import { guardValueProblems } from "./mimir-guards";
import { checkInterior } from "./checks/interior-checks";
import { knownKeysAt, nearestKey } from "./checks/known-keys";

/** The fix of an unknown key: the nearest known one when it is a likely misspelling. */
function didYouMean(key: string, known: readonly string[]): string {
  const near = nearestKey(key, known);
  return near ? `did you mean \`${near}\`? (see docs/configuration.md)` : `remove it or correct its spelling (see docs/configuration.md)`;
}

export type { EnvironmentInput } from "./schema";

/** One environment's settings, validated, with its port contract and derived names. */
export type { Environment } from "./environment-types";

/** Turn a zod issue into a Problem that names field, value and fix. */
function issueToProblems(issue: z.ZodIssue, input: unknown, env: string | undefined): Problem[] {
  const valueAt = (path: PropertyKey[]): unknown => path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined), input);
  const fieldOf = (path: PropertyKey[]) => path.reduce<string>((acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), "") || "(environment)";
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      env,
      field: fieldOf([...issue.path, key]),
      // Never echoed: a misspelt key (client_secret, adminPassword) may hold a secret.
      value: redact(valueAt([...issue.path, key])),
      rule: "is not a known setting",
      fix: didYouMean(String(key), knownKeysAt(environmentSchema, issue.path)),
    }));
  }
  let [rule, fix] = issue.message.includes(". Fix: ") ? issue.message.split(". Fix: ") : [issue.message, undefined];
  const field = fieldOf(issue.path);
  if (!fix) {
    // zod's own wording for the cases our schema does not word itself.
    const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
    if (issue.code === "invalid_type") {
      rule = issue.received === "undefined" ? `is required (${article(issue.expected)})` : `must be ${article(issue.expected)}, not ${article(issue.received)}`;
      fix = `set ${field} to ${article(issue.expected)} (see docs/configuration.md)`;
    } else if (issue.code === "invalid_enum_value" || issue.code === "invalid_union_discriminator") {
      const options = issue.options.map((v) => JSON.stringify(v)).join(", ");
      rule = `must be one of ${options}`;
      fix = `use one of ${options}`;
    } else {
      fix = `correct ${field} (see docs/configuration.md)`;
    }
  }
  // A known field's string, number or list of them is printed; an object is shown by its keys only (they may hold secrets).
  const value = valueAt(issue.path);
  const holdsKeys = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0;
  const shown = holdsKeys(value) || (Array.isArray(value) && value.some(holdsKeys)) ? redact(value) : value;
  return [{ env, field, value: shown, rule, fix }];
}

function fullnameOf(release: string): string {
  return release.includes("mimir") ? release : `${release}-mimir`;
}

/** Validate one environment. Throws ConfigError listing every problem found. */
export function defineEnvironment(input: EnvironmentInput): Environment {
  const env = typeof (input as { name?: unknown })?.name === "string" ? (input as { name: string }).name : undefined;
  const parsed = environmentSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.flatMap((i) => issueToProblems(i, input, env)));
  }
  return resolve(parsed.data);
}

function resolve(parsed: ParsedEnvironment): Environment {
  const problems = new ProblemList(parsed.name);
  const serviceOwnership = parsed.serviceOwnership ?? (parsed.deploymentMode === "monolithic" ? "external" : "helm");
  const e = { ...parsed, serviceOwnership };
  if (e.deploymentMode === "monolithic" && e.serviceOwnership === "helm") {
    problems.add("serviceOwnership", "helm", "cannot run monolithic mode: the mimir-distributed chart only deploys microservices", "set serviceOwnership external (you deploy the -target=all workload) or deploymentMode microservices");
  }

  let contract: PortContract | undefined;
  try {
    contract = PortContract.create({ ports: e.ports as never, env: e.name });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.addAll(err.problems);
  }

  if (e.monolithic !== undefined && e.deploymentMode !== "monolithic") {
    problems.add("monolithic", e.monolithic, "configures the monolithic workload, but deploymentMode is microservices", "remove monolithic, or set deploymentMode monolithic");
  }

  // Components: known names, no duplicates, only in microservices mode.
  let components: Component[] = [];
  if (e.deploymentMode === "monolithic") {
    if (e.components !== undefined) {
      problems.add("components", e.components, "is set but deploymentMode is monolithic (one workload runs every component)", "remove components, or set deploymentMode to microservices");
    }
  } else {
    const chosen = e.components ?? [...COMPONENTS];
    chosen.forEach((c, i) => {
      if (!(COMPONENTS as readonly string[]).includes(c)) {
        problems.add(`components[${i}]`, c, "is not a Mimir component", `use one of ${COMPONENTS.join(", ")}`);
      } else if (chosen.indexOf(c) !== i) {
        problems.add(`components[${i}]`, c, "is listed twice", "list each component once");
      }
    });
    if (chosen.length === 0) problems.add("components", chosen, "is empty", "list at least one component, or leave components unset for all");
    if (e.serviceOwnership === "helm") {
      for (const core of CORE_COMPONENTS) {
        if (!chosen.includes(core)) problems.add("components", chosen, `leaves out ${core}, which the mimir-distributed chart always runs`, `add ${core}, or use serviceOwnership external`);
      }
    }
    // Keep the chart's order so output does not depend on how the user listed them.
    components = COMPONENTS.filter((c) => chosen.includes(c));
  }

  const lb = e.loadBalancer;
  if (lb.allowedCidrs.length === 0 && lb.allowedPrefixListIds.length === 0) {
    problems.add("loadBalancer.allowedCidrs", lb.allowedCidrs, "no client source is allowed, so nobody could reach the load balancer", "list client CIDRs (or prefix lists in loadBalancer.allowedPrefixListIds)");
  }
  if (lb.scheme === "internal") {
    lb.allowedCidrs.forEach((cidr, i) => {
      if (isAnywhere(cidr)) {
        problems.add(`loadBalancer.allowedCidrs[${i}]`, cidr, "opens an internal load balancer to every address", "list your VPC or office CIDRs, or set loadBalancer.scheme to internet-facing on purpose");
      }
    });
  }
  if (e.objectStorage.cidrs !== undefined && e.objectStorage.prefixListId !== undefined) {
    problems.add("objectStorage", e.objectStorage, "sets both prefixListId and cidrs", "keep one of them");
  }

  if (!TLS12_PLUS.test(lb.sslPolicy)) {
    problems.add("loadBalancer.sslPolicy", lb.sslPolicy, "allows TLS below 1.2", `use ${DEFAULT_SSL_POLICY} (or another TLS13-1-2 / TLS-1-2 / FS-1-2 policy)`);
  }
  const anyMtls = e.auth?.mode === "mtls" || (e.clients ?? []).some((c) => c.auth.mode === "mtls");
  if (e.productionLike && lb.type === "application" && anyMtls && lb.connectionLogsBucket === undefined) {
    problems.add("loadBalancer.connectionLogsBucket", undefined, "is missing in a production-like environment whose load balancer verifies client certificates: without connection logs no record says which certificate was presented or refused", "set loadBalancer.connectionLogsBucket to an S3 bucket the load balancer may write to (docs/configuration.md)");
  }
  if (lb.type === "network" && lb.desyncMitigationMode !== "strictest") {
    problems.add("loadBalancer.desyncMitigationMode", lb.desyncMitigationMode, "applies to application load balancers only", "remove desyncMitigationMode, or use loadBalancer.type application");
  }
  if (lb.type === "network" && lb.connectionLogsBucket !== undefined) {
    problems.add("loadBalancer.connectionLogsBucket", lb.connectionLogsBucket, "applies to application load balancers only (a network load balancer has no connection logs)", "remove connectionLogsBucket, or use loadBalancer.type application");
  }
  if (lb.type === "network" && lb.redirectHttp === true) {
    problems.add("loadBalancer.redirectHttp", true, "needs an application load balancer (a network load balancer cannot redirect HTTP)", "remove redirectHttp, or use loadBalancer.type application");
  }

  const target = lb.target;
  // With entry kind gateway-api the load balancer targets the data plane (entry.ts), whatever loadBalancer.target says.
  const targetsMimir = target.kind === "mimir" && (e.entry === undefined || e.entry.kind === "chart-gateway" || e.entry.kind === "direct");
  if (targetsMimir) {
    if (contract && target.port !== undefined && target.port !== contract.http.port) {
      problems.add("loadBalancer.target.port", target.port, `is not the contract's http port ${contract.http.port}; Mimir pods only listen there`, `remove target.port (it follows ports.http) or set it to ${contract.http.port}`);
    }
    if (e.deploymentMode === "microservices" && e.serviceOwnership === "external") {
      problems.add("loadBalancer.target.kind", "mimir", "targets the chart's gateway, but serviceOwnership external has no chart gateway", "target your ingress controller (kind ingress-controller), or use serviceOwnership helm");
    }
  }
  e.networkPolicy.loadBalancerCidrs.forEach((cidr, i) => {
    if (isAnywhere(cidr)) {
      problems.add(`networkPolicy.loadBalancerCidrs[${i}]`, cidr, "would admit every address to Mimir's http port", "list only the load balancer's subnet CIDRs");
    }
  });
  if (targetsMimir && e.networkPolicy.enabled && e.networkPolicy.loadBalancerCidrs.length === 0) {
    problems.add("networkPolicy.loadBalancerCidrs", [], "is empty, but the load balancer targets Mimir pods directly and the NetworkPolicy would drop its traffic", "list the load balancer subnets' CIDRs, or target an ingress controller");
  }
  if (target.kind === "ingress-controller" && !e.ingress && e.entry === undefined) {
    problems.add("ingress", undefined, "is missing but loadBalancer.target.kind is ingress-controller: the controller needs our Ingress to route to Mimir", "add ingress { className, hosts, tlsSecretName }");
  }
  const fullname = fullnameOf(e.release);
  const resolvedEntry = resolveEntry(
    { parsed: e.entry, deploymentMode: e.deploymentMode, serviceOwnership: e.serviceOwnership, components, contract, fullname, namespace: e.namespace, loadBalancer: lb, ingress: e.ingress },
    problems,
  );
  if (e.ingress?.useGateway && e.deploymentMode === "monolithic") {
    problems.add("ingress.useGateway", true, "needs the chart's gateway, which monolithic mode does not have", "remove useGateway; the Ingress routes to the one Mimir Service");
  }
  if (e.ingress?.useGateway && e.serviceOwnership === "external") {
    problems.add("ingress.useGateway", true, "needs the chart's gateway, but serviceOwnership is external", "remove useGateway, or use serviceOwnership helm");
  }

  if (e.monitoring?.cidrs !== undefined) {
    const cidrs = e.monitoring.cidrs;
    const anywhere = Array.isArray(cidrs) && cidrs.some((c) => typeof c === "string" && !cidrError(c) && isAnywhere(c));
    problems.add(
      "monitoring.cidrs",
      cidrs,
      anywhere ? "would open Mimir's internal http port to the whole internet" : "would open Mimir's internal http port to a CIDR; internal ports are only reachable from security groups",
      "put the scraper in a security group and list it in monitoring.securityGroupIds",
    );
  }

  e.acknowledgements.forEach((a, i) => {
    if (!RULE_IDS.includes(a.rule)) problems.add(`acknowledgements[${i}].rule`, a.rule, "is not a policy rule ID", "use an ID from the README's rule table");
  });

  const install = e.helm.install ?? e.serviceOwnership === "helm";
  if (install && e.serviceOwnership === "external") {
    problems.add("helm.install", true, "installs the chart, but serviceOwnership external means Mimir is deployed by other means (the chart's Services would clash with ours)", "set helm.install false, or use serviceOwnership helm");
  }
  const values = e.helm.values ?? {};
  if (typeof values !== "object" || values === null || Array.isArray(values)) {
    problems.add("helm.values", values, "must be an object of chart values", "pass an object such as { ingester: { replicas: 3 } }");
  } else if (contract) {
    // User values may not move a contract port or expose Mimir: checked here so synth reports every problem at once.
    problems.addAll(checkUserValues({ name: e.name, contract }, values));
  }
  if (e.wafAclArn && lb.type !== "application") {
    problems.add("wafAclArn", e.wafAclArn, "needs an application load balancer (WAF cannot attach to a network load balancer)", "remove wafAclArn or use loadBalancer.type application");
  }
  if (e.dns && resolvedEntry.entry.hosts.length === 0) {
    problems.add("dns.hostedZoneId", e.dns.hostedZoneId, "has no host to point at the load balancer", "add entry.hosts (or ingress.hosts), whose first host gets the alias record");
  }

  const storage = e.storage ? resolveStorage(e.storage, { env: e.name, region: e.region, fullname: fullnameOf(e.release) }) : undefined;
  if (isPlainObject(values)) problems.addAll(checkStorageValues({ name: e.name, storage: storage?.storage }, values));
  if (storage) problems.addAll(storage.problems);
  else if (e.productionLike && install) problems.add("storage", undefined, "is missing in a production-like environment: the chart would keep Mimir's data in its demo MinIO with default credentials", "add storage { buckets: { blocks, ruler, alertmanager }, irsa: { oidcProviderArn } or podIdentity: { clusterName } }");
  // Issue 27, item 2: a shared Gateway's proxies are one identity only when their group is named.
  const shared = resolvedEntry.entry.gateway && resolvedEntry.entry.gateway.create === undefined;
  if (e.productionLike && shared && resolvedEntry.entry.dataPlane && resolvedEntry.entry.dataPlane.securityGroupId === undefined) {
    problems.add("entry.dataPlane.securityGroupId", undefined, "is missing in a production-like environment with a shared Gateway: without the data plane's own group, Mimir's http would have to admit the EKS cluster group (every node and every pod without a group of its own)", "give the shared Gateway's proxy pods a security group (a SecurityGroupPolicy selecting its gateway.envoyproxy.io/owning-gateway-name/-namespace labels) and name it here");
  }
  // Issue 27, item 6: no egress to every address from Mimir's groups in a production-like environment.
  if (e.productionLike && storage?.storage?.identity.kind === "irsa" && storage.storage.identity.stsEndpoint === undefined) {
    problems.add("storage.irsa.stsEndpoint", undefined, "is missing in a production-like environment: IRSA's pods call STS, and without an endpoint their group would need HTTPS egress to 0.0.0.0/0", "name the STS interface VPC endpoint: storage.irsa.stsEndpoint { securityGroupId } or { prefixListId }, or use storage.podIdentity");
  }
  if (e.productionLike) {
    (e.objectStorage.cidrs ?? []).forEach((cidr, i) => {
      if (isAnywhere(cidr)) problems.add(`objectStorage.cidrs[${i}]`, cidr, "gives Mimir's members group HTTPS egress to every address in a production-like environment", "leave objectStorage unset (the region's S3 prefix list) or list the object store's own CIDRs");
    });
  }
  checkEnvironment(problems, e, contract, components, fullnameOf(e.release));
  const interiorWarnings = checkInterior(problems, e, contract);
  const clients = resolveClients({ name: e.name, productionLike: e.productionLike, auth: e.auth, clients: e.clients, loadBalancer: lb, serviceOwnership: e.serviceOwnership, helmValues: values, entryKind: resolvedEntry.entry.kind, entryGroups: resolvedEntry.entry.groups, dataPlaneImplementation: resolvedEntry.entry.dataPlane?.implementation, operatorAccess: resolvedEntry.entry.operatorAccess !== undefined });
  problems.addAll(clients.problems);
  jwksEgressProblems(problems, e, resolvedEntry.entry, clients.classes);
  const entry = withHeldReadOnlyGroups(resolvedEntry.entry, clients.classes.flatMap((c) => c.groups), { monolithic: e.deploymentMode === "monolithic", components });

  const deletionProtection = lb.deletionProtection ?? e.productionLike;
  const warnings = [...dataGuardProblems(problems, e, deletionProtection), ...interiorWarnings];
  if (isPlainObject(values)) {
    const guards = guardValueProblems({ name: e.name, hasStorage: e.storage !== undefined }, values);
    problems.addAll(guards.problems);
    warnings.push(...guards.warnings);
  }

  problems.throwIfAny();
  const { components: _c, ports: _p, helm: _h, storage: _s, entry: _e, auth: _a, clients: _cl, ...rest } = e;
  // The environment's `auth` decides the tenant (chart values): the first class that names one, else the first class. Every class is in `clients`.
  const auth = clients.classes.find((c) => tenantOf(c.auth) !== undefined)?.auth ?? clients.classes[0].auth;
  const entryTarget = resolvedEntry.target as typeof target;
  return Object.freeze({
    ...rest,
    entry,
    loadBalancer: { ...lb, target: entryTarget, redirectHttp: lb.type === "application" && (lb.redirectHttp ?? true) },
    contract: contract as PortContract,
    components,
    fullname,
    stage: stageOf(e),
    warnings,
    deletionProtection,
    targetPort:
      entryTarget.kind === "mimir"
        ? (contract as PortContract).stablePort("http")
        : (entryTarget.port ?? (entryTarget.protocol === "HTTPS" ? (contract as PortContract).public.https : (contract as PortContract).public.httpRedirect)),
    stateKey: `${e.state.keyPrefix}/${e.name}/terraform.tfstate`,
    auth,
    clients: clients.classes,
    helm: { install, chartVersion: e.helm.chartVersion, values: withAuthHelmValues(auth, values as Record<string, unknown>) },
    ...(storage?.storage ? { storage: storage.storage } : {}),
  });
}

/** Validate a list of environments: all problems of all environments, plus empty/duplicate names. */
export function defineEnvironments(inputs: readonly EnvironmentInput[]): Environment[] {
  const problems: Problem[] = [];
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new ConfigError([{ field: "environments", value: inputs, rule: "is empty", fix: "define at least one environment, e.g. { name: \"dev\", ... }" }]);
  }
  const seen = new Set<string>();
  const result: Environment[] = [];
  inputs.forEach((input, i) => {
    const name = (input as { name?: unknown })?.name;
    if (typeof name === "string" && name !== "") {
      if (seen.has(name)) {
        problems.push({ env: name, field: `environments[${i}].name`, value: name, rule: "is used by another environment; each environment needs its own stack and state", fix: "give every environment a unique name" });
      }
      seen.add(name);
    }
    try {
      result.push(defineEnvironment(input));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
    }
  });
  problems.push(...checkAcrossEnvironments(result));
  if (problems.length > 0) throw new ConfigError(problems);
  return result;
}

/**
 * A jwt class's proxies fetch the issuer's JWKS over HTTPS. When the stack creates the data plane's security group
 * (which admits nothing it does not list), `auth.jwksEgress` names where to; never the whole internet in a
 * production-like environment.
 */
function jwksEgressProblems(problems: ProblemList, e: ParsedEnvironment, entry: Environment["entry"], classes: readonly ClientClass[]): void {
  if (dataPlaneGroupOf({ entry, podSecurityGroups: e.podSecurityGroups }).kind !== "created") return;
  classes.forEach((c, i) => {
    if (c.auth.mode !== "jwt") return;
    const field = e.clients ? `clients[${i}].auth.jwksEgress` : "auth.jwksEgress";
    const egress = c.auth.jwksEgress;
    if (!egress || (egress.cidrs === undefined) === (egress.prefixListId === undefined)) {
      problems.add(field, egress, "needs exactly one of cidrs or prefixListId: the stack creates the Gateway proxies' security group, which reaches nothing it does not list, so without it the proxies cannot fetch the issuer's keys and every token gets 401", `set ${field}: { cidrs: [<the identity provider's CIDRs>] } (or { prefixListId }), where ${c.auth.jwksUri} resolves`);
      return;
    }
    (egress.cidrs ?? []).forEach((cidr, j) => {
      if (e.productionLike && isAnywhere(cidr)) problems.add(`${field}.cidrs[${j}]`, cidr, "gives the Gateway's proxies HTTPS egress to every address in a production-like environment", "list the identity provider's own CIDRs, or a prefix list of them");
    });
  });
}
