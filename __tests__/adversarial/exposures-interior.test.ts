/** Issue 20 adversarial suite: untrusted sources inside the cluster (see ./cases/interior.ts). */
import { INTERIOR_EXPOSURES } from "./cases/interior";
import { describeExposures } from "./harness";

jest.setTimeout(60_000);
describeExposures(INTERIOR_EXPOSURES);
