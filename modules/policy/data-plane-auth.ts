/**
 * MP018 at the hop that reaches Mimir (issue 20, item 2): a way into Mimir's
 * http port through the entry's data plane that does not pass the load
 * balancer skips the authentication the load balancer does (mutual TLS,
 * authenticate-oidc). It holds only when the data plane authenticates itself
 * (an Envoy Gateway SecurityPolicy / ClientTrafficPolicy on the Gateway,
 * listener or route) or admits only the load balancer's subnets (a
 * NetworkPolicy on the data-plane pods): the graph adds the way only when
 * neither is proven (modules/exposure/graph/data-plane.ts).
 */
import type { ExposureModel, Hit } from "../exposure/model";
import { arrow } from "./reachability";
import type { RawFinding } from "./types";

export function dataPlaneBypassFindings(m: ExposureModel): RawFinding[] {
  const groups = new Map<string, Hit>();
  for (const hit of m.graph.hits) {
    const door = hit.entry;
    if (door?.entry !== "data-plane" || !door.resource || hit.port.contractName !== "http") continue;
    const route = hit.edges.find((e) => e.resource && e.resource !== door.resource)?.resource;
    const key = `${door.resource.address}|${route?.address ?? ""}`;
    if (!groups.has(key)) groups.set(key, hit);
  }
  return [...groups.values()].filter((hit) => hit.entry!.resource!.type !== ENDPOINT_SERVICE).map((hit) => ({
    resource: hit.entry!.resource!,
    message: `${hit.source.label} reaches Mimir's http port through the entry's data plane without passing the load balancer, so the authentication there is skipped; path: ${arrow(hit.path)}`,
    fix: "admit only the load balancer's subnets to the data-plane pods (a NetworkPolicy with ipBlocks within loadBalancer.subnetCidrs), or authenticate at the data plane (Envoy Gateway SecurityPolicy basicAuth/jwt/oidc/extAuth, or authorization allowing only the load balancer's clientCIDRs, targeting the Gateway or the route)",
    path: hit.path,
  }));
}

const ENDPOINT_SERVICE = "aws_vpc_endpoint_service";

/**
 * A VPC endpoint service in front of a load balancer that reaches Mimir's http port (issue 30, item 3): its
 * principals' VPCs are sources nobody reviewed, whatever the load balancer authenticates. One finding per service.
 */
export function privateLinkFindings(m: ExposureModel): RawFinding[] {
  const first = new Map<string, Hit>();
  for (const hit of m.graph.hits) {
    const door = hit.entry;
    if (door?.entry !== "data-plane" || door.resource?.type !== ENDPOINT_SERVICE || hit.port.contractName !== "http") continue;
    if (!first.has(door.resource.address)) first.set(door.resource.address, hit);
  }
  return [...first.values()].map((hit) => ({
    resource: hit.entry!.resource!,
    message: `${hit.source.label} reach Mimir's http port through ${hit.entry!.resource!.address}, a way in of its own: the load balancer's allowed sources do not limit PrivateLink consumers; path: ${arrow(hit.path)}`,
    fix: "do not publish the entry's load balancer as a VPC endpoint service; if consumers need PrivateLink, give it a load balancer of its own with its own authentication, and acknowledge this path with its principals",
    path: hit.path,
  }));
}
