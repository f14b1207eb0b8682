/** Issue 30 item 4 (./cases/proof-gateway.ts): ReferenceGrants decide cross-namespace backendRefs. */
import { GATEWAY_EXPOSURES, GATEWAY_NEIGHBOURS } from "./cases/proof-gateway";
import { describeExposures, describeNeighbours } from "./harness";

jest.setTimeout(60_000);
describeExposures(GATEWAY_EXPOSURES);
describeNeighbours("issue 30 Gateway API neighbours synthesize and check clean", GATEWAY_NEIGHBOURS);
