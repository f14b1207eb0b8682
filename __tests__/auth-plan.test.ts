/**
 * MP018 on `terraform show -json` plans, where references are literal ARNs: another team's listener that
 * forwards to its own registered target group is not Mimir's entry; a listener whose target group could hold
 * Mimir's pods is, whatever form its ARN takes.
 */
import { syntheticPlan } from "../bench/plan";
import { buildModel } from "../modules/exposure/model";
import { fromPlan } from "../modules/exposure/terraform-json";
import { mp018 } from "../modules/policy/auth-rule";

const ARN = (kind: string, i: string) => `arn:aws:elasticloadbalancing:eu-west-1:111122223333:${kind}/x/${i}`;
const res = (address: string, type: string, values: Record<string, unknown>) => ({ address, mode: "managed", type, name: address.split(".").pop(), values });

function findings(extra: Array<Record<string, unknown>> = []) {
  const plan = syntheticPlan(400) as { planned_values: { root_module: { resources: unknown[] } } };
  plan.planned_values.root_module.resources.push(...extra);
  return mp018.check(buildModel(fromPlan("plan", "plan.json", plan))).map((f) => ({ address: f.resource.address, severity: f.severity ?? "error" }));
}

const listener = (name: string, tg: string) =>
  res(`aws_lb_listener.${name}`, "aws_lb_listener", { load_balancer_arn: ARN("loadbalancer", "edge"), port: 8443, protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", default_action: [{ type: "forward", target_group_arn: ARN("targetgroup", tg) }] });
const targetGroup = (tg: string) => res(`aws_lb_target_group.${tg}`, "aws_lb_target_group", { arn: ARN("targetgroup", tg), port: 8080, protocol: "HTTP", target_type: "ip" });
const binding = (tg: string, namespace: string, service: string) =>
  res(`kubernetes_manifest.tgb_${tg}`, "kubernetes_manifest", { manifest: { apiVersion: "elbv2.k8s.aws/v1beta1", kind: "TargetGroupBinding", metadata: { name: tg, namespace }, spec: { targetGroupARN: ARN("targetgroup", tg), serviceRef: { name: service, port: 8080 } } } });

test("other teams' listeners, forwarding by ARN to target groups their bindings fill in their own namespaces: no MP018", () => {
  expect(findings()).toEqual([]);
});

test("a listener forwarding by ARN to a target group registered nowhere in the plan: MP018 (critical, internet-facing)", () => {
  expect(findings([targetGroup("orphan"), listener("orphan", "orphan")])).toEqual([{ address: "aws_lb_listener.orphan", severity: "critical" }]);
});

test("a listener forwarding by ARN to a target group bound in Mimir's namespace: MP018", () => {
  expect(findings([targetGroup("mimirs"), binding("mimirs", "mimir", "mimir-distributor"), listener("mimirs", "mimirs")])).toEqual([{ address: "aws_lb_listener.mimirs", severity: "critical" }]);
});

test("a listener forwarding by ARN to a target group not in the plan: MP018", () => {
  expect(findings([listener("elsewhere", "elsewhere")])).toEqual([{ address: "aws_lb_listener.elsewhere", severity: "critical" }]);
});
