import { LocalBackend, S3Backend, TerraformStack } from "../platform/cdktf";
import { ConfigError, ProblemList } from "../contract/problems";
import { kubeContextProblems } from "../config/checks/dataguards";
import { requiredTerraformVersion } from "./terraform-version";
import type { Construct } from "constructs";
import { AwsProvider } from "../platform/aws";
import { KubernetesProvider } from "../platform/kubernetes";
import { HelmProvider } from "../platform/helm";
import { defineEnvironment, type Environment, type EnvironmentInput } from "../config/environment";
import { MimirAwsEdge } from "../aws/mimir-aws-edge";
import { attachMembersGroup, needsNodeSecurityGroup } from "../aws/pod-security-groups";
import { dataPlaneGroupOf } from "../config/data-plane-group";
import type { MimirSecurityGroupPolicy } from "../aws/pod-security-group";
import { MimirStorage } from "../storage/mimir-storage";
import { MimirHelmRelease } from "../helm/release";
import { MimirKubernetes } from "../kubernetes/mimir-kubernetes";
import { escapeTemplate } from "../exposure/terraform-template";
import { ContractPolicy } from "./contract-policy";
import type { ExposureModel } from "../exposure/model";
import type { Finding } from "../policy/types";
import { accountInputsFromVariables, type AccountInputs } from "./inputs";
import { originOf, overridesOf } from "./construct-origin";
import { clientsLine } from "../exposure/clients-info";

export interface MimirStackProps {
  /** The environment: raw settings (validated here, throwing `ConfigError`) or an already validated Environment. */
  readonly environment: EnvironmentInput | Environment;
  /**
   * Account identifiers (VPC, subnets, certificate, kubeconfig).
   * @default Terraform variables `TF_VAR_vpc_id`, ... (see README, "Deploy")
   */
  readonly inputs?: AccountInputs;
  /**
   * Where Terraform keeps state: `s3` (the environment's `state` settings,
   * encrypted and locked) or `local` (a file next to the stack; for tests and
   * examples, never for shared environments).
   * @default "s3"
   */
  readonly backend?: "s3" | "local";
}

function isResolved(e: EnvironmentInput | Environment): e is Environment {
  return typeof (e as Environment).contract === "object" && typeof (e as Environment).fullname === "string";
}

/** One Mimir environment: backend, providers and every construct derived from the port contract. */
export class MimirStack extends TerraformStack {
  readonly environment: Environment;
  readonly inputs: AccountInputs;
  readonly edge: MimirAwsEdge;
  readonly kubernetes: MimirKubernetes;
  readonly helm?: MimirHelmRelease;
  /** S3 buckets and the pods' role (when the environment sets `storage`). */
  readonly storage?: MimirStorage;
  /** Attaches the members security group to Mimir's pods (absent in node-group mode: the node group's group is the members group). */
  readonly podSecurityGroups?: MimirSecurityGroupPolicy;
  /** The synth-time contract policy; `acknowledge()` accepts a finding with a reason. */
  readonly policy: ContractPolicy;

  /**
   * @param scope the app (or another construct)
   * @param id the stack's construct id; cdktf writes the stack to `stacks/<id>`
   * @param props the environment and options
   */
  constructor(scope: Construct, id: string, props: MimirStackProps);
  /** @deprecated Use `new MimirStack(scope, id, props)`; this form takes the environment's name as id. */
  constructor(scope: Construct, props: MimirStackProps);
  constructor(scope: Construct, idOrProps: string | MimirStackProps, maybeProps?: MimirStackProps) {
    const props = (typeof idOrProps === "string" ? maybeProps : idOrProps) as MimirStackProps;
    if (props === undefined || props === null || typeof props !== "object") {
      throw new ConfigError([{ field: "props", value: props, rule: "is missing", fix: "call new MimirStack(scope, id, { environment: { ... } })" }]);
    }
    const environment = isResolved(props.environment) ? props.environment : defineEnvironment(props.environment);
    const id = typeof idOrProps === "string" ? idOrProps : environment.name;
    if (scope.node.tryFindChild(id)) {
      throw new ConfigError([{ env: environment.name, field: "name", value: id, rule: "is already the id of another stack in this app (each environment needs its own stack and state)", fix: "give every environment a unique name (or stack id)" }]);
    }
    super(scope, id);
    this.environment = environment;
    const env = environment;

    if (props.backend === "local") {
      new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    } else {
      new S3Backend(this, {
        bucket: env.state.bucket,
        key: env.stateKey,
        region: env.region,
        encrypt: true,
        ...(env.state.lockTable ? { dynamodbTable: env.state.lockTable } : {}),
      });
    }
    const nativeLocking = props.backend !== "local" && !env.state.lockTable;
    if (nativeLocking) {
      // S3 native state locking (Terraform >= 1.10); cdktf 0.21 has no typed option for it.
      this.addOverride("terraform.backend.s3.use_lockfile", true);
    }
    this.addOverride("terraform.required_version", requiredTerraformVersion({ nativeLocking }));

    const contextProblems = new ProblemList(env.name);
    kubeContextProblems(contextProblems, env, props.inputs?.kubeContext);
    contextProblems.throwIfAny();
    // The cluster group is an input only for an entry whose proxies have no group of their own (legacy ingress, ...).
    const clusterSecurityGroup = env.loadBalancer.target.kind === "ingress-controller" && dataPlaneGroupOf(env).kind === "cluster";
    const kubeContext = env.kubeContext !== undefined ? { given: env.kubeContext } : "required";
    this.inputs = props.inputs
      ? { ...props.inputs, kubeContext: env.kubeContext ?? props.inputs.kubeContext }
      : accountInputsFromVariables(this, { clusterSecurityGroup, nodeSecurityGroup: needsNodeSecurityGroup(env), kubeContext });
    const userTags = Object.fromEntries(Object.entries(env.tags).map(([k, v]) => [escapeTemplate(k), escapeTemplate(v)]));
    const tags = { "app.kubernetes.io/part-of": "mimir", environment: env.name, ...userTags };
    // allowed_account_ids: with credentials of any other account the provider refuses before reading anything.
    new AwsProvider(this, "aws", { region: env.region, defaultTags: [{ tags }], ...(env.accountId ? { allowedAccountIds: [env.accountId] } : {}) });
    new KubernetesProvider(this, "kubernetes", { configPath: this.inputs.kubeconfigPath, configContext: this.inputs.kubeContext });
    new HelmProvider(this, "helm", { kubernetes: { configPath: this.inputs.kubeconfigPath, configContext: this.inputs.kubeContext } });

    this.policy = new ContractPolicy(this, env, () => this.toTerraformOnceForSynth());
    this.kubernetes = new MimirKubernetes(this, "k8s", { environment: env });
    // After the namespace, so the TargetGroupBinding in it waits for it.
    this.edge = new MimirAwsEdge(this, "edge", { environment: env, inputs: this.inputs, namespace: this.kubernetes.namespace });
    this.podSecurityGroups = attachMembersGroup(this, "pod-security-groups", { environment: env, namespace: this.kubernetes.namespace, membersGroupId: this.edge.securityGroups.members.id, podsGroupId: this.edge.securityGroups.pods?.id });
    if (env.storage) this.storage = new MimirStorage(this, "storage", { environment: env, namespace: this.kubernetes.namespace });
    // The pods start with their groups and their AWS identity in place.
    const before = [...(this.podSecurityGroups ? [this.podSecurityGroups.manifest] : []), ...(this.storage?.rolePolicy ? [this.storage.rolePolicy] : []), ...(this.storage?.podIdentityAssociation ? [this.storage.podIdentityAssociation] : [])];
    if (env.helm.install) this.helm = new MimirHelmRelease(this, "helm-release", { environment: env, namespace: this.kubernetes.namespace, dependsOn: before });
  }

