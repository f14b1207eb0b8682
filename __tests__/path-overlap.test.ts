/** What a load balancer rule forwards reaches a route only where their path conditions overlap (MP018's ways in). */
import type { PathCond } from "../modules/exposure/model";
import { overlapping } from "../modules/policy/path-overlap";

const exact = (value: string): PathCond => ({ kind: "exact", value });
const prefix = (value: string): PathCond => ({ kind: "prefix", value });
const glob = (value: string): PathCond => ({ kind: "glob", value });
const regex = (value: string): PathCond => ({ kind: "regex", value });
const WRITE = [exact("/api/v1/push"), exact("/otlp/v1/metrics")];

describe("path overlap between a rule's path_pattern and a route's matches", () => {
  test("disjoint groups do not meet: read patterns never reach the write route", () => {
    expect(overlapping([glob("/prometheus/api/v1/query"), glob("/prometheus/config/v1/rules/*"), glob("/alertmanager/*")], WRITE)).toEqual([]);
    expect(overlapping([glob("/prometheus/config/v1/rules"), glob("/prometheus/config/v1/rules/*")], [prefix("/prometheus/api/v1/label")])).toEqual([]);
  });
  test("exact paths are tested against globs, prefixes (element-wise) and regexes", () => {
    expect(overlapping([glob("/api/v1/push")], WRITE)).toEqual([glob("/api/v1/push")]);
    expect(overlapping([glob("/api/*")], WRITE)).toEqual([glob("/api/*")]);
    expect(overlapping([glob("/*")], WRITE)).toEqual([glob("/*")]);
    expect(overlapping([prefix("/api/v1")], WRITE)).toEqual([prefix("/api/v1")]);
    expect(overlapping([prefix("/api/v1/pus")], WRITE)).toEqual([]);
    expect(overlapping([regex("^/otlp/")], WRITE)).toEqual([regex("^/otlp/")]);
  });
  test("prefixes and globs meet when one literal head starts the other", () => {
    expect(overlapping([glob("/alertmanager/*")], [prefix("/alertmanager")])).toHaveLength(1);
    expect(overlapping([glob("/prometheus/*")], [prefix("/alertmanager")])).toEqual([]);
    expect(overlapping([glob("/p*s")], [prefix("/prometheus/config/v1/rules")])).toHaveLength(1);
  });
  test("what cannot be decided counts as overlapping; no condition is every path", () => {
    expect(overlapping([regex("(")], WRITE)).toHaveLength(1);
    expect(overlapping([regex("^/admin")], [prefix("/prometheus")])).toHaveLength(1);
    expect(overlapping(undefined, WRITE)).toEqual(WRITE);
    expect(overlapping([glob("/x")], undefined)).toEqual([glob("/x")]);
    expect(overlapping(undefined, undefined)).toBeUndefined();
  });
});
