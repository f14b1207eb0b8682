/**
 * Fetch the pinned mimir-distributed chart (with its subcharts) from the
 * chart's official repository into the cache the render tests read:
 *   npm run chart:pull
 * Needs network once; the render tests then run offline. CI runs it before
 * `npm test` and sets MIMIR_RENDER_REQUIRED=1 so a missing chart fails.
 */
import { mkdirSync, rmSync } from "node:fs";
import { MIMIR_CHART } from "../../modules/helm/chart";
import { CHART_CACHE_DIR, findPinnedChart, runHelm } from "./helm";

rmSync(CHART_CACHE_DIR, { recursive: true, force: true });
mkdirSync(CHART_CACHE_DIR, { recursive: true });
runHelm(["pull", MIMIR_CHART.name, "--repo", MIMIR_CHART.repository, "--version", MIMIR_CHART.version, "--untar", "--untardir", CHART_CACHE_DIR]);
const dir = findPinnedChart();
if (!dir) {
  console.error(`chart:pull: ${CHART_CACHE_DIR} does not hold ${MIMIR_CHART.name} ${MIMIR_CHART.version}`);
  process.exit(1);
}
console.log(`${MIMIR_CHART.name} ${MIMIR_CHART.version} in ${dir}`);
