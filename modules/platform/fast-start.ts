/**
 * Imported first by the entry points (`npm run synth`, `cdktf synth` via
 * main.ts, `mimir-ports`); measured in docs/performance.md. In this order:
 * source maps off (before any module registers one), Node's compile cache
 * (before cdktf and the providers load), node_modules' CommonJS straight to
 * Node instead of through tsx, and cdktf's token creation stacks only when
 * debugging.
 */
import "./source-maps-off";
import "./compile-cache";
import "./plain-node-modules";
import { dropTokenTraces } from "./token-traces";

dropTokenTraces();
