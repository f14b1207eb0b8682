/** Issue 30 items 5 and 6 (./cases/proof-semantics.ts): refused at synth and by check; neighbours pass both. */
import { SEMANTICS_EXPOSURES, SEMANTICS_NEIGHBOURS } from "./cases/proof-semantics";
import { describeExposures, describeNeighbours } from "./harness";

jest.setTimeout(60_000);
describeExposures(SEMANTICS_EXPOSURES);
describeNeighbours("issue 30 semantics neighbours synthesize and check clean", SEMANTICS_NEIGHBOURS);
