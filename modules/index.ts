/**
 * Public API. Import from "mimir-port-contract" in your own cdktf app:
 *
 *   import { MimirStack } from "mimir-port-contract";
 *   new MimirStack(app, { environment: { name: "prod", ... } });
 */
export { PortContract, INTERNAL_PORT_NAMES, isValidPortNumber } from "./contract/port-contract";
export type { InternalPort, InternalPortName, PortOverrides, PublicPorts, DependencyPorts, PortContractOptions } from "./contract/port-contract";
export { ConfigError, formatProblem } from "./contract/problems";
export type { Problem } from "./contract/problems";

export { defineEnvironment, defineEnvironments } from "./config/environment";
export type { Environment, EnvironmentInput } from "./config/environment";
export { COMPONENTS, CORE_COMPONENTS } from "./config/components";
export type { Component } from "./config/components";

export { MimirStack } from "./stack/mimir-stack";
export type { MimirStackProps } from "./stack/mimir-stack";
export type { AccountInputs } from "./stack/inputs";
export { ContractPolicy } from "./stack/contract-policy";

export { MimirAwsEdge, edgeName } from "./aws/mimir-aws-edge";
export { MimirSecurityGroups } from "./aws/security-groups";
export type { MimirSecurityGroupsProps } from "./aws/security-groups";
export { MimirLoadBalancer, DEFAULT_SSL_POLICY } from "./aws/load-balancer";
export type { MimirLoadBalancerProps } from "./aws/load-balancer";
export { MimirTargetGroupBinding } from "./aws/target-registration";
export { MimirDnsAlias, MimirWafAssociation } from "./aws/edge-extras";
export { Peer } from "./aws/peer";
export { MimirSecurityGroupPolicy } from "./aws/pod-security-group";
export { attachMembersGroup } from "./aws/pod-security-groups";
export { MimirStorage } from "./storage/mimir-storage";
export { MimirBucket } from "./storage/bucket";
export type { Storage, StorageInput } from "./config/storage";
export { storageValues, mimirStorageConfig } from "./helm/storage-values";
export { MimirListenerAuth, withAuthActions } from "./aws/auth/listener-auth";
export { MimirTrustStore } from "./aws/auth/trust-store";
export { MimirRouteSecurityPolicies, routePolicies, routeSecurityPolicy } from "./kubernetes/auth/security-policy";
export { AUTH_MODES, TENANT_HEADER } from "./config/auth";
export type { AuthInput, AuthMode, AuthSettings } from "./config/auth";
export { mp018, describeEntryAuth, AUTH_RULE_ID } from "./policy/auth-rule";

export { MimirKubernetes } from "./kubernetes/mimir-kubernetes";
export { MimirServices } from "./kubernetes/services";
export { MimirIngress } from "./kubernetes/ingress";
export { MimirNetworkPolicies } from "./kubernetes/network-policies";
export { publicBackendRoutes, operatorBackendRoutes } from "./kubernetes/routes";
export type { BackendRoute } from "./kubernetes/routes";
export { MimirGatewayApi, httpRouteSpec, gatewaySpec } from "./kubernetes/gateway-api";
export { PUBLIC_ROUTES, PUBLIC_API_GROUPS, DEFAULT_PUBLIC_API_GROUPS, publicRoutes, routeFor, isPublicPath, READ_ONLY_OF, HTTP_METHODS } from "./contract/public-api";
export { MIMIR_HTTP_API } from "./contract/http-api";
export { MimirListenerRules, albPathPatterns } from "./aws/listener-rules";
export type { ResolvedEntry, EntryKind, EntryRoute } from "./config/entry";

export { mimirValues, mimirValuesYaml, baseValues, checkUserValues } from "./helm/values";
export { MimirHelmRelease } from "./helm/release";
export { MIMIR_CHART } from "./helm/chart";

export { buildModel } from "./exposure/model";
export type { ExposureModel } from "./exposure/model";
export { fromPlan, fromSynthesized, CONTRACT_OUTPUT } from "./exposure/terraform-json";
export { RULES } from "./policy/rules";
export { evaluate, failing, formatFinding } from "./policy/evaluate";
export type { Finding, Severity, Rule } from "./policy/types";

// The review and reading synthesized output back (mimir-ports review / check) are not on a synth's path: loaded on
// first call, so an app that only synthesizes never loads them (docs/performance.md, "The consumer case").
import type * as Load from "./exposure/load";
import type * as Report from "./review/report";
import type * as Markdown from "./review/markdown";
import type * as JsonReport from "./review/json";
import type * as Sarif from "./review/sarif";
export const loadStacks: typeof Load.loadStacks = (...args) => (require("./exposure/load") as typeof Load).loadStacks(...args);
export const buildReview: typeof Report.buildReview = (...args) => (require("./review/report") as typeof Report).buildReview(...args);
export const renderMarkdown: typeof Markdown.renderMarkdown = (...args) => (require("./review/markdown") as typeof Markdown).renderMarkdown(...args);
export const renderJson: typeof JsonReport.renderJson = (...args) => (require("./review/json") as typeof JsonReport).renderJson(...args);
export const renderSarif: typeof Sarif.renderSarif = (...args) => (require("./review/sarif") as typeof Sarif).renderSarif(...args);

export { synthWithPolicy, policyFindings, testStack, TEST_ACCOUNT_INPUTS } from "./testing";
// runAppSynth prints the synth summary (review/summary): loaded when an app calls it, not when it imports the entry.
import type * as SynthApp from "./cli/synth-app";
export const runAppSynth: typeof SynthApp.runAppSynth = (...args) => (require("./cli/synth-app") as typeof SynthApp).runAppSynth(...args);
export type { TestStackOptions } from "./testing";
export type { NeighbourPortName } from "./contract/port-contract";
