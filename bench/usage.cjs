// Preloaded into every measured node process (NODE_OPTIONS=--require): on exit,
// append this process's peak RSS (KiB) and CPU time (user + system, µs) to
// $BENCH_USAGE_FILE. One line per process.
const fs = require("node:fs");
const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on("exit", () => {
    try {
      const u = process.resourceUsage();
      fs.appendFileSync(file, `${process.pid} ${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}\n`);
    } catch {
      // measuring must never change the outcome
    }
  });
}
