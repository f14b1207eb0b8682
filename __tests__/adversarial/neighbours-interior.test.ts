/** Issue 20 adversarial suite: legitimate interior neighbours synthesize and check clean (see ./cases/interior.ts). */
import { INTERIOR_NEIGHBOURS } from "./cases/interior";
import { describeNeighbours } from "./harness";

jest.setTimeout(60_000);
describeNeighbours("legitimate interior neighbours synthesize and check clean", INTERIOR_NEIGHBOURS);
