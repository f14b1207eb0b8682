import { Testing } from "cdktf";
import { TerraformStack } from "cdktf";
import { ConfigError } from "../modules/contract/problems";
import { PortContract } from "../modules/contract/port-contract";
import { MimirLoadBalancer } from "../modules/aws/load-balancer";
import { Peer } from "../modules/aws/peer";
import { MimirSecurityGroups } from "../modules/aws/security-groups";
import { configErrorMessage, env, resources, synthJson, type TfJson } from "./helpers";

const mimirTarget = (extra: Record<string, unknown> = {}) => ({
  loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: { kind: "mimir" as const }, ...extra },
  networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] },
});

type Rule = { from_port: number; to_port: number; ip_protocol: string; description: string; security_group_id: string; cidr_ipv4?: string; cidr_ipv6?: string; referenced_security_group_id?: string; prefix_list_id?: string };
function rules(json: TfJson, dir: "ingress" | "egress"): Rule[] {
  return Object.values(resources(json, `aws_vpc_security_group_${dir}_rule`)) as unknown as Rule[];
}
const sgRef = (json: TfJson, name: "members" | "lb" | "pods") => {
  const id = Object.keys(resources(json, "aws_security_group")).find((k) => k.includes(`_${name}_`));
  return `\${aws_security_group.${id}.id}`;
};
function awsResourcesText(json: TfJson): string {
  return JSON.stringify(Object.fromEntries(Object.entries(json.resource ?? {}).filter(([t]) => t.startsWith("aws_"))));
}

