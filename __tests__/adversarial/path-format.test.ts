/**
 * Issue 13: "a finding is a path from an untrusted source to a Mimir port
 * ... and it names the whole path" with arrows, e.g.
 * `0.0.0.0/0 → aws_lb.edge:443 (TCP, no TLS) → tg 8080 → ... → pods mimir-ingester:http-metrics`.
 * A few representative cases, in both synth and check output: source first,
 * then the hops, then the Mimir port, joined by "→".
 */
import { ALL_EXPOSURES } from "./cases";
import { findingBlocks, runCheck, synthCase } from "./harness";

const byName = (prefix: string) => {
  const c = ALL_EXPOSURES.find((x) => x.name.startsWith(prefix));
  if (!c) throw new Error(`no case ${prefix}`);
  return c;
};

const PATHS: Array<[string, RegExp]> = [
  ["NLB TCP 443 without TLS", /(0\.0\.0\.0\/0|anywhere|internet)[^\n]*→[^\n]*\b443\b[^\n]*→[^\n]*(\b8080\b|http-metrics)/i],
  ["aws_security_group_rule opens grpc", /(0\.0\.0\.0\/0|anywhere|internet)[^\n]*→[^\n]*(\b9095\b|\bgrpc\b)/i],
  ["typed LoadBalancer Service selects the ingesters", /(LoadBalancer|internet|anywhere)[^\n]*→[^\n]*atk-svc[^\n]*→[^\n]*(\b9095\b|\bgrpc\b)/i],
  ["rule on the TLS listener forwards /ingester/*", /(0\.0\.0\.0\/0|anywhere|internet)[^\n]*→[^\n]*atk-rule[^\n]*→[^\n]*(\b9095\b|\bgrpc\b)/i],
];

describe("findings print the whole path, source → … → Mimir port", () => {
  test.each(PATHS)("%s", async (prefix, path) => {
    const result = synthCase(byName(prefix));
    const synthSays = findingBlocks(result.error ?? "").some((b) => path.test(b.replace(/\n\s*/g, " ")));
    const check = await runCheck([result.checkInput]);
    const checkSays = findingBlocks(check.stdout).some((b) => path.test(b.replace(/\n\s*/g, " ")));
    if (!synthSays || !checkSays) throw new Error(`expected a finding matching ${path} in ${!synthSays ? "app.synth()" : ""} ${!checkSays ? "check" : ""}\n--- synth:\n${result.error ?? "(succeeded)"}\n--- check:\n${check.stdout}`);
  });
});
