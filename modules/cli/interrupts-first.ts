/**
 * Imported first by bin/synth.ts, before anything else loads: from here on an
 * interrupt exits 128+signal after the registered clean-ups (see interrupts.ts).
 */
import { debugMarker, installInterruptHandlers } from "./interrupts";

installInterruptHandlers();
debugMarker("interrupts: handlers installed");
