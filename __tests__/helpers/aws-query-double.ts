/**
 * A loopback stand-in for the EC2 and ELBv2 APIs (the query protocol: form-encoded POSTs, XML answers),
 * serving describe calls from JSON in the APIs' own field names. The XML is written from the SDK's own
 * response schemas (member and list item names), so the real SDK clients parse it as they parse AWS.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

type Schema = unknown;
const resolve = (s: Schema): any => (typeof s === "function" ? (s as () => Schema)() : s);
const escape = (v: string) => v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A member entry is `[schema, traits]` or the schema itself. */
function member(m: Schema): { schema: Schema; xmlName?: string } {
  if (Array.isArray(m) && m.length === 2 && (m[1] === undefined || (typeof m[1] === "object" && !Array.isArray(m[1])))) return { schema: m[0], xmlName: (m[1] as { xmlName?: string } | undefined)?.xmlName };
  return { schema: m };
}

function members(value: Record<string, unknown>, struct: any[]): string {
  const names: string[] = struct[4];
  return Object.entries(value)
    .filter(([k, v]) => names.includes(k) && v !== undefined && v !== null)
    .map(([k, v]) => {
      const m = member(struct[5][names.indexOf(k)]);
      return element(v, m.schema, m.xmlName ?? k);
    })
    .join("");
}

function element(value: unknown, schema: Schema, name: string): string {
  const s = resolve(schema);
  if (Array.isArray(s) && s[0] === 3 && s.length >= 6) return `<${name}>${members(value as Record<string, unknown>, s)}</${name}>`;
  if (Array.isArray(s) && s[0] === 1 && s.length >= 5) {
    const item = member(s[4]);
    return `<${name}>${(value as unknown[]).map((v) => element(v, item.schema, item.xmlName ?? "member")).join("")}</${name}>`;
  }
  return `<${name}>${escape(value instanceof Date ? value.toISOString() : String(value))}</${name}>`;
}

export interface QueryCall {
  readonly action: string;
  readonly params: URLSearchParams;
}
/** What an action answers: the response fields (JSON, as the API names them), or an error code. */
export type Answer = { readonly body: Record<string, unknown> } | { readonly error: string; readonly status: number };

export async function startQueryDouble(answer: (call: QueryCall) => Answer | undefined): Promise<{ server: Server; url: string; calls: QueryCall[] }> {
  const ec2 = require("@aws-sdk/client-ec2") as Record<string, unknown>;
  const elb = require("@aws-sdk/client-elastic-load-balancing-v2") as Record<string, unknown>;
  const calls: QueryCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const params = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const action = params.get("Action") ?? "";
      calls.push({ action, params });
      const isEc2 = `${action}Result$` in ec2;
      const out = answer({ action, params });
      const xmlns = isEc2 ? "http://ec2.amazonaws.com/doc/2016-11-15/" : "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
      res.setHeader("content-type", "text/xml");
      if (!out || "error" in out) {
        const code = out && "error" in out ? out.error : "InvalidAction";
        res.statusCode = out && "error" in out ? out.status : 400;
        res.end(isEc2 ? `<Response><Errors><Error><Code>${code}</Code><Message>${code} for ${action}</Message></Error></Errors><RequestID>r-1</RequestID></Response>` : `<ErrorResponse xmlns="${xmlns}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${code} for ${action}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`);
        return;
      }
      const schema = resolve(isEc2 ? ec2[`${action}Result$`] : elb[`${action}Output$`]);
      const inner = members(out.body, schema);
      res.end(isEc2 ? `<${action}Response xmlns="${xmlns}"><requestId>r-1</requestId>${inner}</${action}Response>` : `<${action}Response xmlns="${xmlns}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></${action}Response>`);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}
