import { ConfigError } from "../modules/contract/problems";
import { PortContract } from "../modules/contract/port-contract";
import { problemsOf } from "./helpers";


describe("PortContract", () => {
  test("defaults are Mimir's: http 8080, grpc 9095, memberlist 7946, all TCP, with config keys and chart port names", () => {
    const c = PortContract.create();
    expect(c.internal.map((p) => [p.name, p.port, p.protocol, p.configKey, p.k8sName])).toEqual([
      ["http", 8080, "TCP", "server.http_listen_port", "http-metrics"],
      ["grpc", 9095, "TCP", "server.grpc_listen_port", "grpc"],
      ["memberlist", 7946, "TCP", "memberlist.bind_port", "gossip-ring"],
    ]);
    expect(c.public).toEqual({ https: 443, httpRedirect: 80, secondClassHttps: 8443 });
  });

  test("overrides change only the named port", () => {
    const c = PortContract.create({ ports: { grpc: 9096 } });
    expect([c.http.port, c.grpc.port, c.memberlist.port]).toEqual([8080, 9096, 7946]);
  });

  test("is immutable", () => {
    const c = PortContract.create();
    expect(() => {
      (c as unknown as { http: unknown }).http = null;
    }).toThrow();
    expect(() => {
      (c.http as unknown as { port: number }).port = 1;
    }).toThrow();
    expect(c.http.port).toBe(8080);
  });

  test.each([
    [{ http: 0 }, "ports.http", 0, "integer from 1 to 65535"],
    [{ http: 65536 }, "ports.http", 65536, "integer from 1 to 65535"],
    [{ grpc: 8080.5 }, "ports.grpc", 8080.5, "integer from 1 to 65535"],
    [{ memberlist: "7946" }, "ports.memberlist", "7946", "integer from 1 to 65535"],
    [{ grpc: 8080 }, "ports.grpc", 8080, "already used by http"],
    [{ http: 443 }, "ports.http", 443, "public https listener port 443"],
    [{ memberlist: 80 }, "ports.memberlist", 80, "public httpRedirect listener port 80"],
    [{ gossip: 7000 }, "ports.gossip", 7000, "is not a Mimir port"],
    [{ grpc: 9092 }, "ports.grpc", 9092, "the chart's Kafka"],
    [{ http: 11211 }, "ports.http", 11211, "memcached"],
  ])("rejects %j naming field, value and fix", (ports, field, value, rule) => {
    const problems = problemsOf(() => PortContract.create({ ports: ports as never, env: "prod" }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ env: "prod", field, value });
    expect(problems[0].rule).toContain(rule);
    expect(problems[0].fix.length).toBeGreaterThan(5);
  });

  test("the error message is one line per problem with environment, field, value and fix", () => {
    const problems = problemsOf(() => PortContract.create({ ports: { http: 0, grpc: 70000 }, env: "staging" }));
    const err = new ConfigError(problems);
    const lines = err.message.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[staging\] ports\.http = 0: must be an integer from 1 to 65535\. Fix: /);
    expect(lines[1]).toMatch(/^\[staging\] ports\.grpc = 70000: .*Fix: /);
  });
});
