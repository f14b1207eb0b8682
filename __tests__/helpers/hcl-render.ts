import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A reader for the k2tf-style Terraform the vendored chart render is written
 * in (__tests__/fixtures/chart6-render): `resource "type" "name" {`, nested
 * blocks `name {`, attributes `key = value` (JSON-like scalars and lists) and
 * maps `key = {` with one `key = value` per line. Enough for that file, not HCL.
 */
export interface HclBlock {
  readonly attrs: Record<string, unknown>;
  readonly blocks: Record<string, HclBlock[]>;
}
export interface HclResource extends HclBlock {
  readonly type: string;
  readonly name: string;
}

const scalar = (raw: string): unknown => {
  const text = raw.trim();
  if (text === "{}") return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};
const mapKey = (raw: string) => (raw.startsWith('"') ? (JSON.parse(raw) as string) : raw);

export function parseRender(text: string): HclResource[] {
  const out: HclResource[] = [];
  const stack: HclBlock[] = [];
  let map: Record<string, unknown> | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    if (map) {
      if (line === "}") map = undefined;
      else {
        const m = /^("[^"]*"|[^\s=]+)\s*=\s*(.+)$/.exec(line);
        if (m) map[mapKey(m[1])] = scalar(m[2]);
      }
      continue;
    }
    const resource = /^resource "([^"]+)" "([^"]+)" \{$/.exec(line);
    if (resource) {
      const r: HclResource = { type: resource[1], name: resource[2], attrs: {}, blocks: {} };
      out.push(r);
      stack.push(r);
      continue;
    }
    if (line === "}") {
      stack.pop();
      continue;
    }
    const top = stack[stack.length - 1];
    const block = /^([a-z_]+) \{$/.exec(line);
    if (block) {
      const b: HclBlock = { attrs: {}, blocks: {} };
      (top.blocks[block[1]] ??= []).push(b);
      stack.push(b);
      continue;
    }
    const mapStart = /^([a-z_]+)\s*=\s*\{$/.exec(line);
    if (mapStart) {
      map = {};
      top.attrs[mapStart[1]] = map;
      continue;
    }
    const attr = /^([a-z_]+)\s*=\s*(.+)$/.exec(line);
    if (attr) top.attrs[attr[1]] = scalar(attr[2]);
  }
  return out;
}

export const CHART6_RENDER_DIR = join(__dirname, "..", "fixtures", "chart6-render");

/** Every resource of the vendored render (Services, StatefulSets, Deployments). */
export function chart6Render(): HclResource[] {
  return ["service.tf", "statefulset.tf", "deployment.tf"].flatMap((f) => parseRender(readFileSync(join(CHART6_RENDER_DIR, f), "utf8")));
}

/** The one nested block at `path` (first of each), or undefined. */
export function blockAt(b: HclBlock | undefined, ...path: string[]): HclBlock | undefined {
  return path.reduce<HclBlock | undefined>((acc, key) => acc?.blocks[key]?.[0], b);
}
