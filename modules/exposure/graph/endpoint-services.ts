/**
 * A VPC endpoint service is a way in of its own (issue 30, item 3): `aws_vpc_endpoint_service` publishes its network
 * load balancers through PrivateLink, so every VPC of an allowed principal (`allowed_principals`,
 * `aws_vpc_endpoint_service_allowed_principal`) reaches their listeners through an interface endpoint. The load
 * balancer's security group does not decide who that is: consumers choose their own addresses (a rule for
 * 10.0.0.0/16 admits any consumer VPC numbered so), and `enforce_security_group_inbound_rules_on_private_link_traffic
 * = "off"` skips it altogether. A source per endpoint service, into each of its load balancers in the stack, whatever
 * those load balancers front (the data plane, Mimir).
 */
import { strings } from "../readers/json";
import { short, type AwsIndex } from "./aws-edges";
import type { Graph } from "./graph";

const principal = (v: unknown) => (v === "*" ? "* (every AWS account)" : String(v ?? "?"));

export function addEndpointServices(g: Graph, ix: AwsIndex): void {
  const services = ix.byType("aws_vpc_endpoint_service");
  if (services.length === 0) return;
  const extra = new Map<string, string[]>();
  for (const p of ix.byType("aws_vpc_endpoint_service_allowed_principal")) {
    const svc = ix.ref(p.values.vpc_endpoint_service_id);
    const list = extra.get(svc) ?? [];
    list.push(`${principal(p.values.principal_arn)} (${short(p.address)})`);
    extra.set(svc, list);
  }
  for (const svc of services) {
    const lbs = [...strings(svc.values.network_load_balancer_arns), ...strings(svc.values.gateway_load_balancer_arns)].map((x) => ix.ref(x)).filter((a) => g.nodes.has(`lb:${a}`));
    if (lbs.length === 0) continue;
    const principals = [...strings(svc.values.allowed_principals).map(principal), ...(extra.get(svc.address) ?? [])];
    const who = principals.length > 0 ? principals.join(", ") : "no principal yet (any added later, outside this stack)";
    const acceptance = svc.values.acceptance_required === false ? "connections accepted automatically" : "connections accepted by hand";
    const id = `privatelink:${svc.address}`;
    g.node({ id, kind: "source", untrusted: true, label: `clients in the VPCs of the allowed principals ${who} (PrivateLink endpoint service ${short(svc.address)}, ${acceptance})` });
    for (const lb of lbs) {
      g.edge({ from: id, to: `lb:${lb}`, label: `${short(svc.address)} publishes ${short(lb)} through PrivateLink: its security group does not decide who that is`, resource: svc, entry: "data-plane", tls: false });
    }
  }
}
