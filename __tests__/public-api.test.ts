import { MIMIR_HTTP_API } from "../modules/contract/http-api";
import { isPublicPath, PUBLIC_API_GROUPS, PUBLIC_ROUTES, READ_ONLY_OF, publicRoutes, routeFor, servableGroups, type PublicApiGroup } from "../modules/contract/public-api";

describe("public API route table (contract)", () => {
  it.each(MIMIR_HTTP_API.map((e) => [e.method, e.path, e.audience, e.optionalGroup ?? ""] as const))("%s %s is %s%s", (_m, path, audience, optional) => {
    expect(isPublicPath(path)).toBe(audience === "public" && optional === "");
    expect(isPublicPath(path, PUBLIC_API_GROUPS)).toBe(audience === "public");
  });

  it("sends ruler paths under /prometheus to the ruler, queries to the query-frontend", () => {
    expect(routeFor("/prometheus/api/v1/rules")?.component).toBe("ruler");
    expect(routeFor("/prometheus/config/v1/rules/ns/group")?.component).toBe("ruler");
    expect(routeFor("/prometheus/api/v1/query")?.component).toBe("query-frontend");
    expect(routeFor("/api/v1/push")?.component).toBe("distributor");
  });

  it("matches prefixes element-wise, not by characters", () => {
    expect(isPublicPath("/alertmanagerx")).toBe(false);
    expect(isPublicPath("/alertmanager/api/v2/alerts")).toBe(true);
    expect(isPublicPath("/prometheus/api/v1/labelsx")).toBe(false);
    expect(isPublicPath("/api/v1/push/influx/write")).toBe(false);
  });

  it("forwards every public endpoint's own method (Mimir's reference page), and read-only groups GET only", () => {
    const full = PUBLIC_API_GROUPS.filter((g) => !(g in READ_ONLY_OF));
    for (const e of MIMIR_HTTP_API.filter((x) => x.audience === "public")) {
      const route = routeFor(e.path, publicRoutes(full));
      expect([e.method, e.path, (route?.methods as readonly string[] | undefined)?.includes(e.method)]).toEqual([e.method, e.path, true]);
    }
    for (const [ro, of] of Object.entries(READ_ONLY_OF) as Array<[PublicApiGroup, PublicApiGroup]>) {
      const mine = PUBLIC_ROUTES.filter((r) => r.group === ro);
      // The same paths as the full group, GET only.
      expect(mine.map((r) => `${r.match} ${r.path}`)).toEqual(PUBLIC_ROUTES.filter((r) => r.group === of).map((r) => `${r.match} ${r.path}`));
      expect(mine.every((r) => r.methods.length === 1 && r.methods[0] === "GET")).toBe(true);
    }
    // HEAD is never forwarded (Mimir's router answers HEAD of a GET route with 405).
    expect(PUBLIC_ROUTES.some((r) => (r.methods as readonly string[]).includes("HEAD"))).toBe(false);
  });

  it("an entry listing rules or alertmanager may serve their read-only forms; listing neither, neither", () => {
    expect(servableGroups(["write", "read", "rules", "alertmanager"])).toEqual(["write", "read", "rules", "rules-read", "alertmanager", "alertmanager-read"]);
    expect(servableGroups(["write", "read"])).toEqual(["write", "read"]);
    expect(servableGroups(["rules-read"])).toEqual(["rules-read"]);
  });
});
