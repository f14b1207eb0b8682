/**
 * What verify reads from Kubernetes, one `kubectl get` per API group (a kind the cluster does not serve
 * fails only its own command): the file name, the resources, and the API group/version/plural the live
 * reader lists.
 */
export interface KubeRead {
  readonly file: string;
  /** `kubectl get` resource names. */
  readonly kinds: readonly string[];
  readonly shows: string;
}

export const KUBE_READS: readonly KubeRead[] = [
  { file: "kube-core.json", kinds: ["namespaces", "nodes", "services", "endpointslices.discovery.k8s.io", "pods", "deployments.apps", "statefulsets.apps", "daemonsets.apps", "replicasets.apps", "jobs.batch", "networkpolicies.networking.k8s.io", "ingresses.networking.k8s.io"], shows: "Services, EndpointSlices, pods and their controllers, NetworkPolicies, Ingresses, nodes and namespaces" },
  { file: "kube-gateway-api.json", kinds: ["gateways.gateway.networking.k8s.io", "httproutes.gateway.networking.k8s.io", "grpcroutes.gateway.networking.k8s.io", "referencegrants.gateway.networking.k8s.io"], shows: "Gateways, HTTPRoutes, GRPCRoutes and ReferenceGrants" },
  { file: "kube-gateway-api-experimental.json", kinds: ["tcproutes.gateway.networking.k8s.io", "tlsroutes.gateway.networking.k8s.io"], shows: "TCPRoutes and TLSRoutes" },
  { file: "kube-envoy-gateway.json", kinds: ["securitypolicies.gateway.envoyproxy.io", "clienttrafficpolicies.gateway.envoyproxy.io", "envoyproxies.gateway.envoyproxy.io"], shows: "Envoy Gateway SecurityPolicies, ClientTrafficPolicies and EnvoyProxies" },
  { file: "kube-aws.json", kinds: ["securitygrouppolicies.vpcresources.k8s.aws", "targetgroupbindings.elbv2.k8s.aws"], shows: "SecurityGroupPolicies and TargetGroupBindings" },
];

/** The served version verify lists per API group (core is ""). */
const VERSIONS: Record<string, string> = {
  "": "v1",
  apps: "v1",
  batch: "v1",
  "discovery.k8s.io": "v1",
  "networking.k8s.io": "v1",
  "gateway.networking.k8s.io": "v1",
  "gateway.envoyproxy.io": "v1alpha1",
  "vpcresources.k8s.aws": "v1beta1",
  "elbv2.k8s.aws": "v1beta1",
};
/** Experimental-channel routes are served at v1alpha2. */
const ALPHA_ROUTES = new Set(["tcproutes", "tlsroutes"]);

/** `deployments.apps` → `/apis/apps/v1/deployments`; `services` → `/api/v1/services` (every namespace). */
export function listPath(kubectlName: string): string {
  const [plural, ...group] = kubectlName.split(".");
  const g = group.join(".");
  const version = ALPHA_ROUTES.has(plural) ? "v1alpha2" : VERSIONS[g];
  return g === "" ? `/api/${version}/${plural}` : `/apis/${g}/${version}/${plural}`;
}
