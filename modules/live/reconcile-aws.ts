/**
 * AWS live state against the stack. A live object the stack declares is bound to it (the stack's resource
 * gets the live id or ARN, so live references resolve to it); one it does not declare is added, in the
 * Terraform shape the readers understand. Load balancers the AWS Load Balancer Controller made for a live
 * Service or Ingress are that object's (the Kubernetes reader already reads what they expose).
 */
import type { TfResource } from "../exposure/terraform-json";
import { sgRulesOf, type SgRule } from "../exposure/readers/aws";
import { refOf } from "../exposure/readers/json";
import * as R from "./aws-resources";
import type { LiveResource } from "./kube-resources";
import type { ApiObject, AwsState } from "./live-state";
import type { Provenance } from "./provenance";

export interface AwsOutcome {
  readonly added: LiveResource[];
  /** Stack address → values with the live id/ARN bound. */
  readonly bound: Map<string, Record<string, any>>;
  readonly provenance: Map<string, Provenance>;
  /** Notes for Kubernetes objects: `Service/mimir/debug-lb` → its load balancer. */
  readonly madeFor: Map<string, string[]>;
}

const unresolved = (ref: string) => /^(var|data|local|module)\./.test(ref) || ref.includes("${");
const sanitize = (s: string) => s.replace(/[^a-zA-Z0-9]/g, "");

/** The controller's names: `k8s-<namespace:8>-<name:8>-<hash:10>` (Service, Ingress), or `k8s-<group:8>-<hash>` (IngressGroup). */
function controllerOwner(lbName: string, kube: readonly ApiObject[]): ApiObject | undefined {
  if (!lbName.startsWith("k8s-")) return undefined;
  return kube.find((o) => {
    if (o.kind !== "Ingress" && !(o.kind === "Service" && o.spec?.type === "LoadBalancer")) return false;
    const prefix = `k8s-${sanitize(String(o.metadata?.namespace ?? "")).slice(0, 8)}-${sanitize(String(o.metadata?.name ?? "")).slice(0, 8)}-`;
    const group = o.metadata?.annotations?.["alb.ingress.kubernetes.io/group.name"];
    return lbName.startsWith(prefix) || (typeof group === "string" && lbName.startsWith(`k8s-${sanitize(group).slice(0, 8)}-`));
  });
}

function nameMatches(stack: TfResource, name: string, tags: Record<string, string>): boolean {
  const v = stack.values;
  if (typeof v.name === "string" && !v.name.includes("${")) return v.name === name;
  if (typeof v.name_prefix === "string" && !v.name_prefix.includes("${") && name.startsWith(v.name_prefix)) return true;
  return typeof v.tags?.Name === "string" && v.tags.Name === tags.Name;
}

