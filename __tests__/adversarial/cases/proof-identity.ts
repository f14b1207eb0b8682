/**
 * Issue 30 item 2: membership by any attachment. Whatever carries Mimir's members group (or a group Mimir's pods
 * admit) is a member: EC2 instances, launch configurations, network interfaces and their attachments, Lambda
 * `vpc_config`, ECS services, Batch, VPC endpoints; an unknown resource type placing the group is MP015.
 */
import type { TerraformStack } from "cdktf";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import { NetworkInterfaceSgAttachment } from "@cdktf/provider-aws/lib/network-interface-sg-attachment";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { LaunchConfiguration } from "@cdktf/provider-aws/lib/launch-configuration";
import { MqBroker } from "@cdktf/provider-aws/lib/mq-broker";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { parts } from "../attack";
import { PORT } from "../expectations";
import type { SynthCase } from "../harness";
import { c } from "./interior";

const MP019 = /MP019/;
const members = (s: TerraformStack) => parts(s).members.id;
const subnet = "subnet-0123456789abcdef0";
const ami = "ami-0123456789abcdef0";
const instance = (s: TerraformStack, id: string, groups: string[]) => new Instance(s, id, { ami, instanceType: "t3.micro", subnetId: subnet, vpcSecurityGroupIds: groups });
const lambda = (s: TerraformStack, id: string, groups: string[]) =>
  new LambdaFunction(s, id, { functionName: id, role: "arn:aws:iam::111122223333:role/lambda", handler: "index.handler", runtime: "nodejs20.x", filename: "lambda.zip", vpcConfig: { subnetIds: [subnet], securityGroupIds: groups } });
const broker = (s: TerraformStack, id: string, groups: string[]) =>
  new MqBroker(s, id, { brokerName: id, engineType: "RabbitMQ", engineVersion: "3.13", hostInstanceType: "mq.t3.micro", securityGroups: groups, subnetIds: [subnet], user: [{ username: "admin", password: "not-a-real-password" }] });
const ownGroup = (s: TerraformStack, id: string) => new SecurityGroup(s, id, { name: id, vpcId: parts(s).vpcId, description: "its own group" }).id;

export const IDENTITY_EXPOSURES: SynthCase[] = [
  c("proof-membership", "an EC2 instance carries the members group", "chart", (s) => void instance(s, "atk-debug-vm", [members(s)]), { rule: MP019, source: /EC2 instance/, port: PORT.grpc }),
  c("proof-membership", "a network interface carries the members group", "chart", (s) => void new NetworkInterface(s, "atk-eni", { subnetId: subnet, securityGroups: [members(s)] }), { rule: MP019, source: /network interface/, port: PORT.gossip }),
  c("proof-membership", "aws_network_interface_sg_attachment gives an existing interface the members group", "chart", (s) => void new NetworkInterfaceSgAttachment(s, "atk-sg-attach", { networkInterfaceId: "eni-0123456789abcdef0", securityGroupId: members(s) }), { rule: MP019, source: /eni-0123456789abcdef0/, port: PORT.grpc }),
  c("proof-membership", "a Lambda function in the VPC carries the members group", "chart", (s) => void lambda(s, "atk-fn", [members(s)]), { rule: MP019, source: /Lambda/, port: PORT.grpc }),
  c("proof-membership", "an ECS service's tasks carry the members group", "chart", (s) => void new EcsService(s, "atk-ecs", { name: "debug", cluster: "tools", taskDefinition: "debug:1", networkConfiguration: { subnets: [subnet], securityGroups: [members(s)] } }), { rule: MP019, source: /ECS tasks/, port: PORT.gossip }),
  c("proof-membership", "a launch configuration puts the members group on its instances", "chart", (s) => void new LaunchConfiguration(s, "atk-lc", { imageId: ami, instanceType: "t3.micro", securityGroups: [members(s)] }), { rule: MP019, source: /launched from/, port: PORT.grpc }),
  c("proof-membership", "a VPC endpoint's interfaces carry the members group", "chart", (s) => void new VpcEndpoint(s, "atk-vpce", { vpcId: parts(s).vpcId, serviceName: "com.amazonaws.eu-west-1.sqs", vpcEndpointType: "Interface", securityGroupIds: [members(s)] }), { rule: MP019, source: /VPC endpoint/, port: PORT.grpc }),
  c("proof-membership", "a resource type the model does not know (Amazon MQ broker) places the members group: MP015", "chart", (s) => void broker(s, "atk-mq", [members(s)]), { rule: /MP015/, source: /aws_mq_broker|does not know/, port: /grpc|memberlist|members/ }),
  c("proof-membership", "an EC2 instance carries the load balancer's group, which Mimir's http admits", "chart", (s) => void instance(s, "atk-lb-lookalike", [parts(s).lbSg.id]), { rule: MP019, source: /EC2 instance .*carries sg/, port: PORT.http }),
  c("proof-membership", "a Lambda function carries the load balancer's group, which Mimir's http admits", "chart", (s) => void lambda(s, "atk-fn-lb", [parts(s).lbSg.id]), { rule: MP019, source: /Lambda function .*carries sg/, port: PORT.http }),
];

export const IDENTITY_NEIGHBOURS: SynthCase[] = [
  c("neighbour", "an EC2 bastion with its own group", "chart", (s) => void instance(s, "bastion", [ownGroup(s, "bastion-sg")])),
  c("neighbour", "a Lambda function in the VPC with its own group", "chart", (s) => void lambda(s, "thumbnailer", [ownGroup(s, "thumbnailer-sg")])),
  c("neighbour", "an Amazon MQ broker with its own group", "chart", (s) => void broker(s, "orders", [ownGroup(s, "orders-mq")])),
];
