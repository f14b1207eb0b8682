import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { buildApp } from "../main";
import { env, gatewayEnv, problemsOf, resources, synthJson, type TfJson } from "./helpers";
import { defineEnvironment } from "../modules/config/environment";

/** The reference app's stacks, synthesized once (issue 27: least privilege by default). */
const out = mkdtempSync(join(tmpdir(), "mimir-lp-"));
const stacks: Record<string, TfJson> = {};
beforeAll(() => {
  buildApp(out).synth();
  for (const name of ["dev", "staging", "prod"]) stacks[name] = JSON.parse(readFileSync(join(out, "stacks", name, "cdk.tf.json"), "utf8"));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

const lbOf = (json: TfJson) => Object.values(resources(json, "aws_lb"))[0] as Record<string, any>;
const httpsListenerOf = (json: TfJson) => Object.values(resources(json, "aws_lb_listener")).find((l) => l.port === 443) as Record<string, any>;

describe("load balancer (issue 27, item 5)", () => {
  test.each(["dev", "staging", "prod"])("%s: TLS listener without CBC ciphers, desync mitigation strictest", (name) => {
    expect(httpsListenerOf(stacks[name]).ssl_policy).toBe("ELBSecurityPolicy-TLS13-1-2-Res-2021-06");
    expect(lbOf(stacks[name]).desync_mitigation_mode).toBe("strictest");
  });

  test("prod (production-like, mutual TLS) writes connection logs to the named bucket", () => {
    expect(lbOf(stacks.prod).connection_logs).toEqual({ bucket: "acme-prod-lb-logs", prefix: "mimir-prod", enabled: true });
  });

  test("the TLS policy and desync mode are overridable", () => {
    const json = synthJson(gatewayEnv({ loadBalancer: { allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", desyncMitigationMode: "defensive" } }));
    expect(httpsListenerOf(json).ssl_policy).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
    expect(lbOf(json).desync_mitigation_mode).toBe("defensive");
    expect(lbOf(json).connection_logs).toBeUndefined();
  });

  test("production-like with mutual TLS and no connection logs bucket is a config error naming the field", () => {
    const problems = problemsOf(() =>
      defineEnvironment(
        gatewayEnv({
          name: "prodlike",
          productionLike: true,
          accountId: "111122223333",
          kubeContext: "ctx-prodlike",
          storage: { buckets: { blocks: "b-blocks-x1", ruler: "b-ruler-x1", alertmanager: "b-am-x1" }, podIdentity: { clusterName: "c" } },
          auth: { mode: "mtls", caBundle: { bucket: "pki-bucket", key: "ca.pem", objectVersion: "v1" }, tenant: "t" },
        }),
      ),
    );
    const p = problems.find((x) => x.field === "loadBalancer.connectionLogsBucket");
    expect(p?.rule).toMatch(/production-like/);
    expect(p?.fix).toMatch(/set loadBalancer.connectionLogsBucket/);
  });
});
