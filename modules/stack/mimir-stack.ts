import { S3Backend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { defineEnvironment, type Environment, type EnvironmentInput } from "../config/environment";
import { MimirAwsEdge } from "../aws/mimir-aws-edge";
import { MimirHelmRelease } from "../helm/release";
import { MimirKubernetes } from "../kubernetes/mimir-kubernetes";
import { escapeTemplate } from "../exposure/terraform-template";
import { ContractPolicy } from "./contract-policy";
import type { ExposureModel } from "../exposure/model";
import type { Finding } from "../policy/types";
import { accountInputsFromVariables, type AccountInputs } from "./inputs";

export interface MimirStackProps {
  /** The environment: raw settings (validated here) or an already validated Environment. */
  readonly environment: EnvironmentInput | Environment;
  /** Account identifiers; default: Terraform variables (see README, "Deploy"). */
  readonly inputs?: AccountInputs;
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
  /** The synth-time contract policy; `acknowledge()` accepts a finding with a reason. */
  readonly policy: ContractPolicy;

  constructor(scope: Construct, props: MimirStackProps) {
    const environment = isResolved(props.environment) ? props.environment : defineEnvironment(props.environment);
    super(scope, environment.name);
    this.environment = environment;
    const env = environment;

    new S3Backend(this, {
      bucket: env.state.bucket,
      key: env.stateKey,
      region: env.region,
      encrypt: true,
      ...(env.state.lockTable ? { dynamodbTable: env.state.lockTable } : {}),
    });
    if (!env.state.lockTable) {
      // S3 native state locking (Terraform >= 1.10); cdktf 0.21 has no typed option for it.
      this.addOverride("terraform.backend.s3.use_lockfile", true);
    }

    this.inputs = props.inputs ?? accountInputsFromVariables(this, { clusterSecurityGroup: env.loadBalancer.target.kind === "ingress-controller" });
    const userTags = Object.fromEntries(Object.entries(env.tags).map(([k, v]) => [escapeTemplate(k), escapeTemplate(v)]));
    const tags = { "app.kubernetes.io/part-of": "mimir", environment: env.name, ...userTags };
    new AwsProvider(this, "aws", { region: env.region, defaultTags: [{ tags }] });
    new KubernetesProvider(this, "kubernetes", { configPath: this.inputs.kubeconfigPath, configContext: this.inputs.kubeContext });
    new HelmProvider(this, "helm", { kubernetes: { configPath: this.inputs.kubeconfigPath, configContext: this.inputs.kubeContext } });

    this.policy = new ContractPolicy(this, env, () => this.toTerraformOnceForSynth());
    this.kubernetes = new MimirKubernetes(this, "k8s", { environment: env });
    // After the namespace, so the TargetGroupBinding in it waits for it.
    this.edge = new MimirAwsEdge(this, "edge", { environment: env, inputs: this.inputs, namespace: this.kubernetes.namespace });
    if (env.helm.install) this.helm = new MimirHelmRelease(this, "helm-release", { environment: env, namespace: this.kubernetes.namespace });
  }

  private handoff?: Record<string, unknown>;

  /**
   * The policy validation resolves the whole stack; cdktf's synthesizer
   * resolves it again right after validation to write it. Hand the policy's
   * result over once instead of resolving twice (nothing can change in between:
   * validation is the last step before the write).
   */
  private toTerraformOnceForSynth(): Record<string, unknown> {
    const json = super.toTerraform() as Record<string, unknown>;
    this.handoff = json;
    return json;
  }

  override toTerraform(): any {
    const ready = this.handoff;
    this.handoff = undefined;
    return ready ?? super.toTerraform();
  }
}

/** What the contract policy saw in every MimirStack of an app during its last synth. */
export function policyResults(app: Construct): Array<{ model: ExposureModel; findings: Finding[] }> {
  return app.node.children
    .filter((c): c is MimirStack => c instanceof MimirStack)
    .flatMap((s) => (s.policy.model ? [{ model: s.policy.model, findings: s.policy.findings }] : []));
}
