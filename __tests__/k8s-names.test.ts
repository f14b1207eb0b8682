/**
 * Every Kubernetes name field of an environment is checked by the validator of
 * its kind (modules/config/checks/k8s-names.ts, Kubernetes' own rules from
 * k8s.io/apimachinery): each field × valid and invalid examples of its kind.
 * A refused name is a problem naming environment, field, value and fix.
 */
import { defineEnvironment } from "../modules/config/environment";
import { ConfigError, type Problem } from "../modules/contract/problems";
import { env, gatewayEnv } from "./helpers";

type Kind = "dns1123-label" | "helm-release" | "dns1123-subdomain" | "dns1035-label" | "label-key" | "label-value";

const long = (n: number) => "a".repeat(n);
/** Kubernetes' own examples and edges per kind (IsDNS1123Label, IsDNS1123Subdomain, IsDNS1035Label, IsLabelKey, IsLabelValue). */
const EXAMPLES: Record<Kind, { valid: string[]; invalid: Array<[string, RegExp]> }> = {
  "dns1123-label": {
    valid: ["mimir", "123-abc", long(63)],
    invalid: [["Mimir", /upper-case/], ["mimir.prod", /has dots/], ["-mimir", /starts or ends with "-"/], ["mimir_prod", /DNS-1123 label/], [long(64), /64 characters.*at most 63/], ["", /is empty/]],
  },
  "helm-release": {
    // At most 53 here; the chart's longest Service name (<fullname>-query-scheduler-headless) caps it lower still, checked on its own.
    valid: ["mimir", "1mimir", "mimir-eu-1"],
    invalid: [[long(54), /54 characters.*at most 53/], ["Mimir", /upper-case/], ["mimir.prod", /has dots/]],
  },
  "dns1123-subdomain": {
    valid: ["mimir-tls", "mimir.example.com-tls", "0-tls", long(253)],
    invalid: [["Mimir-tls", /upper-case/], ["mimir_tls", /DNS-1123 subdomain/], ["mimir..tls", /DNS-1123 subdomain/], ["tls.", /DNS-1123 subdomain/], [long(254), /254 characters.*at most 253/], ["", /is empty/]],
  },
  "dns1035-label": {
    valid: ["envoy-mimir", long(63)],
    invalid: [["0envoy", /must start with a letter \(DNS-1035 label\)/], ["envoy.mimir", /has dots/], ["Envoy", /upper-case/], [long(64), /at most 63/]],
  },
  "label-key": {
    valid: ["app.kubernetes.io/name", "name", "My_Name.x", `example.com/${long(63)}`],
    invalid: [["app.kubernetes.io/", /empty name part/], ["a/b/c", /at most one/], ["-name", /label key/], ["Example.com/name", /prefix "Example\.com" that has upper-case/], [long(64), /name part of 64 characters/]],
  },
  "label-value": {
    valid: ["prometheus", "", "Prom_1.x", long(63)],
    invalid: [["-prom", /label value/], ["prom metheus", /label value/], [long(64), /64 characters.*at most 63/]],
  },
};

