import { Construct } from "constructs";
import { ServiceV1 } from "../platform/kubernetes";
import { HEADLESS_COMPONENTS, PUBLISH_NOT_READY_HEADLESS } from "../config/components";
import type { Environment } from "../config/environment";
import { containerPortName } from "../helm/chart-pods";
import {
  commonLabels,
  componentSelector,
  gossipRingServiceName,
  headlessServiceName,
  monolithicServiceName,
  MONOLITHIC_COMPONENT,
  ringMemberSelector,
  serviceName,
} from "./naming";
import { recordContractUse } from "../contract/contract-hook";
import type { InternalPort, PortContract } from "../contract/port-contract";

/**
 * A Service's ports for one contract port: the port Mimir listens on under
 * the chart's name, and during a transition the other number too
 * (`grpc-9096`). Every one targets the container port by name, so each
 * endpoint resolves to the number its own pod listens on: mid-rollout, old
 * pods are reached on the old number and new pods on the new one, whichever
 * Service port a client dials.
 */
export function servicePorts(contract: PortContract, p: InternalPort): Array<{ name: string; port: number; protocol: "TCP" }> {
  return contract.admitted(p.name).map((port) => ({ name: port === p.port ? p.k8sName : `${p.k8sName}-${port}`, port, protocol: p.protocol }));
}

/**
 * Services with the chart's names, ports and selectors, for `external`
 * ownership (Mimir deployed by other means). All ClusterIP or headless: no
 * Service carrying a contract port is ever LoadBalancer or NodePort, and none
 * has external IPs.
 */
export class MimirServices extends Construct {
  readonly services: ServiceV1[] = [];

  constructor(scope: Construct, id: string, props: { readonly environment: Environment; readonly namespace: string }) {
    super(scope, id);
    const env = props.environment;
    recordContractUse(this, env);
    const { http, grpc, memberlist } = env.contract;
    const ports = [http, grpc].flatMap((p) => servicePorts(env.contract, p).map((s) => ({ ...s, targetPort: p.k8sName })));
    const labels = commonLabels(env);

    const add = (id: string, name: string, component: string, opts: { headless?: boolean; publishNotReady?: boolean } = {}) =>
      this.services.push(
        new ServiceV1(this, id, {
          metadata: { name, namespace: props.namespace, labels: { ...labels, "app.kubernetes.io/component": component } },
          spec: {
            type: "ClusterIP",
            ...(opts.headless ? { clusterIp: "None" } : {}),
            ...(opts.publishNotReady ? { publishNotReadyAddresses: true } : {}),
            selector: componentSelector(env.release, component),
            port: ports,
          },
        }),
      );

    if (env.deploymentMode === "monolithic") {
      add("mimir", monolithicServiceName(env.fullname), MONOLITHIC_COMPONENT);
      add("mimir-headless", monolithicServiceName(env.fullname, true), MONOLITHIC_COMPONENT, { headless: true });
    } else {
      for (const component of env.components) {
        add(component, serviceName(env.fullname, component), component);
        if (HEADLESS_COMPONENTS.includes(component)) {
          add(`${component}-headless`, headlessServiceName(env.fullname, component), component, { headless: true, publishNotReady: PUBLISH_NOT_READY_HEADLESS.includes(component) });
        }
      }
    }

    // The gossip ring: headless, TCP only, appProtocol tcp (needed under Istio); it targets the containers' `memberlist` port.
    this.services.push(
      new ServiceV1(this, "gossip-ring", {
        metadata: { name: gossipRingServiceName(env.fullname), namespace: props.namespace, labels: { ...labels, "app.kubernetes.io/component": "gossip-ring" } },
        spec: {
          type: "ClusterIP",
          clusterIp: "None",
          publishNotReadyAddresses: true,
          selector: ringMemberSelector(env.release),
          port: servicePorts(env.contract, memberlist).map((s) => ({ ...s, targetPort: containerPortName(memberlist), appProtocol: "tcp" })),
        },
      }),
    );
  }
}
