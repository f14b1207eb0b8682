import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { buildApp } from "../main";
import { env, gatewayEnv, problemsOf, resources, synthJson, type TfJson } from "./helpers";
import { defineEnvironment } from "../modules/config/environment";
import { clientClassLines } from "../modules/stack/mimir-stack";

/** The reference app's stacks, synthesized once (issue 27: least privilege by default). */
const out = mkdtempSync(join(tmpdir(), "mimir-lp-"));
const stacks: Record<string, TfJson> = {};
beforeAll(() => {
  buildApp(out).synth();
  for (const name of ["dev", "staging", "prod"]) stacks[name] = JSON.parse(readFileSync(join(out, "stacks", name, "cdk.tf.json"), "utf8"));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A production-like Gateway API environment (Pod Identity storage), with the fields a case sets on top. */
const PRODLIKE = {
  name: "prodlike",
  productionLike: true,
  accountId: "111122223333",
  kubeContext: "ctx-prodlike",
  storage: { buckets: { blocks: "b-blocks-x1", ruler: "b-ruler-x1", alertmanager: "b-am-x1" }, podIdentity: { clusterName: "c" } },
};
const prodLikeEnv = (over: Record<string, unknown>) => gatewayEnv({ ...PRODLIKE, ...over });

const lbOf = (json: TfJson) => Object.values(resources(json, "aws_lb"))[0] as Record<string, any>;
const httpsListenerOf = (json: TfJson) => Object.values(resources(json, "aws_lb_listener")).find((l) => l.port === 443) as Record<string, any>;

describe("load balancer (issue 27, item 5)", () => {
  test.each(["dev", "staging", "prod"])("%s: TLS listener without CBC ciphers, desync mitigation strictest", (name) => {
    expect(httpsListenerOf(stacks[name]).ssl_policy).toBe("ELBSecurityPolicy-TLS13-1-2-Res-2021-06");
    expect(lbOf(stacks[name]).desync_mitigation_mode).toBe("strictest");
  });

  test("prod (production-like, mutual TLS) writes connection logs to the named bucket", () => {
    expect(lbOf(stacks.prod).connection_logs).toEqual({ bucket: "acme-prod-lb-logs", prefix: "mimir-prod", enabled: true });
  });

  test("the TLS policy and desync mode are overridable", () => {
    const json = synthJson(gatewayEnv({ loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", desyncMitigationMode: "defensive" } }));
    expect(httpsListenerOf(json).ssl_policy).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
    expect(lbOf(json).desync_mitigation_mode).toBe("defensive");
    expect(lbOf(json).connection_logs).toBeUndefined();
  });

  test("production-like with mutual TLS and no connection logs bucket is a config error naming the field", () => {
    const problems = problemsOf(() =>
      defineEnvironment(
        prodLikeEnv({ auth: { mode: "mtls", caBundle: { bucket: "pki-bucket", key: "ca.pem", objectVersion: "v1" }, tenant: "t" } }),
      ),
    );
    const p = problems.find((x) => x.field === "loadBalancer.connectionLogsBucket");
    expect(p?.rule).toMatch(/production-like/);
    expect(p?.fix).toMatch(/set loadBalancer.connectionLogsBucket/);
  });
});

describe("providers and egress (issue 27, item 6)", () => {
  test.each(["dev", "staging", "prod"])("%s pins its kube context: both providers name it, no kube_context variable falls back to the current context", (name) => {
    const json = stacks[name] as any;
    const context = json.provider.kubernetes[0].config_context;
    expect(context).toMatch(new RegExp(`^arn:aws:eks:eu-west-1:111122223333:cluster/acme-${name}$`));
    expect(json.provider.helm[0].kubernetes.config_context).toBe(context);
    expect(json.variable?.kube_context).toBeUndefined();
  });

  const egressAnywhere = (json: TfJson) =>
    Object.values(resources(json, "aws_vpc_security_group_egress_rule")).filter((r) => r.cidr_ipv4 === "0.0.0.0/0" || r.cidr_ipv6 === "::/0");
  test.each(["staging", "prod"])("%s: no security group the stack writes sends to 0.0.0.0/0", (name) => {
    expect(egressAnywhere(stacks[name])).toEqual([]);
  });

  const irsaProd = (irsa: Record<string, unknown>) =>
    prodLikeEnv({
      storage: { buckets: PRODLIKE.storage.buckets, irsa: { oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC", ...irsa } },
      auth: { mode: "oidc", issuer: "https://idp.example.com", authorizationEndpoint: "https://idp.example.com/auth", tokenEndpoint: "https://idp.example.com/token", userInfoEndpoint: "https://idp.example.com/userinfo", clientId: "mimir", clientSecretArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:mimir-oidc-AbCdEf", tenant: "t" },
    });

  test("production-like IRSA without an STS endpoint is a config error naming the field and the two ways out", () => {
    const p = problemsOf(() => defineEnvironment(irsaProd({}))).find((x) => x.field === "storage.irsa.stsEndpoint");
    expect(p?.rule).toMatch(/0\.0\.0\.0\/0/);
    expect(p?.fix).toMatch(/securityGroupId.*prefixListId.*podIdentity/);
  });

  test("production-like IRSA through a prefix-listed STS endpoint sends HTTPS only there", () => {
    const json = synthJson(irsaProd({ stsEndpoint: { prefixListId: "pl-0123456789abcdef0" } }));
    expect(egressAnywhere(json)).toEqual([]);
    const sts = Object.values(resources(json, "aws_vpc_security_group_egress_rule")).filter((r) => r.prefix_list_id === "pl-0123456789abcdef0");
    expect(sts).toEqual([expect.objectContaining({ from_port: 443, to_port: 443, description: "mimir sts 443/tcp to the STS VPC endpoint (IRSA)" })]);
  });
});

describe("one identity per hop (issue 27, item 2)", () => {
  type Rule = Record<string, any>;
  const rulesOf = (json: TfJson) => [
    ...Object.values(resources(json, "aws_vpc_security_group_ingress_rule")).map((r) => ({ ...r, direction: "ingress" }) as Rule),
    ...Object.values(resources(json, "aws_vpc_security_group_egress_rule")).map((r) => ({ ...r, direction: "egress" }) as Rule),
  ];
  const groupRef = (json: TfJson, name: string) => {
    const key = Object.keys(resources(json, "aws_security_group")).find((k) => k.startsWith(`edge_security-groups_${name}_`));
    if (!key) throw new Error(`no ${name} group`);
    return `\${aws_security_group.${key}.id}`;
  };
  const MIMIR_PORTS = [8080, 9095, 7946];

  test.each(["dev", "staging", "prod"])("%s: no rule admits the EKS cluster group or is written on it; no cluster_security_group_id input exists", (name) => {
    const text = JSON.stringify(stacks[name]);
    expect(text).not.toContain("cluster_security_group_id");
  });

  test.each(["dev", "prod"])("%s (a Gateway the stack creates): the proxies' own group, reached only by the load balancer on the proxy port", (name) => {
    const json = stacks[name];
    const dataPlane = groupRef(json, "data-plane");
    const lb = groupRef(json, "lb");
    const nodes = "${var.node_security_group_id}";
    const proxyPort = name === "prod" ? 10443 : 10080;
    const ingress = rulesOf(json).filter((r) => r.direction === "ingress" && r.security_group_id === dataPlane);
    expect(ingress.map((r) => [r.referenced_security_group_id, r.from_port])).toEqual(
      expect.arrayContaining([
        [lb, proxyPort],
        [nodes, 19001],
      ]),
    );
    expect(ingress).toHaveLength(2);
    expect(ingress.every((r) => r.cidr_ipv4 === undefined && r.prefix_list_id === undefined)).toBe(true);
    // The SecurityGroupPolicy gives that group to this Gateway's proxies only (its owning labels).
    const policy = Object.values(resources(json, "kubernetes_manifest")).map((m: any) => m.manifest).find((m) => m.kind === "SecurityGroupPolicy" && m.metadata.namespace === "envoy-gateway-system");
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: expect.objectContaining({ "gateway.envoyproxy.io/owning-gateway-name": "mimir", "gateway.envoyproxy.io/owning-gateway-namespace": "mimir" }) },
      securityGroups: { groupIds: [dataPlane] },
    });
  });

  test.each(["dev", "staging", "prod"])("%s: Mimir's http admits the data plane's group, named monitoring groups and (on the pods group) the nodes for probes only", (name) => {
    const json = stacks[name];
    const members = groupRef(json, "members");
    const pods = groupRef(json, "pods");
    const dataPlane = name === "staging" ? "sg-0c1d2e3f4a5b6c7d8" : groupRef(json, "data-plane");
    const http = rulesOf(json).filter((r) => r.direction === "ingress" && r.from_port === 8080 && (r.security_group_id === members || r.security_group_id === pods));
    const sources = http.map((r) => r.referenced_security_group_id ?? r.cidr_ipv4 ?? r.prefix_list_id).sort();
    const expected = [members, dataPlane, "${var.node_security_group_id}", ...(name === "prod" ? ["sg-0a1b2c3d4e5f60718"] : [])].sort();
    expect(sources).toEqual(expected);
    expect(http.find((r) => r.referenced_security_group_id === "${var.node_security_group_id}")?.security_group_id).toBe(pods);
  });

  test("staging (a shared Gateway): its named group is the only one the load balancer reaches, and only the proxy port is written on it", () => {
    const json = stacks.staging;
    const lb = groupRef(json, "lb");
    const lbEgress = rulesOf(json).filter((r) => r.direction === "egress" && r.security_group_id === lb);
    expect(lbEgress.map((r) => [r.referenced_security_group_id, r.from_port])).toEqual([["sg-0c1d2e3f4a5b6c7d8", 10443]]);
    const onShared = rulesOf(json).filter((r) => r.security_group_id === "sg-0c1d2e3f4a5b6c7d8");
    expect(onShared.map((r) => [r.direction, r.referenced_security_group_id, r.from_port])).toEqual([["ingress", lb, 10443]]);
    expect(rulesOf(json).filter((r) => MIMIR_PORTS.includes(r.from_port) && r.referenced_security_group_id === "sg-0c1d2e3f4a5b6c7d8").map((r) => r.from_port)).toEqual([8080]);
  });

  test("a production-like environment on a shared Gateway without its data plane's group is a config error naming the field", () => {
    const p = problemsOf(() =>
      defineEnvironment(
        prodLikeEnv({
          entry: {
            kind: "gateway-api",
            gateway: { parentRef: { name: "platform", namespace: "gateway-system" } },
            dataPlane: { namespace: "envoy-gateway-system", serviceName: "envoy-platform", healthCheckPath: "/healthz", podLabels: { "app.kubernetes.io/name": "envoy" } },
          },
        }),
      ),
    ).find((x) => x.field === "entry.dataPlane.securityGroupId");
    expect(p?.rule).toMatch(/EKS cluster group/);
    expect(p?.fix).toMatch(/owning-gateway-name/);
  });
});

describe("NetworkPolicies (issue 27, item 3)", () => {
  const policies = (json: TfJson) => Object.values(resources(json, "kubernetes_network_policy_v1")) as Array<Record<string, any>>;
  const byName = (json: TfJson, name: string) => policies(json).find((p) => p.metadata.name === name);

  test.each([
    ["dev", "mimir", "mimir"],
    ["prod", "mimir", "mimir"],
    ["staging", "platform", "gateway-system"],
  ])("%s: Mimir's http admits the proxies of the one Gateway its routes attach to (owning labels), not every proxy", (name, gateway, namespace) => {
    const from = byName(stacks[name], "mimir-allow-http")!.spec.ingress[0].from as Array<Record<string, any>>;
    const proxies = from.filter((f) => f.namespace_selector?.match_labels?.["kubernetes.io/metadata.name"] === "envoy-gateway-system");
    expect(proxies).toHaveLength(1);
    expect(proxies[0].pod_selector.match_labels).toMatchObject({ "gateway.envoyproxy.io/owning-gateway-name": gateway, "gateway.envoyproxy.io/owning-gateway-namespace": namespace });
  });

  test.each(["dev", "staging", "prod"])("%s: the default deny selects every pod of Mimir's namespace", (name) => {
    const deny = byName(stacks[name], "mimir-default-deny")!;
    expect(deny.spec.pod_selector).toEqual({});
    expect(deny.spec.policy_types).toContain("Ingress");
    expect(deny.spec.ingress).toBeUndefined();
  });

  test("prod (restrictEgress): the deny covers egress too, and the chart's rollout-operator gets exactly its webhooks, metrics, DNS, the API and prepare-downscale", () => {
    const json = stacks.prod;
    expect(byName(json, "mimir-default-deny")!.spec.policy_types).toEqual(["Ingress", "Egress"]);
    const webhooks = byName(json, "mimir-allow-rollout-operator-webhooks")!.spec;
    expect(webhooks.pod_selector.match_labels).toEqual({ "app.kubernetes.io/name": "rollout-operator", "app.kubernetes.io/instance": "mimir" });
    expect(webhooks.ingress.map((i: any) => i.ports.map((p: any) => p.port))).toEqual([["8443"], ["8001"]]);
    const egress = byName(json, "mimir-rollout-operator-egress")!.spec.egress as Array<Record<string, any>>;
    expect(egress.map((e) => e.ports.map((p: any) => `${p.port}/${p.protocol}`))).toEqual([["53/UDP", "53/TCP"], ["443/TCP"], ["8080/TCP"]]);
    expect(egress[2].to[0].pod_selector.match_expressions[0].values).toEqual(["ingester", "store-gateway"]);
  });

});

describe("client classes with scopes (issue 27, item 1)", () => {
  type Json = Record<string, any>;
  const listeners = (json: TfJson) => Object.values(resources(json, "aws_lb_listener")) as Json[];
  const listenerRef = (json: TfJson, port: number) => {
    const key = Object.entries(resources(json, "aws_lb_listener")).find(([, l]) => l.port === port)![0];
    return `\${aws_lb_listener.${key}.arn}`;
  };
  /** The request paths a listener forwards (its public rules' path patterns), and the actions before the forward. */
  const forwarded = (json: TfJson, port: number) => {
    const rules = (Object.values(resources(json, "aws_lb_listener_rule")) as Json[]).filter((r) => r.listener_arn === listenerRef(json, port) && r.action.some((a: Json) => a.type === "forward"));
    return { paths: rules.flatMap((r) => r.condition[0].path_pattern.values as string[]).sort(), before: [...new Set(rules.flatMap((r) => r.action.filter((a: Json) => a.type !== "forward").map((a: Json) => a.type)))] };
  };

  test.each(["staging", "prod"])("%s: agents (mutual TLS on 443) can only write; operators (OIDC on 8443) read and administer rules and Alertmanager", (name) => {
    const json = stacks[name];
    const byPort = new Map(listeners(json).map((l) => [l.port, l]));
    expect(byPort.get(443)!.mutual_authentication).toMatchObject({ mode: "verify" });
    expect(byPort.get(8443)!.mutual_authentication).toBeUndefined();
    const agents = forwarded(json, 443);
    expect(agents).toEqual({ paths: ["/api/v1/push", "/otlp/v1/metrics"], before: [] });
    const operators = forwarded(json, 8443);
    expect(operators.before).toEqual(["authenticate-oidc"]);
    expect(operators.paths).toEqual(expect.arrayContaining(["/prometheus/api/v1/query", "/prometheus/api/v1/rules", "/prometheus/config/v1/rules", "/prometheus/config/v1/rules/*", "/alertmanager", "/alertmanager/*", "/api/v1/alerts"]));
    expect(operators.paths).not.toContain("/api/v1/push");
    // Every forwarding rule on the operators' listener authenticates first.
    const rules = (Object.values(resources(json, "aws_lb_listener_rule")) as Json[]).filter((r) => r.listener_arn === listenerRef(json, 8443) && r.action.some((a: Json) => a.type === "forward"));
    expect(rules.every((r) => r.action[0].type === "authenticate-oidc")).toBe(true);
    // Clients reach both listeners through the load balancer's group.
    const lbIngress = (Object.values(resources(json, "aws_vpc_security_group_ingress_rule")) as Json[]).filter((r) => String(r.description).includes("from clients")).map((r) => r.from_port);
    expect(new Set(lbIngress)).toEqual(new Set([443, 80, 8443]));
  });

  test("the synth summary prints each class with its authentication and groups (environments with several classes)", () => {
    expect(clientClassLines(buildApp(join(out, "summary")))).toEqual([
      "prod: clients: agents (mtls): write; operators (oidc): read, rules, alertmanager",
      "staging: clients: agents (mtls): write; operators (oidc): read, rules, alertmanager",
    ]);
  });

  test("dev (one class from auth): the one listener forwards every group the entry serves, as before", () => {
    expect(forwarded(stacks.dev, 443).paths).toEqual(expect.arrayContaining(["/api/v1/push", "/prometheus/api/v1/query", "/prometheus/config/v1/rules", "/alertmanager"]));
    expect(listeners(stacks.dev).map((l) => l.port).sort()).toEqual([443, 80]);
  });

  const mtls = (key: string) => ({ mode: "mtls", caBundle: { bucket: "acme-pki-x", key, objectVersion: "v1" }, tenant: "t" });
  const prodLike = (clients: unknown[]) =>
    prodLikeEnv({ auth: undefined, clients, loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], connectionLogsBucket: "acme-lb-logs" } });

  test("production-like: an agents class given alertmanager on its certificate is refused, naming the class's groups", () => {
    const p = problemsOf(() => defineEnvironment(prodLike([{ name: "agents", auth: mtls("agents.pem"), groups: ["write", "alertmanager"] }]))).find((x) => x.field === "clients[0].groups");
    expect(p?.rule).toMatch(/gives the class that pushes \(write\) also alertmanager/);
    expect(p?.fix).toMatch(/a class of its own/);
  });

  test("an mtls class defaults to write only; a second class on the agents' CA is refused", () => {
    const e = defineEnvironment(prodLike([{ name: "agents", auth: mtls("agents.pem") }]));
    expect(e.clients).toEqual([expect.objectContaining({ name: "agents", groups: ["write"] })]);
    const p = problemsOf(() => defineEnvironment(prodLike([{ name: "agents", auth: mtls("agents.pem") }, { name: "admins", auth: mtls("agents.pem"), groups: ["rules"] }]))).find((x) => x.field === "clients[1].auth");
    expect(p?.rule).toMatch(/trusts the same CA as clients\[0\] \(agents\)/);
  });

  test("production-like: a class's CA bundle must be pinned by S3 version, named at the class", () => {
    const unpinned = { mode: "mtls", caBundle: { bucket: "acme-pki-x", key: "agents.pem" }, tenant: "t" };
    const p = problemsOf(() => defineEnvironment(prodLike([{ name: "agents", auth: unpinned }]))).find((x) => x.field === "clients[0].auth.caBundle.objectVersion");
    expect(p?.rule).toMatch(/without a version the trust store keeps whatever it read/);
  });

  test("auth and clients together are refused; class auth problems are named at the class", () => {
    const both = problemsOf(() => defineEnvironment(gatewayEnv({ clients: [{ name: "agents", auth: mtls("a.pem") }] })));
    expect(both.find((x) => x.field === "clients")?.rule).toMatch(/together with auth/);
    const bad = problemsOf(() => defineEnvironment(gatewayEnv({ auth: undefined, clients: [{ name: "agents", auth: { mode: "mtls", tenant: "t" } }] })));
    expect(bad.find((x) => x.field === "clients[0].auth.caBundle")?.rule).toMatch(/mutual TLS needs the CAs/);
  });
});
