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
    const ports = [http, grpc].map((p) => ({ name: p.k8sName, port: p.port, targetPort: p.k8sName, protocol: p.protocol }));
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
          port: [{ name: memberlist.k8sName, port: memberlist.port, targetPort: containerPortName(memberlist), protocol: memberlist.protocol, appProtocol: "tcp" }],
        },
      }),
    );
  }
}