const buckets = { blocks: "acme-t-blocks", ruler: "acme-t-ruler", alertmanager: "acme-t-alertmanager" };
const irsa = { oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123" };
const gateway = gatewayEnv() as unknown as Record<string, any>;
const legacy = env() as unknown as Record<string, any>;

/** Field, kind, and the environment with `value` in that field. */
type Field = [field: string, kind: Kind, build: (value: string) => Record<string, unknown>];
const FIELDS: Field[] = [
  ["namespace", "dns1123-label", (v) => ({ ...gateway, namespace: v })],
  ["release", "helm-release", (v) => ({ ...gateway, release: v })],
  ["monitoring.namespace", "dns1123-label", (v) => ({ ...gateway, monitoring: { ...gateway.monitoring, namespace: v } })],
  ["monitoring.podLabels", "label-key", (v) => ({ ...gateway, monitoring: { ...gateway.monitoring, podLabels: { [v]: "prometheus" } } })],
  ["monitoring.podLabels", "label-value", (v) => ({ ...gateway, monitoring: { ...gateway.monitoring, podLabels: { "app.kubernetes.io/name": v } } })],
  ["entry.gateway.className", "dns1123-subdomain", (v) => ({ ...gateway, entry: { ...gateway.entry, gateway: { ...gateway.entry.gateway, className: v } } })],
  ["entry.gateway.tlsSecretName", "dns1123-subdomain", (v) => ({ ...gateway, entry: { ...gateway.entry, gateway: { ...gateway.entry.gateway, tlsSecretName: v } } })],
  ["entry.gateway.parentRef.name", "dns1123-subdomain", (v) => ({ ...gateway, entry: { ...gateway.entry, gateway: { parentRef: { name: v, namespace: "gateway-system" } } } })],
  ["entry.gateway.parentRef.namespace", "dns1123-label", (v) => ({ ...gateway, entry: { ...gateway.entry, gateway: { parentRef: { name: "platform", namespace: v } } } })],
  ["entry.gateway.parentRef.sectionName", "dns1123-subdomain", (v) => ({ ...gateway, entry: { ...gateway.entry, gateway: { parentRef: { name: "platform", namespace: "gateway-system", sectionName: v } } } })],
  ["entry.dataPlane.namespace", "dns1123-label", (v) => ({ ...gateway, entry: { ...gateway.entry, dataPlane: { ...gateway.entry.dataPlane, namespace: v } } })],
  ["entry.dataPlane.serviceName", "dns1035-label", (v) => ({ ...gateway, entry: { ...gateway.entry, dataPlane: { ...gateway.entry.dataPlane, serviceName: v } } })],
  ["entry.dataPlane.podLabels", "label-key", (v) => ({ ...gateway, entry: { ...gateway.entry, dataPlane: { ...gateway.entry.dataPlane, podLabels: { [v]: "envoy" } } } })],
  ["entry.dataPlane.podLabels", "label-value", (v) => ({ ...gateway, entry: { ...gateway.entry, dataPlane: { ...gateway.entry.dataPlane, podLabels: { "app.kubernetes.io/name": v } } } })],
  ["ingress.className", "dns1123-subdomain", (v) => ({ ...legacy, ingress: { ...legacy.ingress, className: v } })],
  ["ingress.tlsSecretName", "dns1123-subdomain", (v) => ({ ...legacy, ingress: { ...legacy.ingress, tlsSecretName: v } })],
  ["ingress.controllerNamespace", "dns1123-label", (v) => ({ ...legacy, ingress: { ...legacy.ingress, controllerNamespace: v } })],
  ["ingress.controllerPodLabels", "label-key", (v) => ({ ...legacy, ingress: { ...legacy.ingress, controllerPodLabels: { [v]: "ingress-nginx" } } })],
  ["ingress.controllerPodLabels", "label-value", (v) => ({ ...legacy, ingress: { ...legacy.ingress, controllerPodLabels: { "app.kubernetes.io/name": v } } })],
  ["loadBalancer.target.namespace", "dns1123-label", (v) => ({ ...legacy, loadBalancer: { ...legacy.loadBalancer, target: { ...legacy.loadBalancer.target, namespace: v } } })],
  ["loadBalancer.target.serviceName", "dns1035-label", (v) => ({ ...legacy, loadBalancer: { ...legacy.loadBalancer, target: { ...legacy.loadBalancer.target, serviceName: v } } })],
  ["storage.serviceAccount", "dns1123-subdomain", (v) => ({ ...gateway, storage: { buckets, irsa, serviceAccount: v } })],
  ["auth.usersSecretName", "dns1123-subdomain", (v) => ({ ...gateway, auth: { mode: "basic", usersSecretName: v } })],
  ["monolithic.storageClass", "dns1123-subdomain", (v) => ({ ...gateway, deploymentMode: "monolithic", entry: { ...gateway.entry }, monolithic: { storageClass: v } })],
];

function problems(input: Record<string, unknown>): readonly Problem[] {
  try {
    defineEnvironment(input as never);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems;
  }
}

/** The problems about `field` (a label map's problems are on `<field>.<key>`). */
const about = (ps: readonly Problem[], field: string) => ps.filter((p) => p.field === field || p.field.startsWith(`${field}.`));

const rows = FIELDS.flatMap(([field, kind, build]) => [
  ...EXAMPLES[kind].valid.map((value) => ({ field, kind, build, value, refused: undefined as RegExp | undefined })),
  ...EXAMPLES[kind].invalid.map(([value, refused]) => ({ field, kind, build, value, refused })),
]);

test.each(rows.map((r) => [`${r.field} (${r.kind}) ${r.refused ? "refuses" : "accepts"} ${JSON.stringify(r.value.length > 20 ? `${r.value.slice(0, 12)}…(${r.value.length})` : r.value)}`, r] as const))("%s", (_label, { field, kind, build, value, refused }) => {
  const found = about(problems(build(value)), field);
  if (!refused) {
    expect(found).toEqual([]);
    return;
  }
  expect(found).toHaveLength(1);
  const [p] = found;
  expect(p.env).toBe("test");
  // The value is named: the field's value, a label's value under its key, or a label key in the field's path.
  if (kind === "label-key") expect(p.field).toBe(`${field}.${value}`);
  else expect(p).toMatchObject({ field: kind === "label-value" ? `${field}.app.kubernetes.io/name` : field, value });
  expect(p.rule).toMatch(refused);
  expect(p.fix.length).toBeGreaterThan(5);
  expect(new ConfigError([p]).message).toContain(`[test] ${p.field}`);
});

test("the reported Secret name that started it all: entry.gateway.tlsSecretName takes what ingress.tlsSecretName takes", () => {
  const name = "mimir.example.com-tls";
  expect(about(problems(FIELDS.find((f) => f[0] === "entry.gateway.tlsSecretName")![2](name)), "entry.gateway.tlsSecretName")).toEqual([]);
  expect(about(problems(FIELDS.find((f) => f[0] === "ingress.tlsSecretName")![2](name)), "ingress.tlsSecretName")).toEqual([]);
});
