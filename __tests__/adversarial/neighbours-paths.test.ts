/** Issue 20: legitimate neighbours of the path and endpoint classes synthesize and check clean (see ./cases/paths.ts). */
import { PATH_NEIGHBOURS } from "./cases/paths";
import { describeNeighbours } from "./harness";

describeNeighbours("legitimate path neighbours synthesize and check clean", PATH_NEIGHBOURS);
