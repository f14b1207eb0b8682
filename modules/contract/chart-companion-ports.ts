/**
 * Ports of what the mimir-distributed chart runs in Mimir's namespace beside Mimir, for the namespace's NetworkPolicies:
 * - the rollout-operator (grafana/helm-charts, charts/rollout-operator/templates/deployment.yaml): `http-metrics`
 *   (metrics and its `/ready` probe) and, with webhooks on (the chart's default), `https`, the admission webhooks the
 *   Kubernetes API server calls. (The chart's demo MinIO never runs: modules/helm/values.ts turns it off.)
 */
export const ROLLOUT_OPERATOR_PORTS = Object.freeze({ metrics: 8001, webhooks: 8443 });
/** The Kubernetes API server's HTTPS port (EKS serves the API on 443), which the rollout-operator calls. */
export const KUBERNETES_API_PORT = 443;
