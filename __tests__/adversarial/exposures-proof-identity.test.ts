/** Issue 30 items 1-3 (./cases/proof-identity.ts): who is Mimir, who is a member, who is the load balancer. */
import { IDENTITY_EXPOSURES, IDENTITY_NEIGHBOURS, LOAD_BALANCER_EXPOSURES, LOAD_BALANCER_NEIGHBOURS } from "./cases/proof-identity";
import { CHART_OBJECT_EXPOSURES, CHART_OBJECT_NEIGHBOURS } from "./cases/proof-chart-objects";
import { ENDPOINT_SERVICE_EXPOSURES, ENDPOINT_SERVICE_NEIGHBOURS } from "./cases/proof-endpoint-service";
import { describeExposures, describeNeighbours } from "./harness";

jest.setTimeout(60_000);
describeExposures([...IDENTITY_EXPOSURES, ...LOAD_BALANCER_EXPOSURES, ...ENDPOINT_SERVICE_EXPOSURES, ...CHART_OBJECT_EXPOSURES]);
describeNeighbours("issue 30 identity neighbours synthesize and check clean", [...IDENTITY_NEIGHBOURS, ...LOAD_BALANCER_NEIGHBOURS, ...ENDPOINT_SERVICE_NEIGHBOURS, ...CHART_OBJECT_NEIGHBOURS]);
