import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { buildApp, environments } from "../main";
import type { EnvironmentInput } from "../modules/config/environment";
import { entryWarningLines, MimirStack } from "../modules/stack/mimir-stack";
import { manifests } from "./entry-matchers";
import { crdValidator } from "./helpers/crd";
import { configErrorMessage, resources, synthJson, type TfJson } from "./helpers";

/**
 * Issue 21 item 1: the Gateway API entry hardened end to end. The objects the
 * stack writes to keep the data plane to the load balancer (EnvoyProxy,
 * NetworkPolicy, SecurityPolicies, ClientTrafficPolicy), checked field by
 * field and against Envoy Gateway v1.9.0's CRDs (vendored, Apache-2.0).
 */
const envoyProxyCrd = crdValidator("envoy-gateway/gateway.envoyproxy.io_envoyproxies.yaml", "v1alpha1");
const securityPolicyCrd = crdValidator("envoy-gateway/gateway.envoyproxy.io_securitypolicies.yaml", "v1alpha1");
const clientTrafficCrd = crdValidator("envoy-gateway/gateway.envoyproxy.io_clienttrafficpolicies.yaml", "v1alpha1");
const gatewayCrd = crdValidator("gateway-api/gateway.networking.k8s.io_gateways.yaml", "v1");

const byName = (name: string) => environments.find((e) => e.name === name)!;
const prodInput = byName("prod") as EnvironmentInput & { loadBalancer: { subnetCidrs: string[] }; entry: { dataPlane: { serviceName: string; namespace: string; podLabels: Record<string, string> } } };
const stagingInput = byName("staging") as EnvironmentInput & { loadBalancer: { subnetCidrs: string[] } };

type NetworkPolicy = { metadata: { name: string; namespace: string }; spec: { pod_selector: { match_labels: Record<string, string> }; policy_types: string[]; ingress: Array<{ from: Array<{ ip_block?: { cidr: string } }>; ports: Array<{ port: string; protocol: string }> }> } };
const dataPlanePolicies = (json: TfJson) => Object.values(resources(json, "kubernetes_network_policy_v1")).map((p) => p as unknown as NetworkPolicy).filter((p) => p.metadata.namespace === "envoy-gateway-system");

