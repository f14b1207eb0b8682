/**
 * Imported first by the entry points (`npm run synth`, `cdktf synth` via
 * main.ts, `mimir-ports`); measured in docs/performance.md. In this order:
 * source maps off (before any module registers one), Node's compile cache
 * (before cdktf and the providers load), then node_modules' CommonJS straight
 * to Node instead of through tsx.
 */
import "./source-maps-off";
import "./compile-cache";
import "./plain-node-modules";

export {};