  private handoff?: Record<string, unknown>;

  /**
   * The policy validation resolves the whole stack; cdktf's synthesizer
   * resolves it again right after validation to write it. Hand the policy's
   * result over once instead of resolving twice (nothing can change in between:
   * validation is the last step before the write).
   */
  private toTerraformOnceForSynth(): Record<string, unknown> {
    const json = this.withOrigins(super.toTerraform() as Record<string, unknown>);
    this.handoff = json;
    return json;
  }

  override toTerraform(): any {
    const ready = this.handoff;
    this.handoff = undefined;
    return ready ?? this.withOrigins(super.toTerraform());
  }

  /**
   * Each resource and data source gets `"//".metadata.source`: the line in the
   * user's code that created it (its own `new X(...)`, or the `new MimirStack(...)`
   * call for what the stack builds), for review locations (./construct-origin).
   */
  private withOrigins(json: Record<string, any>): Record<string, any> {
    const byPath = new Map(this.node.findAll().map((c) => [c.node.path, c]));
    const cache = new Map<string, string | undefined>();
    const origin = (path: string): string | undefined => {
      if (cache.has(path)) return cache.get(path);
      const c = byPath.get(path);
      const found = c ? (originOf(c) ?? (c.node.scope && c.node.scope !== this.node.scope ? origin(c.node.scope.node.path) : undefined)) : undefined;
      cache.set(path, found);
      return found;
    };
    for (const block of [json.resource, json.data]) {
      for (const byName of Object.values<Record<string, any>>(block ?? {})) {
        for (const values of Object.values<Record<string, any>>(byName ?? {})) {
          const meta = values?.["//"]?.metadata;
          const source = typeof meta?.path === "string" ? origin(meta.path) : undefined;
          if (source) meta.source = source;
          const overrides = typeof meta?.path === "string" && byPath.has(meta.path) ? overridesOf(byPath.get(meta.path)!) : [];
          if (overrides.length > 0) meta.overrides = overrides;
        }
      }
    }
    return json;
  }
}

/** What the contract policy saw in every MimirStack of an app during its last synth. */
export function policyResults(app: Construct): Array<{ model: ExposureModel; findings: Finding[] }> {
  return app.node.children
    .filter((c): c is MimirStack => c instanceof MimirStack)
    .flatMap((s) => (s.policy.model ? [{ model: s.policy.model, findings: s.policy.findings }] : []));
}

/** Entry-path and settings warnings (e.g. the legacy ingress-nginx entry, monitoring by namespace, node-group mode) of every MimirStack of an app, for the synth summary. */
export function entryWarningLines(app: Construct): string[] {
  return app.node.children
    .filter((c): c is MimirStack => c instanceof MimirStack)
    .sort((a, b) => a.environment.name.localeCompare(b.environment.name))
    .flatMap((s) => [...s.environment.entry.warnings, ...s.environment.warnings].map((w) => `${s.environment.name}: warning: ${w}`));
}

/** Each environment's client classes with the API groups each reaches (only environments with several classes), for the synth summary. */
export function clientClassLines(app: Construct): string[] {
  return app.node.children
    .filter((c): c is MimirStack => c instanceof MimirStack)
    .filter((s) => (s.environment.clients ?? []).length > 1)
    .sort((a, b) => a.environment.name.localeCompare(b.environment.name))
    .map((s) => `${s.environment.name}: clients: ${clientsLine(s.environment.clients.map((c) => ({ name: c.name, mode: c.auth.mode, groups: c.groups })))}`);
}
