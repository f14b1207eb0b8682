/** `verify --print-commands`: the kubectl and aws commands whose output the offline reader takes. */
import { AWS_READS, TARGET_HEALTH } from "./aws-commands";
import { KUBE_READS } from "./kube-kinds";

export function printCommands(opts: { kubeContext?: string; region?: string; dir?: string }): string {
  const dir = opts.dir ?? "live";
  const ctx = opts.kubeContext ? ` --context ${opts.kubeContext}` : "";
  const region = opts.region ? ` --region ${opts.region}` : "";
  const lines = [
    "# Kubernetes (read-only: get/list). A kind this cluster does not serve fails its own command only; verify reports that file as missing.",
    `mkdir -p ${dir}/aws`,
    ...KUBE_READS.map((k) => `kubectl${ctx} get ${k.kinds.join(",")} -A -o json > ${dir}/${k.file}`),
    "# AWS (read-only: ec2:Describe*, elasticloadbalancing:Describe*)",
    ...AWS_READS.filter((a) => !a.perParent).map((a) => `aws${region} ${a.command} --output json > ${dir}/aws/${a.file}.json`),
    "# the listeners of every load balancer and the rules of every listener, one file each; the target health of every target group, one file each",
    `for lb in $(aws${region} elbv2 describe-load-balancers --query 'LoadBalancers[].LoadBalancerArn' --output text); do aws${region} elbv2 describe-listeners --load-balancer-arn "$lb" --output json > ${dir}/aws/elbv2-describe-listeners.$(basename "$lb").json; done`,
    `for l in $(cat ${dir}/aws/elbv2-describe-listeners.*.json | jq -r '.Listeners[].ListenerArn'); do aws${region} elbv2 describe-rules --listener-arn "$l" --output json > ${dir}/aws/elbv2-describe-rules.$(basename "$l").json; done`,
    `aws${region} elbv2 describe-target-groups --query 'TargetGroups[].[TargetGroupName,TargetGroupArn]' --output text | while read -r name arn; do aws${region} ${TARGET_HEALTH.command} --target-group-arn "$arn" --output json > ${dir}/aws/${TARGET_HEALTH.file}.$name.json; done`,
    // A comment: the script only reads (`sh read-live.sh` must not run verify, nor parse <environment> as a redirect).
    `# then: npx mimir-ports verify --contract cdktf.out/stacks/<environment> ${KUBE_READS.map((k) => `--kube ${dir}/${k.file}`).join(" ")} --aws ${dir}/aws`,
  ];
  return `${lines.join("\n")}\n`;
}
