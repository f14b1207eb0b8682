/**
 * The consumer case of `npm run bench`: the packed library installed into a fresh app (a temporary folder, from
 * the registry, as scripts/smoke-kit.ts installs the smokes' apps), whose main.ts synthesizes the reference
 * environments (main.ts's `environments`, written into the app as a TypeScript module) with cdktf's App and
 * `MimirStack`, run as a plain app runs: `node --import tsx main.ts`, nothing before it (source maps stay as tsx
 * sets them, none of our start-up). The floor and the same-output peer are written into the same app and run the
 * same way (start-up "none"), so all three load cdktf and the providers from the same node_modules.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { environments } from "../main";
import { DEV_VERSIONS, installApp, packTarball } from "../scripts/smoke-kit";

/** Pack, install into a fresh app, write its main.ts; the app's folder (the caller removes it). */
export function writeConsumerApp(): string {
  const work = mkdtempSync(join(tmpdir(), "mimir-bench-consumer-"));
  const tarball = packTarball(work);
  const app = join(work, "app");
  installApp(app, {
    "mimir-port-contract": `file:${join(work, tarball)}`,
    cdktf: DEV_VERSIONS.cdktf,
    constructs: DEV_VERSIONS.constructs,
    "@cdktf/provider-aws": DEV_VERSIONS["@cdktf/provider-aws"],
    "@cdktf/provider-kubernetes": DEV_VERSIONS["@cdktf/provider-kubernetes"],
    "@cdktf/provider-helm": DEV_VERSIONS["@cdktf/provider-helm"],
    tsx: DEV_VERSIONS.tsx,
  });
  writeFileSync(join(app, "environments.ts"), `import type { EnvironmentInput } from "mimir-port-contract";\n\nexport const environments: EnvironmentInput[] = ${JSON.stringify(environments, null, 2)};\n`);
  writeFileSync(
    join(app, "main.ts"),
    [
      `import { App } from "cdktf";`,
      `import { MimirStack } from "mimir-port-contract";`,
      `import { environments } from "./environments";`,
      ``,
      `const app = new App({ outdir: process.argv[2] });`,
      `for (const environment of environments) new MimirStack(app, environment.name, { environment });`,
      `app.synth();`,
      ``,
    ].join("\n"),
  );
  return app;
}
