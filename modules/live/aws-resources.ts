/**
 * AWS descriptions as the graph reads them: each API object becomes the
 * Terraform resource shape the AWS readers understand (a security group rule
 * → `aws_vpc_security_group_ingress_rule`, a listener → `aws_lb_listener`, a
 * registered target → `aws_lb_target_group_attachment`), keeping its live id.
 */
import { liveAddress } from "./identity";
import type { LiveResource } from "./kube-resources";
import type { ApiObject } from "./live-state";

const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);
const res = (type: string, id: string, values: Record<string, any>, kind: string, text: string): LiveResource => {
  const address = liveAddress(type, id);
  return { resource: { address, type, name: address.slice(type.length + 1), values }, identity: { kind, id, text } };
};

export function securityGroupResource(sg: ApiObject): LiveResource {
  const id = String(sg.GroupId);
  return res("aws_security_group", id, { id, name: sg.GroupName, description: sg.Description, vpc_id: sg.VpcId, tags: tagsOf(sg.Tags) }, "SecurityGroup", `SecurityGroup ${id} (${String(sg.GroupName)})`);
}

function ruleText(r: ApiObject): string {
  const proto = r.IpProtocol === "-1" ? "all" : String(r.IpProtocol);
  const ports = r.IpProtocol === "-1" || r.FromPort === -1 ? "" : r.FromPort === r.ToPort ? ` ${r.FromPort}` : ` ${r.FromPort}-${r.ToPort}`;
  const peer = r.CidrIpv4 ?? r.CidrIpv6 ?? r.PrefixListId ?? r.ReferencedGroupInfo?.GroupId ?? "?";
  return `${proto}${ports} ${r.IsEgress ? "to" : "from"} ${peer}`;
}

export function securityGroupRuleResource(r: ApiObject): LiveResource {
  const id = String(r.SecurityGroupRuleId);
  const type = r.IsEgress ? "aws_vpc_security_group_egress_rule" : "aws_vpc_security_group_ingress_rule";
  const values: Record<string, any> = { id, security_group_id: r.GroupId, ip_protocol: r.IpProtocol, from_port: r.FromPort, to_port: r.ToPort };
  if (r.CidrIpv4) values.cidr_ipv4 = r.CidrIpv4;
  if (r.CidrIpv6) values.cidr_ipv6 = r.CidrIpv6;
  if (r.PrefixListId) values.prefix_list_id = r.PrefixListId;
  if (r.ReferencedGroupInfo?.GroupId) values.referenced_security_group_id = r.ReferencedGroupInfo.GroupId;
  if (typeof r.Description === "string") values.description = r.Description;
  return res(type, id, values, "SecurityGroupRule", `SecurityGroupRule ${id} on ${String(r.GroupId)}: ${ruleText(r)}`);
}

export function loadBalancerResource(lb: ApiObject): LiveResource {
  const name = String(lb.LoadBalancerName);
  return res("aws_lb", name, { arn: lb.LoadBalancerArn, name, load_balancer_type: lb.Type, internal: lb.Scheme === "internal", security_groups: lb.SecurityGroups ?? [] }, "LoadBalancer", `LoadBalancer ${name} (${String(lb.Type)}, ${String(lb.Scheme)})`);
}

function actionsOf(actions: unknown): Array<Record<string, any>> {
  return (Array.isArray(actions) ? actions : []).sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0)).map((a: ApiObject) => ({
    type: a.Type,
    ...(a.TargetGroupArn ? { target_group_arn: a.TargetGroupArn } : {}),
    ...(a.ForwardConfig ? { forward: { target_group: (a.ForwardConfig.TargetGroups ?? []).map((t: ApiObject) => ({ arn: t.TargetGroupArn, weight: t.Weight })) } } : {}),
    ...(a.RedirectConfig ? { redirect: { protocol: a.RedirectConfig.Protocol, port: a.RedirectConfig.Port, status_code: a.RedirectConfig.StatusCode } } : {}),
    // The authenticate actions' settings as DescribeRules returns them (the client secret never is).
    ...(a.AuthenticateOidcConfig ? { authenticate_oidc: { issuer: a.AuthenticateOidcConfig.Issuer, client_id: a.AuthenticateOidcConfig.ClientId, on_unauthenticated_request: lower(a.AuthenticateOidcConfig.OnUnauthenticatedRequest) } } : {}),
    ...(a.AuthenticateCognitoConfig ? { authenticate_cognito: { user_pool_arn: a.AuthenticateCognitoConfig.UserPoolArn, on_unauthenticated_request: lower(a.AuthenticateCognitoConfig.OnUnauthenticatedRequest) } } : {}),
    ...(a.FixedResponseConfig ? { fixed_response: { status_code: a.FixedResponseConfig.StatusCode, content_type: a.FixedResponseConfig.ContentType } } : {}),
  }));
}

/** `arn:…:listener/app/<lb>/<lb-id>/<listener-id>` → `<lb>:<port>` is not in the ARN; the id is its last part. */
const arnTail = (arn: unknown, parts: number) => String(arn ?? "").split("/").slice(-parts).join("/");

