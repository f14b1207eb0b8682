/**
 * Opaque parts: what the model cannot see is an "unknown" finding that needs
 * an acknowledgement (synth refuses, check exits 1), never a silent pass.
 */
import { Fn, TerraformHclModule, TerraformVariable, type TerraformStack } from "cdktf";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { binding, manifest, mimirPods, parts } from "../attack";
import { PORT, SRC } from "../expectations";
import type { SynthCase } from "../harness";
import { extraValues } from "./helm";

/** What the unknown may reach: Mimir's members, pods or a port of theirs. */
const MIMIR_SCOPE = /members|mimir|\b(8080|9095|7946)\b|http-metrics|grpc|memberlist|port/i;

const opaque = (name: string, build: (s: TerraformStack) => void, at: RegExp = /atk/, port: RegExp = MIMIR_SCOPE): SynthCase => ({ class: "opaque", name, base: "edge", build, expect: { source: SRC.unknown, port, at } });

export const OPAQUE_EXPOSURES: SynthCase[] = [
  opaque("TerraformHclModule handed the members group (internals unknown)", (s) => {
    new TerraformHclModule(s, "atk-module", { source: "git::https://example.com/platform/debug-access.git?ref=v1.4.0", variables: { security_group_id: parts(s).members.id } });
  }, /module|atk/),
  opaque("registry security-group module writing rules into the members group", (s) => {
    new TerraformHclModule(s, "atk-module", {
      source: "terraform-aws-modules/security-group/aws",
      version: "5.3.0",
      variables: { create_sg: false, security_group_id: parts(s).members.id, ingress_cidr_blocks: ["0.0.0.0/0"], ingress_rules: ["all-all"] },
    });
  }, /module|atk/),
  opaque("dynamic ingress block on the members group", (s) => {
    new TerraformVariable(s, "atk-extra-ingress", { type: "list(object({ port = number, cidrs = list(string) }))", default: [] });
    parts(s).members.addOverride("dynamic.ingress", {
      for_each: "${var.atk-extra-ingress}",
      content: { from_port: "${ingress.value.port}", to_port: "${ingress.value.port}", protocol: "tcp", cidr_blocks: "${ingress.value.cidrs}", description: "extra" },
    });
  }, /dynamic|aws_security_group\.edge_security-groups_members|security-groups\/members/),
  opaque("CIDR from a variable on the http port", (s) => {
    const cidr = new TerraformVariable(s, "atk-cidr", { type: "string" });
    new VpcSecurityGroupIngressRule(s, "atk-rule", { securityGroupId: parts(s).members.id, ipProtocol: "tcp", fromPort: 8080, toPort: 8080, cidrIpv4: cidr.stringValue, description: "debug" });
  }, /atk/, PORT.http),
  opaque("port from a variable, open to the world", (s) => {
    const port = new TerraformVariable(s, "atk-port", { type: "number" });
    new VpcSecurityGroupIngressRule(s, "atk-rule", { securityGroupId: parts(s).members.id, ipProtocol: "tcp", fromPort: port.numberValue, toPort: port.numberValue, cidrIpv4: "0.0.0.0/0", description: "debug" });
  }),
  opaque("Service type from a variable, selecting the ingesters' grpc", (s) => {
    const type = new TerraformVariable(s, "atk-type", { type: "string", default: "ClusterIP" });
    new ServiceV1(s, "atk-svc", { metadata: { name: "atk-svc", namespace: "mimir" }, spec: { type: type.stringValue, selector: mimirPods("ingester"), port: [{ name: "api", port: 443, targetPort: "grpc" }] } });
  }, /atk/, PORT.grpc),
  opaque("Helm values read from a file at plan time", (s) => {
    extraValues(s, Fn.file("${path.module}/extra-values.yaml"));
  }, /helm_release\.helm-release|helm-release\/release/),
  opaque("dynamic set block on the Helm release", (s) => {
    new TerraformVariable(s, "atk-overrides", { type: "map(string)", default: {} });
    parts(s).helm!.addOverride("dynamic.set", { for_each: "${var.atk-overrides}", content: { name: "${set.key}", value: "${set.value}" } });
  }, /dynamic|helm_release\.helm-release|helm-release\/release/),
  opaque("kubernetes_manifest decoded from a variable (kind unknown)", (s) => {
    const doc = new TerraformVariable(s, "atk-doc", { type: "string" });
    manifest(s, "atk-manifest", {}).addOverride("manifest", Fn.yamldecode(doc.stringValue));
  }),
  opaque("TargetGroupBinding whose service port is a variable", (s) => {
    const port = new TerraformVariable(s, "atk-svc-port", { type: "string" });
    binding(s, "atk-tgb", parts(s).tg.arn, "mimir-ingester", port.stringValue);
  }),
];
