import { Construct } from "constructs";
import { Route53Record } from "../platform/aws";
import { Wafv2WebAclAssociation } from "../platform/aws";
import type { Lb } from "../platform/aws";
/** A Route 53 alias record pointing the host at the load balancer. */
export class MimirDnsAlias extends Construct {
  constructor(scope: Construct, id: string, props: { readonly zoneId: string; readonly host: string; readonly lb: Lb }) {
    super(scope, id);
    new Route53Record(this, "alias", {
      zoneId: props.zoneId,
      name: props.host,
      type: "A",
      alias: { name: props.lb.dnsName, zoneId: props.lb.zoneId, evaluateTargetHealth: true },
    });
  }
}

/** Associates a WAFv2 web ACL with an application load balancer. */
export class MimirWafAssociation extends Construct {
  constructor(scope: Construct, id: string, props: { readonly webAclArn: string; readonly lb: Lb }) {
    super(scope, id);
    new Wafv2WebAclAssociation(this, "association", { resourceArn: props.lb.arn, webAclArn: props.webAclArn });
  }
}
