import { MIMIR_HTTP_API } from "../modules/contract/http-api";
import { isPublicPath, PUBLIC_API_GROUPS, routeFor } from "../modules/contract/public-api";

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
});
