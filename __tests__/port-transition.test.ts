/**
 * Port transitions in the contract: what each phase listens on and admits,
 * and that a port in transition is Mimir's on both numbers for the policy
 * (a transition must not open a blind spot beside the contract).
 */
import { Testing } from "cdktf";
import { VpcSecurityGroupIngressRule } from "../modules/platform/aws";
import { PortContract } from "../modules/contract/port-contract";
import { MimirStack } from "../modules/stack/mimir-stack";
import { env, problemsOf, resources, synthJson } from "./helpers";

const { grpc: GRPC, memberlist: GOSSIP } = PortContract.DEFAULT_PORTS;
const NEW = GRPC + 1;

describe("PortContract with a transition", () => {
  test.each([
    ["open", GRPC, [GRPC, NEW], GRPC],
    ["move", NEW, [GRPC, NEW], GRPC],
    ["close", NEW, [NEW], NEW],
  ] as const)("phase %s: listens on %i, admits %j, target groups keep %i", (phase, listen, admitted, stable) => {
    const c = PortContract.create({ ports: { grpc: { from: GRPC, to: NEW, phase } } });
    expect(c.grpc.port).toBe(listen);
    expect(c.admitted("grpc")).toEqual(admitted);
    expect(c.stablePort("grpc")).toBe(stable);
    expect(c.transition("grpc")).toMatchObject({ name: "grpc", from: GRPC, to: NEW, phase });
    // Members-only ports carry both numbers while open or moving; the other ports are untouched.
    expect(c.membersOnly.filter((p) => p.name === "grpc").map((p) => p.port)).toEqual(admitted);
    expect(c.admitted("memberlist")).toEqual([GOSSIP]);
  });

  test("phase defaults to open: nothing moves until a PR says so", () => {
    const c = PortContract.create({ ports: { grpc: { from: GRPC, to: NEW } } });
    expect(c.transition("grpc")?.phase).toBe("open");
    expect(c.grpc.port).toBe(GRPC);
  });

  test("a plain number has no transition and admits one number", () => {
    const c = PortContract.create({ ports: { grpc: NEW } });
    expect(c.transitions).toEqual([]);
    expect(c.admitted("grpc")).toEqual([NEW]);
  });

  test("transitions are immutable", () => {
    const c = PortContract.create({ ports: { grpc: { from: GRPC, to: NEW, phase: "move" } } });
    expect(() => (c.transitions as unknown as unknown[]).push(1)).toThrow();
    expect(() => ((c.transition("grpc") as unknown as { phase: string }).phase = "close")).toThrow();
  });

  test("every problem of a bad transition at once, each naming env, field, value and fix", () => {
    const problems = problemsOf(() => PortContract.create({ env: "prod", ports: { grpc: { from: GRPC, to: GRPC }, memberlist: { phase: "move" } as never } }));
    expect(problems.map((p) => `${p.env}:${p.field}`)).toEqual(["prod:ports.grpc.to", "prod:ports.memberlist.from", "prod:ports.memberlist.to"]);
    for (const p of problems) expect(p.fix).toMatch(/[a-z]{3,}/);
  });
});

describe("the policy sees both numbers of a port in transition", () => {
  test("a user rule opening the new grpc port to the internet mid-migration is refused at synth", () => {
    const app = Testing.app();
    const stack = new MimirStack(app, "prod", { environment: env({ name: "prod", ports: { grpc: { from: GRPC, to: NEW, phase: "open" } } }) });
    new VpcSecurityGroupIngressRule(stack, "debug-grpc", { securityGroupId: stack.edge.securityGroups.members.id, ipProtocol: "tcp", fromPort: NEW, toPort: NEW, cidrIpv4: "0.0.0.0/0", description: "debug" });
    expect(() => app.synth()).toThrow(new RegExp(`aws_vpc_security_group_ingress_rule\\.debug-grpc.*grpc ${NEW}`));
  });

  test("the stack declares the transition in its contract output", () => {
    const json = synthJson(env({ ports: { grpc: { from: GRPC, to: NEW, phase: "move" } } }));
    expect((json.output!.mimir_port_contract.value as { ports: unknown; transitions: unknown })).toMatchObject({ ports: { grpc: NEW }, transitions: { grpc: { from: GRPC, to: NEW, phase: "move" } } });
    expect(Object.keys(resources(json, "aws_vpc_security_group_ingress_rule")).filter((k) => k.includes("_ingress_grpc_")).length).toBe(2);
  });
});
