/**
 * Issue 13 adversarial suite: legitimate neighbours (see ./README.md). Each
 * must synthesize with `app.synth()` and `mimir-ports check` must exit 0.
 */
import { NEIGHBOURS } from "./cases/neighbours";
import { describeNeighbours } from "./harness";

describeNeighbours("legitimate neighbours synthesize and check clean", NEIGHBOURS);
