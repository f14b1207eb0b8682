/**
 * Ports of Envoy Gateway's data plane that a security group of its own must admit or reach (envoyproxy/gateway,
 * internal/xds/bootstrap/bootstrap.go): the proxy's readiness listener (`EnvoyReadinessPort`, path `/ready`, the
 * kubelet's probe) and the control plane's xDS server (`DefaultXdsServerPort`, the envoy-gateway Service the
 * proxies fetch their configuration from).
 */
export const ENVOY_GATEWAY_PORTS = Object.freeze({ readiness: 19001, xds: 18000 });
