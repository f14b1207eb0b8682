export { MimirGatewayApi } from "./mimir-gateway-api";
export { httpRouteSpec, gatewaySpec, GATEWAY_API_VERSION, GATEWAY_API_GROUP } from "./http-route";
export type { ParentRef, HttpRouteSpecInput, GatewaySpecInput } from "./http-route";
