/**
 * The live fixtures stay the reference prod as deployed: generate.ts, run on the prod `npm run synth`
 * makes now, writes exactly the committed files. A change to main.ts or the constructs that alters
 * what prod deploys fails here until the fixtures are regenerated (the command is in the message).
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT, runTsx, TEST_OUT } from "./helpers";
import { synthInProcess } from "./helpers/synth-in-process";

const OUT = join(ROOT, TEST_OUT, "verify-fixtures");
const LIVE = join(ROOT, "__tests__/fixtures/live");
const REGENERATE = "npm run synth -- --outdir /tmp/out && node --import tsx __tests__/fixtures/live/generate.ts /tmp/out/stacks/prod/cdk.tf.json";

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

const filesUnder = (dir: string): string[] => readdirSync(dir, { withFileTypes: true, recursive: true }).filter((d) => d.isFile()).map((d) => relative(dir, join(d.parentPath, d.name)).split("\\").join("/")).sort();

test("the committed live fixtures are what generate.ts makes from the prod synthesized now", async () => {
  expect((await synthInProcess(["--outdir", join(OUT, "synth")])).code).toBe(0);
  const fresh = join(OUT, "fixtures");
  const r = runTsx(["__tests__/fixtures/live/generate.ts", join(OUT, "synth", "stacks", "prod", "cdk.tf.json"), fresh]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  for (const part of ["prod", "out-of-band"]) {
    const made = filesUnder(join(fresh, part));
    expect({ part, files: filesUnder(join(LIVE, part)), regenerate: REGENERATE }).toEqual({ part, files: made, regenerate: REGENERATE });
    const stale = made.filter((f) => readFileSync(join(fresh, part, f), "utf8") !== readFileSync(join(LIVE, part, f), "utf8"));
    expect({ stale, regenerate: REGENERATE }).toEqual({ stale: [], regenerate: REGENERATE });
  }
});

test("the fixtures hold prod's listeners, both classes' rules, the data-plane group on the proxies and the default deny", () => {
  const json = (f: string) => JSON.parse(readFileSync(join(LIVE, "prod", f), "utf8"));
  expect(json("aws/elbv2-describe-listeners.mimir-prod.json").Listeners.map((l: { Port: number; Protocol: string }) => `${l.Protocol} ${l.Port}`).sort()).toEqual(["HTTP 80", "HTTPS 443", "HTTPS 8443"]);
  const operators = json("aws/elbv2-describe-rules.https-operators.json").Rules as Array<{ IsDefault: boolean; Actions: Array<{ Type: string; AuthenticateOidcConfig?: { Issuer: string } }> }>;
  expect(operators.filter((r) => r.Actions.some((a) => a.Type === "forward")).every((r) => r.Actions[0].AuthenticateOidcConfig?.Issuer === "https://idp.example.com")).toBe(true);
  const groups = json("aws/ec2-describe-security-groups.json").SecurityGroups as Array<{ GroupId: string; GroupName: string }>;
  const dataPlane = groups.find((g) => g.GroupName.startsWith("mimir-prod-data-plane-"))!.GroupId;
  const proxyEni = (json("aws/ec2-describe-network-interfaces.json").NetworkInterfaces as Array<{ InterfaceType: string; Groups: Array<{ GroupId: string }>; PrivateIpAddress: string }>).filter((e) => e.Groups.some((g) => g.GroupId === dataPlane));
  expect(proxyEni.map((e) => [e.InterfaceType, e.Groups.length])).toEqual([["branch", 1]]);
  const sgp = (json("kube-aws.json").items as Array<{ kind: string; metadata: { namespace: string }; spec: { securityGroups: { groupIds: string[] } } }>).find((o) => o.kind === "SecurityGroupPolicy" && o.metadata.namespace === "envoy-gateway-system")!;
  expect(sgp.spec.securityGroups.groupIds).toEqual([dataPlane]);
  const deny = (json("kube-core.json").items as Array<{ kind: string; metadata: { name: string }; spec: { podSelector: object; policyTypes: string[] } }>).find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "mimir-default-deny")!;
  expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
});
