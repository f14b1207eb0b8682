/**
 * A validated environment (what defineEnvironment returns). The type lives on
 * its own so the layers that read environments (helm, aws, kubernetes) import
 * it without importing the resolver, which itself checks chart values.
 */
import type { PortContract } from "../contract/port-contract";
import type { AuthSettings } from "./auth";
import type { ClientClass } from "./clients";
import type { Component } from "./components";
import type { ResolvedEntry } from "./entry";
import type { ParsedEnvironment } from "./schema";
import type { Storage } from "./storage";
import type { Stage } from "./checks/dataguards";

export interface Environment extends Omit<ParsedEnvironment, "components" | "ports" | "helm" | "serviceOwnership" | "loadBalancer" | "storage" | "entry" | "auth" | "clients" | "stage"> {
  /** What the environment is for: dev, staging or production (see schema.ts `stage`). */
  readonly stage: Stage;
  /** Settings that are allowed but weaken the deployment, in words (printed by synth, never fatal; e.g. an unpinned CA bundle, monitoring by namespace, node-group mode); entry warnings are in `entry.warnings`. */
  readonly warnings: readonly string[];
  /** S3 buckets and the pods' AWS identity, resolved (absent: no buckets, the chart's defaults). */
  readonly storage?: Storage;
  /** The entry path, resolved: kind, the public routes served, hosts, Gateway, operator access. */
  readonly entry: ResolvedEntry;
  /** Who may use the entry; `none` when unauthenticated (see config/auth.ts). With `clients`: the first class that names a tenant (it sets Mimir's tenancy), else the first class. */
  readonly auth: AuthSettings;
  /** The client classes (one, `default`, made from `auth` when `clients` is not set): each its authentication and API groups. */
  readonly clients: readonly ClientClass[];
  readonly serviceOwnership: "helm" | "external";
  /** `redirectHttp` resolved: true when a plain-HTTP redirect listener exists (ALB only). */
  readonly loadBalancer: Omit<ParsedEnvironment["loadBalancer"], "redirectHttp"> & { readonly redirectHttp: boolean };
  readonly contract: PortContract;
  /** Enabled components (microservices mode); empty in monolithic mode. */
  readonly components: readonly Component[];
  /** The chart's fullname: the release when it contains "mimir", else `<release>-mimir`. */
  readonly fullname: string;
  readonly deletionProtection: boolean;
  /** Port the load balancer's target group sends traffic to. */
  readonly targetPort: number;
  /** S3 key of this environment's Terraform state. */
  readonly stateKey: string;
  readonly helm: { readonly install: boolean; readonly chartVersion?: string; readonly values: Record<string, unknown> };
}
