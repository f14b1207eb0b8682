/**
 * Issue 30 item 3: a VPC endpoint service is a way in of its own. `aws_vpc_endpoint_service` publishes its network
 * load balancers through PrivateLink to the VPCs of its allowed principals, whose addresses the load balancer's
 * security group cannot tell apart from its own clients'; the finding names the service and its principals.
 */
import type { TerraformStack } from "cdktf";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import { VpcEndpointServiceAllowedPrincipal } from "@cdktf/provider-aws/lib/vpc-endpoint-service-allowed-principal";
import { listener, nlb, parts, targetGroup } from "../attack";
import { PORT } from "../expectations";
import type { SynthCase } from "../harness";
import { c, GATEWAY_ENV } from "./interior";

const PARTNER = "arn:aws:iam::444455556666:root";
const MP018 = /MP018/;
const PRIVATE_LINK = /PrivateLink/;
/** The Gateway API entry behind a network load balancer (PrivateLink publishes network load balancers). */
const NLB_ENV = { ...GATEWAY_ENV, loadBalancer: { ...GATEWAY_ENV.loadBalancer, type: "network" }, auth: { mode: "basic", usersSecretName: "mimir-basic-auth" } };
const publish = (s: TerraformStack, id: string, arns: string[], principals?: string[], acceptanceRequired = false) =>
  new VpcEndpointService(s, id, { acceptanceRequired, networkLoadBalancerArns: arns, ...(principals ? { allowedPrincipals: principals } : {}) });
/** The Gateway API entry as the stack builds it behind a network load balancer, basic authentication at the Gateway. */
const onNlb = (name: string, build: (s: TerraformStack) => void, expect?: SynthCase["expect"]): SynthCase => ({ class: expect ? "proof-endpoint-service" : "neighbour", name, base: "edge-np", env: NLB_ENV, build, ...(expect ? { expect } : {}) });
/** A network load balancer in front of Mimir's own load balancer (an ALB-type target group). */
function nlbInFront(s: TerraformStack, id: string): string {
  const lb = nlb(s, id, { listen: 443, internal: true });
  const tg = targetGroup(s, `${id}-tg`, 443, "TCP", "alb");
  new LbTargetGroupAttachment(s, `${id}-attach`, { targetGroupArn: tg.arn, targetId: parts(s).lb.arn, port: 443 });
  listener(s, `${id}-listener`, { loadBalancerArn: lb.arn, port: 443, protocol: "TCP", forward: tg.arn });
  return lb.arn;
}

/** Dev's decision to run an internal entry without authentication (auth.mode none): for the load balancer's own clients only. */
const AUTH_NONE_NLB_ENV = { ...NLB_ENV, loadBalancer: { ...NLB_ENV.loadBalancer, scheme: "internal", allowedCidrs: ["10.0.0.0/16"] }, auth: { mode: "none", reason: "dev sandbox, synthetic data only" } };

export const ENDPOINT_SERVICE_EXPOSURES: SynthCase[] = [
  // auth.mode none was decided for the load balancer's clients on its listener, not for PrivateLink consumers.
  { class: "proof-endpoint-service", name: "auth.mode none does not cover the entry published as a VPC endpoint service", base: "edge-np", env: AUTH_NONE_NLB_ENV, build: (s) => void publish(s, "atk-vpce-svc", [parts(s).lb.arn], [PARTNER]), expect: { rule: MP018, source: /444455556666/, port: PORT.http } },
  onNlb("the entry's network load balancer published as a VPC endpoint service to a partner account", (s) => void publish(s, "atk-vpce-svc", [parts(s).lb.arn], [PARTNER]), { rule: MP018, source: /444455556666/, port: PORT.http }),
  onNlb("principals added by aws_vpc_endpoint_service_allowed_principal (every AWS account)", (s) => {
    const svc = publish(s, "atk-vpce-svc", [parts(s).lb.arn]);
    new VpcEndpointServiceAllowedPrincipal(s, "atk-vpce-anyone", { vpcEndpointServiceId: svc.id, principalArn: "*" });
  }, { rule: MP018, source: /every AWS account/, port: PORT.http }),
  onNlb("an endpoint service with no principal yet, acceptance required (principals can be added outside the stack)", (s) => void publish(s, "atk-vpce-later", [parts(s).lb.arn], undefined, true), { rule: MP018, source: /no principal yet/, port: PORT.http }),
  c("proof-endpoint-service", "a network load balancer in front of Mimir's load balancer, published as an endpoint service", "gateway", (s) => void publish(s, "atk-vpce-front", [nlbInFront(s, "atk-front")], [PARTNER]), { rule: MP018, source: PRIVATE_LINK, port: PORT.http }),
];

export const ENDPOINT_SERVICE_NEIGHBOURS: SynthCase[] = [
  onNlb("the Gateway API entry behind a network load balancer, basic authentication at the Gateway, no endpoint service", () => undefined),
  c("neighbour", "another team's network load balancer (its own target group, no Mimir target) published as an endpoint service", "gateway", (s) => {
    const lb = nlb(s, "shop", { listen: 443, internal: true });
    const tg = targetGroup(s, "shop-tg", 443, "TCP", "instance");
    const sg = new SecurityGroup(s, "shop-vm-sg", { name: "shop-vm-sg", vpcId: parts(s).vpcId });
    const vm = new Instance(s, "shop-vm", { ami: "ami-0123456789abcdef0", instanceType: "t3.micro", subnetId: "subnet-0123456789abcdef0", vpcSecurityGroupIds: [sg.id] });
    new LbTargetGroupAttachment(s, "shop-attach", { targetGroupArn: tg.arn, targetId: vm.id, port: 443 });
    listener(s, "shop-listener", { loadBalancerArn: lb.arn, port: 443, protocol: "TCP", forward: tg.arn });
    publish(s, "shop-vpce-svc", [lb.arn], [PARTNER], true);
  }),
];
