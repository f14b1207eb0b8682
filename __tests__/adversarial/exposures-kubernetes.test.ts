/**
 * Issue 13 adversarial suite: exposures (see ./README.md). Each case builds a
 * real cdktf App plus an attacker's resources and expects app.synth() to refuse
 * and `mimir-ports check` to exit 1, both naming the rule, source and Mimir port.
 */
import { KUBERNETES_EXPOSURES } from "./cases/kubernetes";
import { describeExposures } from "./harness";

describeExposures(KUBERNETES_EXPOSURES);