export function reconcileAws(aws: AwsState, stack: readonly TfResource[], kube: readonly ApiObject[], memberRefs: readonly string[], compare: boolean): AwsOutcome {
  const out: AwsOutcome = { added: [], bound: new Map(), provenance: new Map(), madeFor: new Map() };
  const status = compare ? "out-of-band" : "live";
  const add = (l: LiveResource, notes: string[] = []) => {
    out.added.push(l);
    out.provenance.set(l.resource.address, { status, identity: l.identity, notes });
  };
  const bind = (r: TfResource, values: Record<string, any>) => out.bound.set(r.address, { ...(out.bound.get(r.address) ?? r.values), ...values });
  const of = (...types: string[]) => stack.filter((r) => types.includes(r.type));
  const idToStack = new Map<string, string>();

  // Security groups: by name, name prefix or Name tag.
  for (const sg of aws.securityGroups ?? []) {
    const tags = R.tagsOf(sg.Tags);
    const s = of("aws_security_group").find((r) => nameMatches(r, String(sg.GroupName), tags));
    if (s) {
      bind(s, { id: sg.GroupId });
      idToStack.set(String(sg.GroupId), s.address);
    }
  }
  const ref = (v: unknown) => idToStack.get(String(v)) ?? refOf(v);

  // Load balancers: the stack's by name; a controller's belong to their Service or Ingress; the rest are added.
  const lbNames = new Map<string, string>();
  const addedLbs = new Set<string>();
  const boundLbs = new Map<string, TfResource>();
  for (const lb of aws.loadBalancers ?? []) {
    const name = String(lb.LoadBalancerName);
    lbNames.set(String(lb.LoadBalancerArn), name);
    const s = of("aws_lb", "aws_alb").find((r) => r.values.name === name);
    if (s) {
      bind(s, { arn: lb.LoadBalancerArn });
      boundLbs.set(String(lb.LoadBalancerArn), s);
      continue;
    }
    const owner = controllerOwner(name, kube);
    if (owner) {
      const k = `${String(owner.kind)}/${String(owner.metadata?.namespace)}/${String(owner.metadata?.name)}`;
      out.madeFor.set(k, [...(out.madeFor.get(k) ?? []), `its load balancer ${name} (${String(lb.Type)}, ${String(lb.Scheme)}), made by the AWS Load Balancer Controller`]);
      continue;
    }
    addedLbs.add(String(lb.LoadBalancerArn));
    add(R.loadBalancerResource(lb));
  }

  // Listeners and rules: the stack's by load balancer and port, by listener and priority.
  const listenerText = new Map<string, string>();
  const addedListeners = new Set<string>();
  for (const l of aws.listeners ?? []) {
    const res = R.listenerResource(l, lbNames.get(String(l.LoadBalancerArn)));
    listenerText.set(String(l.ListenerArn), res.identity.text);
    const lb = boundLbs.get(String(l.LoadBalancerArn));
    const s = lb ? of("aws_lb_listener", "aws_alb_listener").find((r) => refOf(r.values.load_balancer_arn) === lb.address && Number(r.values.port) === l.Port) : undefined;
    if (s) {
      bind(s, { arn: l.ListenerArn });
      if (String(s.values.protocol ?? "").toUpperCase() !== String(l.Protocol).toUpperCase()) {
        out.bound.set(s.address, { ...res.resource.values, load_balancer_arn: s.values.load_balancer_arn });
        out.provenance.set(s.address, { status: "drift", identity: res.identity, notes: [`protocol ${String(l.Protocol)}, declared ${String(s.values.protocol)}`] });
      }
      continue;
    }
    if (lb || addedLbs.has(String(l.LoadBalancerArn))) {
      addedListeners.add(String(l.ListenerArn));
      add(res);
    }
  }
  const forwarded = new Set<string>();
  const noteTargets = (values: Record<string, any>) => {
    for (const a of [...(values.default_action ?? []), ...(values.action ?? [])]) {
      if (a.target_group_arn) forwarded.add(String(a.target_group_arn));
      for (const t of a.forward?.target_group ?? []) forwarded.add(String(t.arn));
    }
  };
  for (const a of out.added) noteTargets(a.resource.values);
  for (const r of aws.rules ?? []) {
    if (r.IsDefault === true) continue;
    const res = R.listenerRuleResource(r, "");
    const listener = String(res.resource.values.listener_arn);
    const boundListener = of("aws_lb_listener", "aws_alb_listener").find((x) => out.bound.get(x.address)?.arn === listener);
    const s = boundListener ? of("aws_lb_listener_rule", "aws_alb_listener_rule").find((x) => refOf(x.values.listener_arn) === boundListener.address && Number(x.values.priority) === Number(r.Priority)) : undefined;
    if (s) {
      bind(s, { arn: r.RuleArn });
      const live = R.ruleAuthentication(res.resource.values.action);
      const declared = R.ruleAuthentication(s.values.action);
      if (live !== declared) {
        const named = R.listenerRuleResource(r, listenerText.get(listener) ?? listener);
        out.bound.set(s.address, { ...named.resource.values, listener_arn: s.values.listener_arn });
        out.provenance.set(s.address, { status: "drift", identity: named.identity, notes: [`authentication ${live}, declared ${declared}`] });
      }
      continue;
    }
    if (boundListener || addedListeners.has(listener)) {
      const named = R.listenerRuleResource(r, listenerText.get(listener) ?? listener);
      noteTargets(named.resource.values);
      add(named);
    }
  }

  // Target groups: the stack's by name (or prefix) with its port and protocol; those added listeners forward to, with their targets.
  for (const tg of aws.targetGroups ?? []) {
    const s = of("aws_lb_target_group", "aws_alb_target_group").find((r) => nameMatches(r, String(tg.TargetGroupName), {}) && Number(r.values.port) === tg.Port && String(r.values.protocol ?? "").toUpperCase() === tg.Protocol);
    if (s) {
      bind(s, { arn: tg.TargetGroupArn, name: tg.TargetGroupName });
      continue;
    }
    if (!forwarded.has(String(tg.TargetGroupArn))) continue;
    add(R.targetGroupResource(tg));
    for (const d of aws.targetHealth?.[String(tg.TargetGroupName)] ?? []) add(R.targetResource(tg, d));
  }

  // Who carries each group (for the finding's live path): pods by their branch ENI, load balancers, instances.
  const podOfEni = new Map(kube.flatMap((o) => enisOfPod(o).map((eni) => [eni, `${String(o.metadata?.namespace)}/${String(o.metadata?.name)}`] as const)));
  const nodeIds = new Set(kube.filter((o) => o.kind === "Node").map((o) => String(o.spec?.providerID ?? "").split("/").pop() ?? ""));
  const carriers = new Map<string, string[]>();
  for (const eni of aws.networkInterfaces ?? []) {
    const id = String(eni.NetworkInterfaceId);
    const who = podOfEni.has(id) ? `branch ENI ${id} of pod ${podOfEni.get(id)}` : isLoadBalancerEni(eni) ? `ENI ${id} of ${String(eni.Description)}` : `ENI ${id} of ${ownerOf(eni, nodeIds)}`;
    for (const g of eni.Groups ?? []) carriers.set(String(g.GroupId), [...(carriers.get(String(g.GroupId)) ?? []), who]);
  }
  const carriedBy = (group: string): string[] => {
    const c = carriers.get(group) ?? [];
    return c.length === 0 ? [] : [`${group} is carried by ${c[0]}${c.length > 1 ? ` and ${c.length - 1} more` : ""}`];
  };

  // Rules: those of the stack's groups and of added load balancers' groups; a live rule the stack declares is skipped.
  const relevant = new Set<string>([...idToStack.keys()]);
  for (const a of out.added) if (a.resource.type === "aws_lb") for (const g of a.resource.values.security_groups ?? []) relevant.add(String(g));
  if (!compare) {
    // No stack: the groups on Mimir's side are the contract's, those SecurityGroupPolicies give, and those on pods' branch ENIs.
    for (const g of memberRefs) relevant.add(refOf(g));
    for (const o of kube) if (o.kind === "SecurityGroupPolicy") for (const g of o.spec?.securityGroups?.groupIds ?? []) relevant.add(String(g));
    for (const eni of aws.networkInterfaces ?? []) if (podOfEni.has(String(eni.NetworkInterfaceId))) for (const g of eni.Groups ?? []) relevant.add(String(g.GroupId));
    for (const sg of aws.securityGroups ?? []) if (relevant.has(String(sg.GroupId))) add(R.securityGroupResource(sg));
  }
  const declared = of("aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule").flatMap(sgRulesOf);
  for (const r of aws.securityGroupRules ?? []) {
    if (!relevant.has(String(r.GroupId))) continue;
    const res = R.securityGroupRuleResource(r);
    const live = sgRulesOf(res.resource)[0];
    if (live && declared.some((d) => sameRule(d, live, ref))) continue;
    add(res, r.IsEgress ? [] : carriedBy(String(r.GroupId)));
  }

  // Network interfaces that carry a members group: a pod's branch ENI and a load balancer's are read elsewhere; the rest are members.
  const members = new Set(memberRefs.map(refOf));
  for (const eni of aws.networkInterfaces ?? []) {
    const groups: string[] = (eni.Groups ?? []).map((g: ApiObject) => String(g.GroupId));
    if (!groups.some((g) => members.has(ref(g)))) continue;
    if (podOfEni.has(String(eni.NetworkInterfaceId)) || isLoadBalancerEni(eni)) continue;
    add(R.networkInterfaceResource(eni, ownerOf(eni, nodeIds)));
  }
  return out;
}

