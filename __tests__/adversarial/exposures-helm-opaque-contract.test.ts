/**
 * Issue 13 adversarial suite: exposures (see ./README.md). Each case builds a
 * real cdktf App plus an attacker's resources and expects app.synth() to refuse
 * and `mimir-ports check` to exit 1, both naming the rule, source and Mimir port.
 */
import { CONTRACT_EXPOSURES } from "./cases/contract";
import { HELM_EXPOSURES } from "./cases/helm";
import { OPAQUE_EXPOSURES } from "./cases/opaque";
import { describeExposures } from "./harness";

describeExposures([...HELM_EXPOSURES, ...OPAQUE_EXPOSURES, ...CONTRACT_EXPOSURES]);