export function listenerResource(l: ApiObject, lbName: string | undefined): LiveResource {
  const id = `${lbName ?? arnTail(l.LoadBalancerArn, 3)}:${String(l.Port)}`;
  const ma = l.MutualAuthentication;
  return res(
    "aws_lb_listener",
    id,
    {
      arn: l.ListenerArn,
      load_balancer_arn: l.LoadBalancerArn,
      port: l.Port,
      protocol: l.Protocol,
      ...(l.SslPolicy ? { ssl_policy: l.SslPolicy } : {}),
      default_action: actionsOf(l.DefaultActions),
      ...(ma ? { mutual_authentication: { mode: lower(ma.Mode), trust_store_arn: ma.TrustStoreArn } } : {}),
    },
    "Listener",
    `Listener ${String(l.Protocol)} ${String(l.Port)} of ${lbName ?? String(l.LoadBalancerArn)} (${arnTail(l.ListenerArn, 1)})`,
  );
}

/** A rule's listener is the one its RuleArn names: `listener-rule/app/<lb>/<lb-id>/<listener-id>/<rule-id>`. */
export function listenerArnOfRule(ruleArn: string): string {
  return ruleArn.replace(":listener-rule/", ":listener/").replace(/\/[^/]+$/, "");
}

const CONDITIONS: Record<string, string> = { "path-pattern": "path_pattern", "host-header": "host_header", "http-header": "http_header", "query-string": "query_string", "source-ip": "source_ip", "http-request-method": "http_request_method" };

/** How a listener rule authenticates, for comparing the live rule with the stack's: each authenticate action and what it does with an unauthenticated request. */
export function ruleAuthentication(actions: unknown): string {
  const settings = (a: Record<string, any>) => [a.authenticate_oidc, a.authenticate_cognito].map((x) => (Array.isArray(x) ? x[0] : x)).find((x) => x && typeof x === "object");
  const auth = (Array.isArray(actions) ? actions : []).filter((a) => /^authenticate-/.test(String(a?.type)));
  return auth.map((a) => `${String(a.type)} (unauthenticated: ${String(lower(settings(a)?.on_unauthenticated_request ?? "authenticate"))})`).join(", ") || "no authenticate action";
}

export function listenerRuleResource(r: ApiObject, listenerText: string): LiveResource {
  const arn = String(r.RuleArn);
  const condition = (Array.isArray(r.Conditions) ? r.Conditions : []).map((c: ApiObject) => {
    const key = CONDITIONS[String(c.Field)] ?? String(c.Field);
    const cfg = c.PathPatternConfig ?? c.HostHeaderConfig ?? c.HttpRequestMethodConfig ?? c.SourceIpConfig;
    const values = cfg?.Values ?? c.Values ?? [];
    if (key === "http_header") return { http_header: { http_header_name: c.HttpHeaderConfig?.HttpHeaderName, values: c.HttpHeaderConfig?.Values ?? [] } };
    if (key === "query_string") return { query_string: (c.QueryStringConfig?.Values ?? []).map((v: ApiObject) => ({ key: v.Key, value: v.Value })) };
    return { [key]: { values, ...(cfg?.RegexValues ? { regex_values: cfg.RegexValues } : {}) } };
  });
  return res("aws_lb_listener_rule", arnTail(arn, 1), { arn, listener_arn: listenerArnOfRule(arn), priority: Number(r.Priority), action: actionsOf(r.Actions), condition }, "ListenerRule", `ListenerRule ${arnTail(arn, 1)} (priority ${String(r.Priority)}) of ${listenerText}`);
}

export function targetGroupResource(tg: ApiObject): LiveResource {
  const name = String(tg.TargetGroupName);
  return res(
    "aws_lb_target_group",
    name,
    { arn: tg.TargetGroupArn, name, port: tg.Port, protocol: tg.Protocol, target_type: tg.TargetType, health_check: { enabled: tg.HealthCheckEnabled, path: tg.HealthCheckPath, protocol: tg.HealthCheckProtocol, port: tg.HealthCheckPort, matcher: tg.Matcher?.HttpCode } },
    "TargetGroup",
    `TargetGroup ${name} (${String(tg.Protocol)} ${String(tg.Port)})`,
  );
}

export function targetResource(tg: ApiObject, d: ApiObject): LiveResource {
  const target = d.Target ?? {};
  const id = `${String(tg.TargetGroupName)}/${String(target.Id)}:${String(target.Port ?? tg.Port)}`;
  return res("aws_lb_target_group_attachment", id, { target_group_arn: tg.TargetGroupArn, target_id: target.Id, port: target.Port }, "Target", `Target ${String(target.Id)}:${String(target.Port ?? tg.Port)} of TargetGroup ${String(tg.TargetGroupName)}`);
}

/** A network interface that carries a group: the graph reads it as a member of its groups. */
export function networkInterfaceResource(eni: ApiObject, owner: string): LiveResource {
  const id = String(eni.NetworkInterfaceId);
  const groups = (eni.Groups ?? []).map((g: ApiObject) => g.GroupId);
  return res("aws_network_interface", id, { id, security_groups: groups, description: eni.Description, owner }, "NetworkInterface", `NetworkInterface ${id} of ${owner}`);
}

export function tagsOf(tags: unknown): Record<string, string> {
  return Object.fromEntries((Array.isArray(tags) ? tags : []).map((t: ApiObject) => [String(t.Key), String(t.Value)]));
}
