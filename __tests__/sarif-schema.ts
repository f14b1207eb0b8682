import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

/** Validates against the official SARIF 2.1.0 (rtm.5) JSON schema, shipped by @microsoft/jest-sarif. */
const schema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }) // the official schema has a pattern invalid under the u flag;
addFormats(ajv);
const validate = ajv.compile(schema);

export function sarifErrors(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
