/**
 * Client classes behind every entry kind that has a load balancer listener per class (issue 27): the classes are
 * told apart by the ALB, so whatever is behind it (the chart's gateway, the one Mimir Service, a Gateway), a class's
 * credential reaches only the paths its own listener forwards.
 */
import { env, gatewayEnv, resources, synthJson, type TfJson } from "./helpers";
import { CA, OIDC } from "./auth-fixtures";

type Json = Record<string, any>;
const CLASSES = [
  { name: "agents", auth: { mode: "mtls", caBundle: CA, tenant: OIDC.tenant }, groups: ["write"] },
  { name: "operators", auth: OIDC, groups: ["read", "rules", "alertmanager"] },
];
const lbCidrs = { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"] };
const KINDS: Record<string, Record<string, unknown>> = {
  "chart-gateway": { deploymentMode: "microservices", loadBalancer: lbCidrs, ingress: undefined, entry: { kind: "chart-gateway" }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } },
  direct: { deploymentMode: "monolithic", loadBalancer: lbCidrs, ingress: undefined, entry: { kind: "direct" }, networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } },
};

/** Per listener port: the paths its forwarding rules match, and the actions before each forward. */
function forwardedByPort(json: TfJson): Map<number, { paths: string[]; before: string[] }> {
  const byArn = new Map(Object.entries(resources(json, "aws_lb_listener")).map(([k, l]) => [`\${aws_lb_listener.${k}.arn}`, (l as Json).port as number]));
  const out = new Map<number, { paths: string[]; before: string[] }>();
  for (const r of Object.values(resources(json, "aws_lb_listener_rule")) as Json[]) {
    if (!r.action.some((a: Json) => a.type === "forward")) continue;
    const port = byArn.get(r.listener_arn)!;
    const entry = out.get(port) ?? { paths: [], before: [] };
    entry.paths.push(...r.condition.flatMap((c: Json) => (c.path_pattern?.values ?? []) as string[]));
    entry.before.push(...r.action.filter((a: Json) => a.type !== "forward").map((a: Json) => a.type as string));
    out.set(port, entry);
  }
  return out;
}

const OPERATOR_PATHS = ["/prometheus/config/v1/rules", "/prometheus/config/v1/rules/*", "/alertmanager", "/alertmanager/*", "/api/v1/alerts", "/prometheus/api/v1/query"];

test.each([...Object.keys(KINDS), "gateway-api"])("%s: agents on 443 reach only write; operators on 8443 authenticate and reach read, rules and Alertmanager", (kind) => {
  const input = kind === "gateway-api" ? gatewayEnv({ auth: undefined, clients: CLASSES }) : env({ ...KINDS[kind], auth: undefined, clients: CLASSES });
  const byPort = forwardedByPort(synthJson(input));
  expect([...byPort.keys()].sort()).toEqual([443, 8443]);
  expect([...new Set(byPort.get(443)!.paths)].sort()).toEqual(["/api/v1/push", "/otlp/v1/metrics"]);
  expect(byPort.get(443)!.before).toEqual([]);
  const operators = byPort.get(8443)!;
  expect(operators.paths).toEqual(expect.arrayContaining(OPERATOR_PATHS));
  expect(operators.paths).not.toContain("/api/v1/push");
  expect(new Set(operators.before)).toEqual(new Set(["authenticate-oidc"]));
});
