/** Helm exposures: `values` documents, `set` / `set_sensitive` / `set_list`, YAML as helm reads it, chart keys that expose. */
import type { TerraformStack } from "cdktf";
import { escapeTemplate } from "../../../modules/exposure/terraform-template";
import { mimirValuesYaml } from "../../../modules/helm/values";
import { parts } from "../attack";
import { PORT, SRC } from "../expectations";
import type { SynthCase } from "../harness";

const RELEASE = /helm_release\.helm-release|helm-release\/release/;

/** Append a values document after the contract's own (helm merges them in order). */
export function extraValues(s: TerraformStack, yaml: string): void {
  const p = parts(s);
  p.helm!.addOverride("values", [escapeTemplate(mimirValuesYaml(p.stack.environment)), yaml]);
}

const helm = (name: string, build: (s: TerraformStack) => void, expect: Omit<NonNullable<SynthCase["expect"]>, "at">): SynthCase => ({ class: "helm", name, base: "edge", build, expect: { at: RELEASE, ...expect } });

export const HELM_EXPOSURES: SynthCase[] = [
  helm("values: distributor.service.type LoadBalancer in a second values document", (s) => extraValues(s, "distributor:\n  service:\n    type: LoadBalancer\n"), { source: /LoadBalancer/, port: PORT.any, also: [/distributor/] }),
  helm("set: ingester.service.type NodePort", (s) => parts(s).helm!.addOverride("set", [{ name: "ingester.service.type", value: "NodePort" }]), { source: /NodePort/, port: PORT.any, also: [/ingester/] }),
  helm("set_sensitive: querier.service.type LoadBalancer", (s) => parts(s).helm!.addOverride("set_sensitive", [{ name: "querier.service.type", value: "LoadBalancer" }]), { source: /LoadBalancer/, port: PORT.any, also: [/querier/] }),
  helm("set_list: distributor.service.externalIPs", (s) => parts(s).helm!.addOverride("set_list", [{ name: "distributor.service.externalIPs", value: ["203.0.113.5"] }]), { source: /externalIPs|203\.0\.113\.5/, port: PORT.any, also: [/distributor/] }),
  helm("YAML alias: the Service block is an alias of an anchored LoadBalancer", (s) => extraValues(s, "x-exposed: &exposed\n  type: LoadBalancer\nstore_gateway:\n  service: *exposed\n"), { source: /LoadBalancer/, port: PORT.any, also: [/store_gateway|store-gateway/] }),
  helm("YAML merge key `<<` brings in type NodePort", (s) => extraValues(s, "x-exposed: &exposed\n  type: NodePort\ningester:\n  service:\n    <<: *exposed\n    annotations: {}\n"), { source: /NodePort/, port: PORT.any, also: [/ingester/] }),
  helm("extraPorts on a NodePort ingester Service add grpc", (s) => extraValues(s, "ingester:\n  service:\n    type: NodePort\n    extraPorts:\n      - name: rpc\n        port: 9095\n        targetPort: grpc\n        nodePort: 30095\n"), { source: /NodePort|extraPorts/, port: PORT.grpc }),
  helm("extraContainers: a sidecar publishes the pod's grpc port as a hostPort", (s) => extraValues(s, "ingester:\n  extraContainers:\n    - name: sidecar\n      image: busybox:1.36\n      ports:\n        - containerPort: 9095\n          hostPort: 9095\n"), { source: SRC.hostPort, port: PORT.grpc, also: [/extraContainers/] }),
  helm("extraArgs: a port flag moves grpc off the contract", (s) => extraValues(s, "distributor:\n  extraArgs:\n    server.grpc-listen-port: 9000\n"), { source: /extraArgs|grpc-listen-port|9000/, port: PORT.grpc }),
  helm("hostNetwork: true on the queriers", (s) => extraValues(s, "querier:\n  hostNetwork: true\n"), { source: SRC.hostNetwork, port: PORT.any, also: [/querier/] }),
  helm("set moves the http port off the contract", (s) => parts(s).helm!.addOverride("set", [{ name: "mimir.structuredConfig.server.http_listen_port", value: "8081" }]), { source: /8081|http_listen_port/, port: PORT.http }),
];
