/**
 * `npm run synth`: the main job. Validates every environment, synthesizes
 * cdktf.out/stacks/<env> and prints a short exposure summary. On bad input it
 * prints one line per problem, exits 1 and leaves cdktf.out untouched.
 *
 *   npm run synth                                  # the reference environments in main.ts
 *   npm run synth -- --environments envs.json      # or a .json/.ts file exporting `environments`
 *   npm run synth -- --outdir out                  # default: cdktf.out (or $CDKTF_OUTDIR)
 *   npm run synth -- --app my-app.ts               # a module exporting buildApp(outdir, inputs?) (default: ./main.ts)
 *   npm run synth -- --report                      # write the output and findings even when the policy refuses (exit 1)
 *                                                  # (or MIMIR_PORTS_SYNTH_REPORT=1)
 */

import "../modules/cli/interrupts-first"; // first, before any work: an interrupt at any moment exits 128+n, no temporary folder left
import "../modules/platform/fast-start"; // see the file (README, "Performance")
import { runSynth } from "../modules/cli/synth-command";

void runSynth(process.argv.slice(2));
