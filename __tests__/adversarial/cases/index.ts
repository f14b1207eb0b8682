import { AWS_EXPOSURES } from "./aws";
import type { SynthCase } from "../harness";

export const ALL_EXPOSURES: SynthCase[] = [...AWS_EXPOSURES];
