/**
 * `kubernetes_stateful_set_v1` written from its Terraform attributes (snake_case,
 * as they appear in the synthesized JSON) instead of through the provider's
 * `StatefulSetV1` class: that class drags in 4.8 MB of generated structs
 * (about 85 ms to load on every synth, for the one resource the monolithic
 * workload writes). Same resource type and provider as the class, so the
 * output is the same JSON (the goldens check it byte for byte). JSON only: the
 * library never synthesizes HCL.
 */
import { TerraformResource } from "./cdktf";
import type { Construct } from "constructs";

export class StatefulSetV1Json extends TerraformResource {
  static readonly tfResourceType = "kubernetes_stateful_set_v1";

  constructor(
    scope: Construct,
    id: string,
    private readonly attributes: { readonly metadata: Record<string, unknown>; readonly spec: Record<string, unknown> },
  ) {
    super(scope, id, { terraformResourceType: StatefulSetV1Json.tfResourceType, terraformGeneratorMetadata: { providerName: "kubernetes" } });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { ...this.attributes };
  }
}
