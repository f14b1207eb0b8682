/**
 * Issue 20 items 6-8 (./cases/policyscope.ts): every refused case is refused by
 * `app.synth()` and by `mimir-ports check` on every stack the app wrote (as
 * cdktf would have written them), both naming rule, source, port and resource;
 * every accepted case passes both.
 */
import { ACKNOWLEDGEMENT_CASES, PER_PORT_CASES, PLAIN_STACK_EXPOSURES, PLAIN_STACK_NEIGHBOURS } from "./cases/policyscope";
import { describeAppCases } from "./app-harness";

describeAppCases("policyscope", [...PLAIN_STACK_EXPOSURES, ...PLAIN_STACK_NEIGHBOURS, ...ACKNOWLEDGEMENT_CASES, ...PER_PORT_CASES]);
