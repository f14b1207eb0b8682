/** Issue 27: MP018 judges each per-group route by its ways in (./cases/proof-route-ways.ts); neighbours pass both. */
import { ROUTE_WAY_EXPOSURES, ROUTE_WAY_NEIGHBOURS } from "./cases/proof-route-ways";
import { describeExposures, describeNeighbours } from "./harness";

jest.setTimeout(60_000);
describeExposures(ROUTE_WAY_EXPOSURES);
describeNeighbours("issue 27 per-group routes: the designed mixed shapes synthesize and check clean", ROUTE_WAY_NEIGHBOURS);
