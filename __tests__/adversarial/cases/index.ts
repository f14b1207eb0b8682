import type { SynthCase } from "../harness";
import { AWS_EXPOSURES } from "./aws";
import { CONTRACT_EXPOSURES } from "./contract";
import { HELM_EXPOSURES } from "./helm";
import { KUBERNETES_EXPOSURES } from "./kubernetes";
import { OPAQUE_EXPOSURES } from "./opaque";

/** Every synth-driven exposure, one table. */
export const ALL_EXPOSURES: SynthCase[] = [...AWS_EXPOSURES, ...KUBERNETES_EXPOSURES, ...HELM_EXPOSURES, ...OPAQUE_EXPOSURES, ...CONTRACT_EXPOSURES];
