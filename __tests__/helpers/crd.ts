import Ajv from "ajv";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * A validator for one served version of a vendored CRD (__tests__/fixtures/),
 * strict like `kubectl apply --validate=strict`: a field the schema does not
 * declare is an error (every object schema with `properties` gets
 * `additionalProperties: false`; Kubernetes would silently prune it).
 * `x-kubernetes-*` markers and CEL rules are ignored by ajv.
 */
const FIXTURES = join(__dirname, "..", "fixtures");

function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== "object") return schema;
  const s = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([p, ps]) => [p, strict(ps)])) : strict(v)])) as Record<string, unknown>;
  if (s.properties && s.additionalProperties === undefined && s["x-kubernetes-preserve-unknown-fields"] !== true) s.additionalProperties = false;
  return s;
}

export function crdValidator(file: string, version: string) {
  const crd = parse(readFileSync(join(FIXTURES, file), "utf8"));
  const v = crd.spec.versions.find((x: { name: string }) => x.name === version);
  if (!v?.served) throw new Error(`${file}: version ${version} not served`);
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The formats these CRDs use (date-time, ipv4, ipv6, ...) are checked, as the API server does; int32/int64 are OpenAPI's.
  addFormats(ajv);
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  const validate = ajv.compile(strict(v.schema.openAPIV3Schema) as object);
  return {
    group: crd.spec.group as string,
    kind: crd.spec.names.kind as string,
    errors(obj: unknown): string[] {
      return validate(obj) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
    },
  };
}