function sameRule(d: SgRule, l: SgRule, ref: (v: unknown) => string): boolean {
  if (d.direction !== l.direction || d.protocol !== l.protocol || d.fromPort !== l.fromPort || d.toPort !== l.toPort) return false;
  const group = ref(l.group);
  if (!(d.group === group || (unresolved(d.group) && group === l.group))) return false;
  if (d.peer.kind === "cidr") return l.peer.kind === "cidr" && d.peer.cidr === l.peer.cidr;
  if (d.peer.kind === "prefix-list") return l.peer.kind === "prefix-list" && (d.peer.id === l.peer.id || unresolved(d.peer.id));
  if (d.peer.kind === "self") return l.peer.kind === "self" || (l.peer.kind === "security-group" && ref(l.peer.ref) === d.group);
  if (l.peer.kind === "self") return d.peer.ref === d.group;
  if (l.peer.kind !== "security-group") return false;
  const peer = ref(l.peer.ref);
  return d.peer.ref === peer || (unresolved(d.peer.ref) && peer === l.peer.ref);
}

/** Branch ENIs of security groups for pods, from the pod's `vpc.amazonaws.com/pod-eni` annotation. */
function enisOfPod(o: ApiObject): string[] {
  const raw = o.kind === "Pod" ? o.metadata?.annotations?.["vpc.amazonaws.com/pod-eni"] : undefined;
  if (typeof raw !== "string") return [];
  try {
    const parsed = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.map((x) => String(x?.eniId)) : [];
  } catch {
    return [];
  }
}

function isLoadBalancerEni(eni: ApiObject): boolean {
  return /^ELB /.test(String(eni.Description ?? "")) || eni.InterfaceType === "network_load_balancer" || eni.InterfaceType === "gateway_load_balancer";
}

function ownerOf(eni: ApiObject, nodes: ReadonlySet<string>): string {
  const instance = eni.Attachment?.InstanceId;
  if (eni.InterfaceType === "lambda" || /^AWS Lambda VPC ENI/.test(String(eni.Description ?? ""))) return `Lambda (${String(eni.Description)})`;
  if (typeof instance === "string") return nodes.has(instance) ? `node instance ${instance}` : `EC2 instance ${instance}`;
  return `${String(eni.InterfaceType ?? "interface")} ${String(eni.Description ?? "")}`.trim();
}
