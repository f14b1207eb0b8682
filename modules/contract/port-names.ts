/** The names of Mimir's internal ports (their numbers live in port-contract.ts). */
export type InternalPortName = "http" | "grpc" | "memberlist";
export const INTERNAL_PORT_NAMES: readonly InternalPortName[] = ["http", "grpc", "memberlist"];
