/**
 * `--kube-context NAME`: the same Lists `kubectl get <kinds> -A -o json` prints, read with
 * `@kubernetes/client-node`'s kubeconfig handling (contexts, certificates, tokens, exec plugins) and
 * plain GETs of the list endpoints (read-only: get/list, paged). A kind the cluster does not serve (404)
 * has no objects; one it refuses (403) is missing, so unknown.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest, type RequestOptions } from "node:https";
import { InputError } from "../exposure/terraform-json";
import { itemsOf } from "./kube-files";
import { KUBE_READS, listPath } from "./kube-kinds";
import type { ApiObject, Missing } from "./live-state";
import { optionalPeer } from "./optional-peer";

type KubeConfig = import("@kubernetes/client-node").KubeConfig;

export async function readKubeLive(context: string, kubeconfig?: string): Promise<{ objects: ApiObject[]; missing: Missing[] }> {
  const k8s = await optionalPeer(() => import("@kubernetes/client-node"), "@kubernetes/client-node", "--kube-context");
  const kc: KubeConfig = new k8s.KubeConfig();
  try {
    if (kubeconfig) kc.loadFromFile(kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    throw new InputError(`--kube-context ${context}: cannot load the kubeconfig (${(err as Error).message.split("\n")[0]})`);
  }
  if (!kc.getContextObject(context)) throw new InputError(`--kube-context ${context}: no such context in the kubeconfig (contexts: ${kc.getContexts().map((c) => c.name).join(", ") || "none"})`);
  kc.setCurrentContext(context);
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new InputError(`--kube-context ${context}: its cluster has no server address`);
  const objects: ApiObject[] = [];
  const missing: Missing[] = [];
  for (const read of KUBE_READS) {
    for (const kind of read.kinds) {
      const got = await listAll(kc, server, listPath(kind));
      if (got.status === 404) continue;
      if (got.status !== 200) {
        missing.push({ source: `context ${context}: ${kind} (HTTP ${got.status}${got.reason ? `: ${got.reason}` : ""})`, shows: read.shows });
        continue;
      }
      objects.push(...got.items);
    }
  }
  return { objects, missing };
}

async function listAll(kc: KubeConfig, server: string, path: string): Promise<{ status: number; reason?: string; items: ApiObject[] }> {
  const items: ApiObject[] = [];
  let token: string | undefined;
  // Bounded: 200 pages of 500.
  for (let page = 0; page < 200; page++) {
    const url = new URL(`${server.replace(/\/$/, "")}${path}`);
    url.searchParams.set("limit", "500");
    if (token) url.searchParams.set("continue", token);
    const res = await get(kc, url);
    if (res.status !== 200) return { status: res.status, reason: res.reason, items };
    const list = JSON.parse(res.body) as ApiObject;
    items.push(...itemsOf(list, url.pathname));
    token = list.metadata?.continue || undefined;
    if (!token) break;
  }
  return { status: 200, items };
}

async function get(kc: KubeConfig, url: URL): Promise<{ status: number; reason?: string; body: string }> {
  const opts: RequestOptions = { method: "GET", headers: { Accept: "application/json" } };
  try {
    await kc.applyToHTTPSOptions(opts);
  } catch (err) {
    throw new InputError(`${url.origin}: the kubeconfig's credentials for this context cannot be applied (${(err as Error).message.split("\n")[0]})`);
  }
  const request = url.protocol === "http:" ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { ...opts, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        let reason: string | undefined;
        if (res.statusCode !== 200) {
          try {
            reason = String(JSON.parse(body).message ?? "");
          } catch {
            reason = undefined;
          }
        }
        resolve({ status: res.statusCode ?? 0, reason, body });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`timed out reading ${url.pathname}`)));
    req.on("error", (err) => reject(new InputError(`${url.origin}${url.pathname}: ${err.message}`)));
    req.end();
  });
}
