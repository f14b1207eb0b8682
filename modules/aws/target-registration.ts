import { Construct } from "constructs";
import { Manifest } from "../platform/kubernetes";
export interface TargetGroupBindingProps {
  readonly name: string;
  readonly namespace: string;
  readonly targetGroupArn: string;
  /** The Service whose endpoints become targets. */
  readonly serviceName: string;
  /** Service port, by name or number. */
  readonly servicePort: string | number;
  readonly labels?: Record<string, string>;
}

/**
 * Registers the Service's pod IPs in the target group through the AWS Load
 * Balancer Controller's TargetGroupBinding (the controller must be installed).
 * Security group rules are ours, so the binding does not manage networking.
 */
export class MimirTargetGroupBinding extends Construct {
  readonly manifest: Manifest;
  constructor(scope: Construct, id: string, props: TargetGroupBindingProps) {
    super(scope, id);
    this.manifest = new Manifest(this, "binding", {
      manifest: {
        apiVersion: "elbv2.k8s.aws/v1beta1",
        kind: "TargetGroupBinding",
        metadata: { name: props.name, namespace: props.namespace, labels: props.labels ?? {} },
        spec: {
          targetGroupARN: props.targetGroupArn,
          targetType: "ip",
          serviceRef: { name: props.serviceName, port: props.servicePort },
        },
      },
    });
  }
}
