/**
 * Issue 30 item 1, pods rendered from chart values: mimir-distributed renders every `extraObjects` entry into the
 * release. An object entry is read like a manifest of the stack (a workload wearing Mimir's labels impersonates
 * Mimir; a Service there is a Service); a template the chart renders only at install is MP015.
 */
import type { TerraformStack } from "cdktf";
import { stringify } from "yaml";
import { escapeTemplate } from "../../../modules/exposure/terraform-template";
import { mimirValuesYaml } from "../../../modules/helm/values";
import { MIMIR_NS, mimirPods, parts } from "../attack";
import { PORT, SRC } from "../expectations";
import type { SynthCase } from "../harness";
import { c } from "./interior";

const RELEASE = /helm_release\.helm-release|helm-release\/release/;
/** A values document after the contract's own, with `extraObjects`. */
const extraObjects = (s: TerraformStack, objects: unknown[]) => {
  const p = parts(s);
  p.helm!.addOverride("values", [escapeTemplate(mimirValuesYaml(p.stack.environment)), escapeTemplate(stringify({ extraObjects: objects }))]);
};
const deployment = (name: string, labels: Record<string, string>, namespace?: string) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "debug", image: "busybox" }] } } },
});

export const CHART_OBJECT_EXPOSURES: SynthCase[] = [
  c("proof-chart-objects", "extraObjects renders a Deployment wearing the ingesters' labels in the release's namespace", "chart", (s) => extraObjects(s, [deployment("debug", mimirPods("ingester"))]), { rule: /MP019/, source: /extraObjects/, port: PORT.grpc, at: RELEASE }),
  c("proof-chart-objects", "extraObjects renders a Deployment wearing Mimir's labels with the namespace written out", "chart", (s) => extraObjects(s, [deployment("debug-ns", mimirPods("distributor"), MIMIR_NS)]), { rule: /MP019/, source: /extraObjects/, port: PORT.gossip, at: RELEASE }),
  c("proof-chart-objects", "extraObjects renders a LoadBalancer Service selecting the distributors", "chart", (s) =>
    extraObjects(s, [{ apiVersion: "v1", kind: "Service", metadata: { name: "debug-lb" }, spec: { type: "LoadBalancer", selector: mimirPods("distributor"), ports: [{ port: 9095, targetPort: "grpc" }] } }]), { source: /LoadBalancer|0\.0\.0\.0\/0/, port: PORT.grpc, at: RELEASE }),
  c("proof-chart-objects", "extraObjects entry as a template string (rendered only at install): MP015", "chart", (s) => extraObjects(s, ["apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-debug\n"]), { rule: /MP015/, source: SRC.unknown, port: /extraObjects|Mimir/, at: RELEASE }),
  c("proof-chart-objects", "extraObjects object carrying a template in its labels: MP015", "chart", (s) => extraObjects(s, [deployment("debug-tpl", { ...mimirPods("ingester"), "app.kubernetes.io/instance": "{{ .Release.Name }}" })]), { rule: /MP015/, source: SRC.unknown, port: /extraObjects|Mimir/, at: RELEASE }),
];

export const CHART_OBJECT_NEIGHBOURS: SynthCase[] = [
  c("neighbour", "extraObjects renders a ConfigMap", "chart", (s) => extraObjects(s, [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "dashboards" }, data: { "a.json": "{}" } }])),
  c("neighbour", "extraObjects renders a Deployment with its own labels", "chart", (s) => extraObjects(s, [deployment("exporter", { app: "mimir-exporter" })])),
];