describe("prod (created Gateway, Envoy Gateway): the data plane admits only the load balancer", () => {
  const json = synthJson(prodInput);
  const subnets = prodInput.loadBalancer.subnetCidrs;

  test("an EnvoyProxy makes the data-plane Service ClusterIP with the fixed name the TargetGroupBinding targets; the Gateway links it", () => {
    const [proxy] = manifests(json, "EnvoyProxy");
    expect(proxy.apiVersion).toBe("gateway.envoyproxy.io/v1alpha1");
    expect(proxy.spec.provider).toMatchObject({ type: "Kubernetes", kubernetes: { envoyService: { type: "ClusterIP", name: "envoy-mimir-prod" } } });
    const [gateway] = manifests(json, "Gateway");
    expect(gateway.spec.infrastructure).toEqual({ parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: proxy.metadata.name } });
    // parametersRef is local: the EnvoyProxy lives in the Gateway's namespace.
    expect(proxy.metadata.namespace).toBe(gateway.metadata.namespace);
    const [binding] = manifests(json, "TargetGroupBinding");
    expect(binding.metadata.namespace).toBe("envoy-gateway-system");
    expect(binding.spec.serviceRef.name).toBe(proxy.spec.provider.kubernetes.envoyService.name);
  });

  test("a NetworkPolicy on this Gateway's data-plane pods admits only the load balancer's subnets, on the proxy's container port", () => {
    const policies = dataPlanePolicies(json);
    expect(policies).toHaveLength(1);
    const [np] = policies;
    expect(np.spec.policy_types).toEqual(["Ingress"]);
    // The data plane's labels plus Envoy Gateway's owning-gateway labels: only this Gateway's proxies, not other teams'.
    expect(np.spec.pod_selector.match_labels).toEqual({
      ...prodInput.entry.dataPlane.podLabels,
      "gateway.envoyproxy.io/owning-gateway-name": "mimir",
      "gateway.envoyproxy.io/owning-gateway-namespace": "mimir",
    });
    expect(np.spec.ingress).toHaveLength(1);
    expect(np.spec.ingress[0].from).toEqual(subnets.map((cidr) => ({ ip_block: { cidr } })));
    // HTTPS listener 443: Envoy Gateway's proxy container listens on 10443 (privileged ports shifted by 10000).
    expect(np.spec.ingress[0].ports).toEqual([{ port: "10443", protocol: "TCP" }]);
  });

  test("the proxy pods carry the data plane's labels (EnvoyProxy pod labels), so the selector matches them", () => {
    const [proxy] = manifests(json, "EnvoyProxy");
    expect(proxy.spec.provider.kubernetes.envoyDeployment.pod.labels).toEqual(prodInput.entry.dataPlane.podLabels);
  });

  test("SecurityPolicies on the Gateway and on each of Mimir's HTTPRoutes deny every client address but the load balancer's subnets", () => {
    const policies = manifests(json, "SecurityPolicy");
    const authorization = { defaultAction: "Deny", rules: [{ name: "load-balancer-subnets", action: "Allow", principal: { clientCIDRs: subnets } }] };
    const targets = policies.map((p) => p.spec.targetRefs).flat();
    const routes = manifests(json, "HTTPRoute").map((r) => r.metadata.name);
    expect(routes.sort()).toEqual(["mimir-alertmanager", "mimir-read", "mimir-rules", "mimir-write"]);
    // The Gateway and every route, each route by exactly one policy (Envoy Gateway does not combine two on a route).
    expect(targets.map((t) => `${t.kind}/${t.name}`).sort()).toEqual(["Gateway/mimir", ...routes.map((r) => `HTTPRoute/${r}`)].sort());
    for (const p of policies) expect(p.spec.authorization).toEqual(authorization);
  });

  test("a ClientTrafficPolicy answers the load balancer's health check path at the listener", () => {
    const [ctp] = manifests(json, "ClientTrafficPolicy");
    expect(ctp.spec).toEqual({ targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "mimir" }], healthCheck: { path: "/healthz" } });
  });

  test("the load balancer's security group rules use the pods' container port (IP targets), not the Service port", () => {
    const egress = Object.values(resources(json, "aws_vpc_security_group_egress_rule")).filter((r) => String(r.description).includes("to the entry's data plane"));
    expect(egress.map((r) => r.from_port)).toEqual([10443]);
  });

  test("every generated Envoy Gateway object and the Gateway are valid against the vendored CRDs", () => {
    const checks: Array<[string, ReturnType<typeof crdValidator>]> = [
      ["EnvoyProxy", envoyProxyCrd],
      ["SecurityPolicy", securityPolicyCrd],
      ["ClientTrafficPolicy", clientTrafficCrd],
      ["Gateway", gatewayCrd],
    ];
    for (const [kind, crd] of checks) {
      const objects = manifests(json, kind);
      expect(objects.length).toBeGreaterThan(0);
      for (const o of objects) {
        expect(o.apiVersion).toBe(`${crd.group}/${kind === "Gateway" ? "v1" : "v1alpha1"}`);
        expect(crd.errors(o)).toEqual([]);
      }
    }
  });

  test("the validators can fail: a misspelt envoyService field, a principal without CIDR list, an unknown health check key", () => {
    const proxy = structuredClone(manifests(json, "EnvoyProxy")[0]);
    proxy.spec.provider.kubernetes.envoyService.serviceType = "ClusterIP";
    expect(envoyProxyCrd.errors(proxy).join("\n")).toMatch(/serviceType/);
    const policy = structuredClone(manifests(json, "SecurityPolicy")[0]);
    policy.spec.authorization.rules[0].principal = { clientCIDR: subnets };
    expect(securityPolicyCrd.errors(policy).join("\n")).toMatch(/clientCIDR/);
    const ctp = structuredClone(manifests(json, "ClientTrafficPolicy")[0]);
    ctp.spec.healthCheck = { paths: ["/healthz"] };
    expect(clientTrafficCrd.errors(ctp).join("\n")).toMatch(/path/);
  });

  test("the contract output records the load balancer's subnets as entry.loadBalancerCidrs", () => {
    const entry = (json.output!.mimir_port_contract.value as { entry: Record<string, unknown> }).entry;
    expect(entry.loadBalancerCidrs).toEqual(subnets);
    expect(entry.dataPlane).toEqual({ namespace: "envoy-gateway-system", serviceName: "envoy-mimir-prod", implementation: "envoy-gateway" });
  });
});

