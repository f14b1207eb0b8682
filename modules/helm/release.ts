import { Construct } from "constructs";
import type { ITerraformDependable } from "../platform/cdktf";
import { Release } from "../platform/helm";
import type { Environment } from "../config/environment-types";
import { MIMIR_CHART } from "./chart";
import { escapeTemplate } from "../exposure/terraform-template";
import { mimirValuesYaml } from "./values";
import { recordContractUse } from "../contract/contract-hook";

/** Installs mimir-distributed with values derived from the contract (helm ownership). */
export class MimirHelmRelease extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: { readonly environment: Environment; readonly namespace: string; readonly dependsOn?: ITerraformDependable[] }) {
    super(scope, id);
    const env = props.environment;
    recordContractUse(this, env);
    this.release = new Release(this, "release", {
      name: env.release,
      namespace: props.namespace,
      chart: MIMIR_CHART.name,
      repository: MIMIR_CHART.repository,
      version: env.helm.chartVersion ?? MIMIR_CHART.version,
      values: [escapeTemplate(mimirValuesYaml(env))],
      atomic: true,
      cleanupOnFail: true,
      timeout: 900,
      ...(props.dependsOn ? { dependsOn: props.dependsOn } : {}),
    });
  }
}