describe("security groups", () => {
  const json = synthJson(env({ ...mimirTarget(), monitoring: { namespace: "monitoring", securityGroupIds: ["sg-0123456789abcdef0"] } }));
  const members = sgRef(json, "members");
  const lb = sgRef(json, "lb");

  test("uses per-rule resources, never inline blocks, TCP only (but DNS), each with a description naming port and reason", () => {
    for (const sg of Object.values(resources(json, "aws_security_group"))) {
      expect(sg.ingress).toBeUndefined();
      expect(sg.egress).toBeUndefined();
      expect(sg.lifecycle).toEqual({ create_before_destroy: true });
    }
    const all = [...rules(json, "ingress"), ...rules(json, "egress")];
    expect(all.length).toBeGreaterThan(8);
    for (const r of all) {
      // DNS (the pods group to CoreDNS on the nodes) is the one UDP pair.
      expect(r.ip_protocol).toEqual(r.from_port === 53 ? expect.stringMatching(/^(tcp|udp)$/) : "tcp");
      expect(r.description).toMatch(new RegExp(`^mimir \\w+ ${r.from_port}/${r.ip_protocol} (from|to) `));
    }
    expect(all.filter((r) => r.ip_protocol === "udp").map((r) => r.from_port)).toEqual([53, 53]);
    expect(all.map((r) => r.description)).toContain("mimir grpc 9095/tcp from mimir members");
  });

  test("grpc and memberlist only from and to the members group itself; no UDP for gossip", () => {
    for (const dir of ["ingress", "egress"] as const) {
      for (const port of [9095, 7946]) {
        const hits = rules(json, dir).filter((r) => r.from_port <= port && r.to_port >= port);
        expect(hits).toHaveLength(1);
        expect(hits[0]).toMatchObject({ security_group_id: members, referenced_security_group_id: members });
      }
    }
  });

  test("http only from members, the load balancer, the named monitoring group and the kubelet (nodes' group, on the pods group), never a CIDR", () => {
    const http = rules(json, "ingress").filter((r) => r.from_port === 8080);
    expect(http.map((r) => r.referenced_security_group_id).sort()).toEqual([members, lb, "sg-0123456789abcdef0", "${var.node_security_group_id}"].sort());
    expect(http.find((r) => r.referenced_security_group_id === "${var.node_security_group_id}")).toMatchObject({ security_group_id: sgRef(json, "pods") });
    for (const r of [...rules(json, "ingress"), ...rules(json, "egress")]) {
      if ([8080, 9095, 7946].includes(r.from_port)) {
        expect(r.cidr_ipv4).toBeUndefined();
        expect(r.cidr_ipv6).toBeUndefined();
      }
    }
  });

  test("members egress: the contract ports and the chart's neighbours to itself, HTTPS to the S3 prefix list", () => {
    const egress = rules(json, "egress").filter((r) => r.security_group_id === members);
    // The chart runs no neighbour here (its Kafka is always off, caches are off by default): no 9092, 9093 or 11211.
    expect(egress.map((r) => r.from_port).sort((a, b) => a - b)).toEqual([443, 7946, 8080, 9095]);
    // A cache the chart runs opens memcached between members, in both directions.
    const cached = synthJson(env({ ...mimirTarget(), helm: { values: { "chunks-cache": { enabled: true } } } }));
    const cachedMembers = sgRef(cached, "members");
    for (const dir of ["ingress", "egress"] as const) {
      const memcached = rules(cached, dir).filter((r) => r.security_group_id === cachedMembers && r.from_port === 11211);
      expect(memcached.map((r) => r.referenced_security_group_id)).toEqual([cachedMembers]);
    }
    expect(rules(cached, "egress").filter((r) => r.from_port === 9092 || r.from_port === 9093)).toEqual([]);
    for (const r of egress.filter((x) => x.from_port !== 443)) expect(r.referenced_security_group_id).toBe(members);
    const s3 = egress.find((r) => r.from_port === 443)!;
    expect(s3.prefix_list_id).toMatch(/^\$\{data\.aws_ec2_managed_prefix_list\./);
    expect(Object.values(json.data!.aws_ec2_managed_prefix_list)[0]).toMatchObject({ name: "com.amazonaws.eu-west-1.s3" });
  });

  test("load balancer group: 443 and 80 from client CIDRs only; egress only to the targets on the target port", () => {
    const ingress = rules(json, "ingress").filter((r) => r.security_group_id === lb);
    expect(ingress.map((r) => [r.from_port, r.cidr_ipv4]).sort()).toEqual([[443, "10.0.0.0/16"], [80, "10.0.0.0/16"]].sort());
    const egress = rules(json, "egress").filter((r) => r.security_group_id === lb);
    expect(egress).toEqual([expect.objectContaining({ from_port: 8080, to_port: 8080, referenced_security_group_id: members })]);
    expect(JSON.stringify(egress)).not.toContain("0.0.0.0/0");
  });

  test("ingress-controller targets: the LB reaches the cluster group on the target port, both sides written", () => {
    const j = synthJson(env());
    const lbId = sgRef(j, "lb");
    const egress = rules(j, "egress").filter((r) => r.security_group_id === lbId);
    expect(egress).toEqual([expect.objectContaining({ from_port: 443, referenced_security_group_id: "${var.cluster_security_group_id}" })]);
    const targetSide = rules(j, "ingress").filter((r) => r.security_group_id === "${var.cluster_security_group_id}");
    expect(targetSide).toEqual([expect.objectContaining({ from_port: 443, referenced_security_group_id: lbId })]);
    const http = rules(j, "ingress").filter((r) => r.from_port === 8080).map((r) => r.referenced_security_group_id);
    expect(http).toContain("${var.cluster_security_group_id}");
  });

  test("IPv6 client prefixes become cidr_ipv6", () => {
    const j = synthJson(env({ ...mimirTarget({ allowedCidrs: ["2001:db8::/32"] }) }));
    expect(rules(j, "ingress").filter((r) => r.cidr_ipv6 === "2001:db8::/32").map((r) => r.from_port).sort()).toEqual([443, 80]);
  });
});

describe("load balancer, listeners and target group", () => {
  test.each([
    ["application", "internal"],
    ["application", "internet-facing"],
    ["network", "internal"],
    ["network", "internet-facing"],
  ] as const)("%s / %s", (type, scheme) => {
    // A network load balancer cannot filter paths: it may only front an entry that does (Gateway API, Ingress).
    const json = synthJson(env(type === "application" ? mimirTarget({ type, scheme }) : { loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], type, scheme, redirectHttp: false, target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "ingress-nginx-controller", protocol: "HTTP" } } }));
    const lb = Object.values(resources(json, "aws_lb"))[0];
    expect(lb).toMatchObject({ load_balancer_type: type, internal: scheme === "internal", enable_deletion_protection: false });
    if (type === "application") expect(lb).toMatchObject({ drop_invalid_header_fields: true, desync_mitigation_mode: "strictest" });
    const listeners = Object.values(resources(json, "aws_lb_listener")) as Array<Record<string, unknown>>;
    const https = listeners.find((l) => l.port === 443)!;
    expect(https).toMatchObject({ protocol: type === "application" ? "HTTPS" : "TLS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", certificate_arn: "${var.certificate_arn}" });
    const redirect = listeners.find((l) => l.port === 80);
    if (type === "application") {
      expect(redirect).toMatchObject({ protocol: "HTTP", default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }] });
    } else {
      expect(redirect).toBeUndefined();
    }
    expect(listeners.map((l) => l.port).filter((p) => [8080, 9095, 7946].includes(p as number))).toEqual([]);
    const tg = Object.values(resources(json, "aws_lb_target_group"))[0];
    if (type === "application") expect(tg).toMatchObject({ port: 8080, protocol: "HTTP", target_type: "ip", health_check: { path: "/ready", port: "traffic-port", matcher: "200" } });
    else expect(tg).toMatchObject({ port: 80, protocol: "TCP", target_type: "ip", health_check: { path: "/healthz", port: "traffic-port", matcher: "200" } });
    // Replaceable while a listener uses it (a port change replaces the target group).
    expect(tg).toMatchObject({ name_prefix: "mimir-", lifecycle: { create_before_destroy: true } });
    expect(tg.name).toBeUndefined();
  });

  test("production-like environments get deletion protection; access logs when a bucket is given", () => {
    const storage = { buckets: { blocks: "t-blocks", ruler: "t-ruler", alertmanager: "t-alertmanager" }, podIdentity: { clusterName: "eks" } };
    const json = synthJson(env({ productionLike: true, accountId: "111122223333", monitoring: { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" } }, storage, ...mimirTarget({ accessLogsBucket: "lb-logs-bucket" }) }));
    expect(Object.values(resources(json, "aws_lb"))[0]).toMatchObject({ enable_deletion_protection: true, access_logs: { bucket: "lb-logs-bucket", enabled: true } });
  });

  test("http port 8081: target group, health check and every rule follow, and no 8080 is left in AWS resources", () => {
    const json = synthJson(env({ ports: { http: 8081 }, ...mimirTarget() }));
    expect(Object.values(resources(json, "aws_lb_target_group"))[0]).toMatchObject({ port: 8081 });
    // from the load balancer, from members, from the kubelet (pods group)
    expect(rules(json, "ingress").filter((r) => r.from_port === 8081).length).toBe(3);
    expect(awsResourcesText(json)).not.toContain("8080");
  });

  test("target group binding binds the target group to the entry Service on the http port name", () => {
    const json = synthJson(env({ deploymentMode: "monolithic", ...mimirTarget() }));
    const bindings = (j: typeof json) => Object.values(resources(j, "kubernetes_manifest")).filter((r) => (r as { manifest: { kind: string } }).manifest.kind === "TargetGroupBinding");
    const m = bindings(json)[0] as { manifest: Record<string, any> };
    expect(m.manifest).toMatchObject({ kind: "TargetGroupBinding", spec: { targetType: "ip", serviceRef: { name: "mimir", port: "http-metrics" } } });
    expect(m.manifest.spec.targetGroupARN).toMatch(/^\$\{aws_lb_target_group\./);
    // In the namespace we create, so Terraform creates the namespace first.
    expect(m.manifest.metadata.namespace).toMatch(/^\$\{kubernetes_namespace_v1\./);
    // Registration left to something outside the stack: the model cannot see who is registered (MP015), so it is acknowledged.
    const unseen = { rule: "MP015", resource: "test/edge/load-balancer/targets", reason: "targets registered by the platform's controller", accepts: { severity: "error", sources: ["tg aws_lb_target_group.edge_load-balancer_targets 8080"], via: ["targets not in this stack"] } };
    const none = synthJson(env({ ...mimirTarget({ targetRegistration: "none" }), acknowledgements: [unseen] }));
    expect(bindings(none)).toEqual([]);
  });

  test("Route 53 alias and WAF association when configured; URL outputs", () => {
    const json = synthJson(env({ dns: { hostedZoneId: "Z0123456789ABC" }, wafAclArn: "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/m/1" }));
    expect(Object.values(resources(json, "aws_route53_record"))[0]).toMatchObject({ name: "mimir.example.com", type: "A", zone_id: "Z0123456789ABC" });
    expect(Object.values(resources(json, "aws_wafv2_web_acl_association"))).toHaveLength(1);
    expect(json.output!.remote_write_url.value).toBe("https://mimir.example.com/api/v1/push");
    expect(json.output!.query_url.value).toBe("https://mimir.example.com/prometheus");
    expect(json.output!.load_balancer_dns_name.value).toMatch(/aws_lb\..*\.dns_name/);
  });
});

describe("AWS bad input", () => {
  const contract = PortContract.create();
  const lbProps = {
    contract,
    name: "mimir-test",
    type: "application" as const,
    internal: true,
    vpcId: "vpc-1",
    subnetIds: ["subnet-1", "subnet-2"],
    securityGroupIds: [],
    certificateArn: "arn:aws:acm:eu-west-1:111122223333:certificate/x",
    deletionProtection: false,
    target: { kind: "mimir" as const },
  };
  const stack = () => new TerraformStack(Testing.app(), "s");

  test("missing certificate", () => {
    expect(configErrorMessage(() => new MimirLoadBalancer(stack(), "lb", { ...lbProps, certificateArn: "" }))).toMatch(/certificateArn = "": is required.*Fix: pass an ACM certificate ARN/);
  });
  test("target port that is not the contract's http port when targeting Mimir pods", () => {
    expect(configErrorMessage(() => new MimirLoadBalancer(stack(), "lb", { ...lbProps, target: { kind: "mimir", port: 9095 } }))).toMatch(/target\.port = 9095: is not the contract's http port 8080.*Fix:/);
  });
  test("malformed CIDR", () => {
    expect(configErrorMessage(() => Peer.cidr("10.0.0.0/33", "clients[0]"))).toMatch(/clients\[0\] = "10.0.0.0\/33": has an IPv4 prefix length above 32\. Fix:/);
  });
  test.each(["0.0.0.0/0", "::/0"])("%s requested as a source for an internal port", (cidr) => {
    const msg = configErrorMessage(
      () =>
        new MimirSecurityGroups(stack(), "sg", {
          contract,
          namePrefix: "m",
          vpcId: "vpc-1",
          clients: [Peer.cidr("10.0.0.0/8")],
          httpRedirect: true,
          target: { kind: "members" },
          monitoring: [Peer.cidr(cidr)],
          objectStorage: [],
        }),
    );
    expect(msg).toContain(`monitoring[0] = "${cidr}": would open Mimir's internal http port to the whole internet. Fix: give the scraper a security group`);
  });
  test("an ingress-controller target without the cluster security group", () => {
    const app = Testing.app();
    const { MimirStack } = require("../modules/stack/mimir-stack");
    expect(
      configErrorMessage(() => new MimirStack(app, { environment: env(), inputs: { vpcId: "vpc-1", subnetIds: [], certificateArn: "arn:x", kubeconfigPath: "", kubeContext: "ctx" } })),
    ).toMatch(/inputs\.clusterSecurityGroupId = \(missing\): is required/);
  });
});

describe("listener rules: only the public API passes the ALB", () => {
  const lbProps = {
    contract: PortContract.create(),
    name: "mimir-test",
    internal: true,
    vpcId: "vpc-1",
    subnetIds: ["subnet-1", "subnet-2"],
    securityGroupIds: [],
    certificateArn: "arn:aws:acm:eu-west-1:111122223333:certificate/x",
    deletionProtection: false,
    target: { kind: "mimir" as const },
  };
  const synthLb = (extra: Record<string, unknown>) => {
    const stack = new TerraformStack(Testing.app(), "s");
    new MimirLoadBalancer(stack, "lb", { ...lbProps, type: "application", ...extra } as never);
    return JSON.parse(Testing.synth(stack)) as TfJson;
  };

  test("standalone ALB: the default public table as path-pattern rules, most specific first; default action 404", () => {
    const json = synthLb({});
    const rules = (Object.values(resources(json, "aws_lb_listener_rule")) as Array<Record<string, any>>).sort((a, b) => a.priority - b.priority);
    // First the dot-segment guards (404), then the forwards.
    expect(rules.slice(0, 2).map((r) => [r.action[0].type, r.condition[0].path_pattern.values])).toEqual([
      ["fixed-response", ["*/../*", "*/.."]],
      ["fixed-response", ["*/./*", "*/."]],
    ]);
    const patterns = rules.filter((r) => r.action[0].type === "forward").flatMap((r) => r.condition[0].path_pattern.values as string[]);
    expect(patterns).toContain("/api/v1/push");
    expect(patterns).toContain("/alertmanager/*");
    expect(patterns.some((p) => p.startsWith("/distributor") || p.startsWith("/api/v1/upload") || p === "/prometheus/*")).toBe(false);
    // Exact paths first, longest first; prefixes (with their /* twin) after.
    expect(patterns[0]).toBe("/prometheus/api/v1/cardinality/active_series");
    expect(patterns.indexOf("/alertmanager")).toBeGreaterThan(patterns.indexOf("/api/v1/push"));
    const https = Object.values(resources(json, "aws_lb_listener")).find((l) => l.port === 443) as Record<string, any>;
    expect(https.default_action[0]).toMatchObject({ type: "fixed-response", fixed_response: { status_code: "404" } });
  });

  test("a network load balancer has no rules and forwards (the entry behind it filters)", () => {
    const json = synthLb({ type: "network", target: { kind: "ingress-controller", port: 443, protocol: "HTTPS", healthCheckPath: "/healthz" } });
    expect(resources(json, "aws_lb_listener_rule")).toEqual({});
    const https = Object.values(resources(json, "aws_lb_listener")).find((l) => l.port === 443) as Record<string, any>;
    expect(https.default_action[0].type).toBe("forward");
  });

  test("actions before the forward (e.g. authentication) run first on every forwarding rule, never on the 404 guards", () => {
    const oidc = { type: "authenticate-oidc", authenticateOidc: { issuer: "https://idp.example.com", clientId: "mimir", clientSecret: "${var.oidc_secret}", authorizationEndpoint: "https://idp.example.com/auth", tokenEndpoint: "https://idp.example.com/token", userInfoEndpoint: "https://idp.example.com/userinfo" } };
    const rules = Object.values(resources(synthLb({ publicApi: { routes: [{ path: "/api/v1/push", match: "exact" }], actionsBeforeForward: [oidc] } }), "aws_lb_listener_rule")) as Array<Record<string, any>>;
    const forwarding = rules.filter((r) => r.action.some((a: any) => a.type === "forward"));
    expect(forwarding).toHaveLength(1);
    expect(forwarding[0].action.map((a: any) => [a.type, a.order])).toEqual([["authenticate-oidc", 1], ["forward", 2]]);
    expect(rules.filter((r) => r.action[0].type === "fixed-response")).toHaveLength(2);
  });

  test("a network load balancer straight to Mimir is refused", () => {
    expect(configErrorMessage(() => synthLb({ type: "network" }))).toMatch(/type = "network": cannot filter request paths.*Fix: use type application/);
  });

  test("a path that cannot be an ALB pattern is refused", () => {
    expect(() => synthLb({ publicApi: { routes: [{ path: "/api/*", match: "prefix" }] } })).toThrow(/cannot be an ALB path pattern/);
  });
});

describe("members group follows what the chart runs", () => {
  const portsBetweenMembers = (json: TfJson) => rules(json, "ingress").filter((r) => r.referenced_security_group_id === sgRef(json, "members")).map((r) => r.from_port);
  const { neighbours } = PortContract.create();
  const kafka = neighbours.filter((n) => n.name.startsWith("kafka")).map((n) => n.port);
  const memcached = neighbours.find((n) => n.name === "memcached")!.port;

  test("no Kafka or memcached ports between members when the chart runs neither (classic architecture, no caches)", () => {
    const ports = portsBetweenMembers(synthJson(env(mimirTarget())));
    for (const p of [...kafka, memcached]) expect(ports).not.toContain(p);
  });

  test("memcached opens between members only when a cache is on", () => {
    const ports = portsBetweenMembers(synthJson(env({ ...mimirTarget(), helm: { values: { "chunks-cache": { enabled: true } } } })));
    expect(ports).toContain(memcached);
    for (const p of kafka) expect(ports).not.toContain(p);
  });
});