describe("staging (shared Gateway): a SecurityPolicy on Mimir's HTTPRoute, nothing on the platform team's data plane", () => {
  const json = synthJson(stagingInput);

  test("route-level authorization by the load balancer's subnets; no EnvoyProxy, ClientTrafficPolicy or NetworkPolicy on the shared data plane", () => {
    const policies = manifests(json, "SecurityPolicy");
    expect(policies).toHaveLength(1);
    expect(policies[0].spec.targetRefs).toEqual(["mimir-write", "mimir-read", "mimir-rules", "mimir-alertmanager"].map((name) => ({ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name })));
    expect(policies[0].spec.authorization.rules[0].principal.clientCIDRs).toEqual(stagingInput.loadBalancer.subnetCidrs);
    expect(securityPolicyCrd.errors(policies[0])).toEqual([]);
    expect(manifests(json, "EnvoyProxy")).toEqual([]);
    expect(manifests(json, "ClientTrafficPolicy")).toEqual([]);
    expect(dataPlanePolicies(json)).toEqual([]);
  });

  test("the route policy names the operator route too when operator access is on", () => {
    const withOperator = synthJson({
      ...stagingInput,
      name: "staging-op",
      entry: { ...(stagingInput.entry as object), operatorAccess: { cidrs: ["10.20.5.0/24"], routes: [{ path: "/distributor/ha_tracker" }], acknowledged: "on-call over the VPN, OPS-42" } },
    } as EnvironmentInput);
    const [policy] = manifests(withOperator, "SecurityPolicy");
    const names = ["mimir-write", "mimir-read", "mimir-rules", "mimir-alertmanager", "mimir-operator"];
    expect(policy.spec.targetRefs.map((t: { name: string }) => t.name)).toEqual(names);
    expect(manifests(withOperator, "HTTPRoute").map((r) => r.metadata.name).sort()).toEqual([...names].sort());
  });
});

describe("basic authentication at the data plane (auth.mode basic)", () => {
  const json = synthJson({ ...prodInput, name: "basic", clients: undefined, auth: { mode: "basic", usersSecretName: "mimir-users" } } as EnvironmentInput);

  test("the route policy authenticates and admits only the load balancer's subnets; valid against the CRD", () => {
    const route = manifests(json, "SecurityPolicy").find((p) => p.spec.targetRefs[0].kind === "HTTPRoute")!;
    expect(route.spec.basicAuth).toEqual({ users: { name: "mimir-users" }, forwardUsernameHeader: "X-Scope-OrgID" });
    expect(route.spec.authorization.rules[0].principal.clientCIDRs).toEqual(prodInput.loadBalancer.subnetCidrs);
    expect(securityPolicyCrd.errors(route)).toEqual([]);
  });
});

describe("refusals name environment, field, value and fix, through the user's synth", () => {
  const synth = (input: EnvironmentInput) =>
    configErrorMessage(() => {
      const app = new App({ outdir: mkdtempSync(join(tmpdir(), "hardening-bad-")) });
      new MimirStack(app, { environment: input });
      app.synth();
    });

  test("a shared Gateway without route-level protection (data plane not Envoy Gateway)", () => {
    const message = synth({ ...stagingInput, entry: { ...(stagingInput.entry as Record<string, any>), dataPlane: { ...(stagingInput.entry as Record<string, any>).dataPlane, implementation: "other" } } } as EnvironmentInput);
    expect(message).toMatch(/\[staging\] entry\.gateway\.parentRef = \{"name":"platform","namespace":"gateway-system","sectionName":"https"\}: is a shared Gateway whose other listeners/);
    expect(message).toMatch(/Fix: use an Envoy Gateway data plane \(entry\.dataPlane\.implementation envoy-gateway.*or let the stack create a dedicated Gateway \(entry\.gateway\.className/);
  });

  test("missing load balancer subnet CIDRs for a gateway-api entry", () => {
    const { subnetCidrs: _omit, ...lb } = prodInput.loadBalancer as Record<string, unknown>;
    const message = synth({ ...prodInput, loadBalancer: lb } as EnvironmentInput);
    expect(message).toMatch(/\[prod\] loadBalancer\.subnetCidrs = \[\]: is empty, but entry kind gateway-api admits only the load balancer's subnets.*Fix: list the CIDRs of the load balancer's subnets/);
  });

  test("subnet CIDRs that cover every address", () => {
    const message = synth({ ...prodInput, loadBalancer: { ...prodInput.loadBalancer, subnetCidrs: ["0.0.0.0/0"] } } as EnvironmentInput);
    expect(message).toMatch(/\[prod\] loadBalancer\.subnetCidrs\[0\] = "0\.0\.0\.0\/0": admits every address at the data plane.*Fix: list only the load balancer's subnet CIDRs/);
  });

  test("monitoring without pod labels in a production-like environment", () => {
    const message = synth({ ...prodInput, monitoring: { namespace: "monitoring" } } as EnvironmentInput);
    expect(message).toMatch(/\[prod\] monitoring\.podLabels = \(missing\): is required in a production-like environment: without it every pod in namespace monitoring reaches Mimir's http port 8080/);
    for (const endpoint of ["/config", "/ingester/*", "/distributor/*"]) expect(message).toContain(endpoint);
    expect(message).toMatch(/Fix: name the scraper's pod labels/);
  });

  test("basic authentication when Envoy Gateway does not run the data plane", () => {
    const message = synth({ ...prodInput, clients: undefined, auth: { mode: "basic", usersSecretName: "mimir-users" }, entry: { ...(prodInput.entry as object), dataPlane: { ...prodInput.entry.dataPlane, implementation: "other" } } } as EnvironmentInput);
    expect(message).toMatch(/\[prod\] entry\.dataPlane\.implementation = "other": cannot enforce auth\.mode basic.*Fix:/);
  });
});

describe("warnings in the synth summary", () => {
  const warningsOf = (input: EnvironmentInput) => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "hardening-warn-")) });
    new MimirStack(app, { environment: input });
    return entryWarningLines(app);
  };

  test("the reference app prints none (monitoring by named pods everywhere)", () => {
    expect(entryWarningLines(buildApp(mkdtempSync(join(tmpdir(), "hardening-ref-"))))).toEqual([]);
  });

  test("outside production, monitoring by namespace warns and names the operator endpoints it reaches", () => {
    const lines = warningsOf({ ...byName("dev"), monitoring: { namespace: "observability" } } as EnvironmentInput);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^dev: warning: monitoring\.podLabels is not set: every pod in namespace observability reaches Mimir's http port 8080, operator endpoints included \(/);
    for (const endpoint of ["/config", "/runtime_config", "/debug/*", "/ingester/*", "/distributor/*", "/multitenant_alertmanager/*", "/memberlist"]) expect(lines[0]).toContain(endpoint);
  });
});
