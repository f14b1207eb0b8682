import { Redacted } from "../modules/contract/problems";
/**
 * The bad-input table: each row is one invalid configuration, the field the
 * error must name, the value it must show and the rule it must state. Used by
 * bad-input.test.ts (public API, spawned `npm run synth`) and
 * bad-input-table.test.ts (each row through the synth entry bin/synth.ts calls).
 */
const lbController = (extra: Record<string, unknown> = {}) => ({ allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "c" }, ...extra });
const lbMimir = (extra: Record<string, unknown> = {}) => ({ allowedCidrs: ["10.0.0.0/16"], subnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"], target: { kind: "mimir" }, ...extra });
const ingress = (hosts: string[], extra: Record<string, unknown> = {}) => ({ className: "nginx", hosts, tlsSecretName: "mimir-tls", ...extra });
const waf = (arn: string) => ({ wafAclArn: arn });
const ACL = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/mimir/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
const v4s = (n: number) => Array.from({ length: n }, (_, i) => `10.${Math.floor(i / 250)}.${i % 250}.0/24`);
const v6s = (n: number) => Array.from({ length: n }, (_, i) => `2001:db8:${i.toString(16)}::/48`);
const sgs = (n: number) => Array.from({ length: n }, (_, i) => `sg-${i.toString(16).padStart(17, "0")}`);
const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`tag-${i}`, "x"]));

/** [label, overrides of the helpers' env(), field, value, rule]. */
export type Row = [label: string, overrides: Record<string, unknown>, field: string, value: unknown, rule: RegExp];

export const ROWS: Row[] = [
  // Ports
  ["port 0", { ports: { http: 0 } }, "ports.http", 0, /integer from 1 to 65535/],
  ["port 65536", { ports: { http: 65536 } }, "ports.http", 65536, /integer from 1 to 65535/],
  ["fractional port", { ports: { grpc: 8080.5 } }, "ports.grpc", 8080.5, /integer from 1 to 65535/],
  ["port as a string", { ports: { memberlist: "7946" } }, "ports.memberlist", "7946", /integer from 1 to 65535/],
  ["duplicate ports", { ports: { grpc: 7000, memberlist: 7000 } }, "ports.memberlist", 7000, /already used by grpc/],
  ["internal port on 443", { ports: { http: 443 } }, "ports.http", 443, /public https listener port 443/],
  ["internal port on 80", { ports: { grpc: 80 } }, "ports.grpc", 80, /public httpRedirect listener port 80/],
  ["unknown port name", { ports: { gossip: 7000 } }, "ports.gossip", 7000, /not a Mimir port/],
  ["misspelt port name", { ports: { htpp: 8081 } }, "ports.htpp", 8081, /not a Mimir port/],
  ["port on the chart's Kafka", { ports: { grpc: 9092 } }, "ports.grpc", 9092, /clashes with the port of the chart's Kafka/],
  // Port transitions (three-PR migrations)
  ["transition to the same port", { ports: { grpc: { from: 9095, to: 9095, phase: "open" } } }, "ports.grpc.to", 9095, /equals grpc\.from; a transition moves the port/],
  ["transition phase without from and to", { ports: { grpc: { phase: "move" } } }, "ports.grpc.from", undefined, /is required: .*a phase needs both from and to/],
  ["transition without to", { ports: { http: { from: 8080 } } }, "ports.http.to", undefined, /is required: a transition moves the port/],
  ["transition to the chart's Kafka", { ports: { grpc: { from: 9095, to: 9092 } } }, "ports.grpc.to", 9092, /clashes with the port of the chart's Kafka/],
  ["transition onto another contract port", { ports: { memberlist: { from: 7946, to: 9095, phase: "open" } } }, "ports.memberlist.to", 9095, /already used by grpc/],
  ["transition to the public https port", { ports: { http: { from: 8080, to: 443, phase: "open" } } }, "ports.http.to", 443, /public https listener port 443/],
  ["unknown transition phase", { ports: { grpc: { from: 9095, to: 9096, phase: "done" } } }, "ports.grpc.phase", "done", /must be one of "open", "move", "close"/],
  ["misspelt transition key", { ports: { grpc: { from: 9095, too: 9096 } } }, "ports.grpc.too", 9096, /is not a transition setting/],
  ["transition port as a string", { ports: { grpc: { from: "9095", to: 9096 } } }, "ports.grpc.from", "9095", /integer from 1 to 65535/],
  // CIDRs
  ["CIDR prefix /33", { loadBalancer: lbController({ allowedCidrs: ["10.0.0.0/33"] }) }, "loadBalancer.allowedCidrs[0]", "10.0.0.0/33", /prefix length above 32/],
  ["CIDR octet 300", { loadBalancer: lbController({ allowedCidrs: ["300.1.1.1/8"] }) }, "loadBalancer.allowedCidrs[0]", "300.1.1.1/8", /octet above 255/],
  ["empty CIDR", { loadBalancer: lbController({ allowedCidrs: [""] }) }, "loadBalancer.allowedCidrs[0]", "", /non-empty CIDR/],
  ["CIDR with host bits", { loadBalancer: lbController({ allowedCidrs: ["10.20.0.1/16"] }) }, "loadBalancer.allowedCidrs[0]", "10.20.0.1/16", /host bits set: the network of this prefix is 10\.20\.0\.0\/16/],
  ["CIDR octet with a leading zero", { loadBalancer: lbController({ allowedCidrs: ["010.0.0.0/8"] }) }, "loadBalancer.allowedCidrs[0]", "010.0.0.0/8", /leading zero/],
  ["CIDR prefix with a leading zero", { loadBalancer: lbController({ allowedCidrs: ["10.0.0.0/08"] }) }, "loadBalancer.allowedCidrs[0]", "10.0.0.0/08", /prefix length with a leading zero/],
  ["CIDR without a prefix length", { loadBalancer: lbController({ allowedCidrs: ["10.1.2.3"] }) }, "loadBalancer.allowedCidrs[0]", "10.1.2.3", /no prefix length/],
  ["CIDR with spaces", { loadBalancer: lbController({ allowedCidrs: [" 10.0.0.0/8"] }) }, "loadBalancer.allowedCidrs[0]", " 10.0.0.0/8", /spaces around it/],
  ["CIDR as a number", { loadBalancer: lbController({ allowedCidrs: [10] }) }, "loadBalancer.allowedCidrs[0]", 10, /must be a CIDR string/],
  ["IPv6 with three colons", { loadBalancer: lbController({ allowedCidrs: ["2001:db8:::/32"] }) }, "loadBalancer.allowedCidrs[0]", "2001:db8:::/32", /not a valid IPv6 address/],
  ["IPv6 with a non-hex group", { loadBalancer: lbController({ allowedCidrs: ["2001:db8::g/32"] }) }, "loadBalancer.allowedCidrs[0]", "2001:db8::g/32", /not a valid IPv6 address/],
  ["IPv6 with nine groups", { loadBalancer: lbController({ allowedCidrs: ["1:2:3:4:5:6:7:8:9/128"] }) }, "loadBalancer.allowedCidrs[0]", "1:2:3:4:5:6:7:8:9/128", /not a valid IPv6 address/],
  ["IPv6 with two ::", { loadBalancer: lbController({ allowedCidrs: ["2001::db8::/32"] }) }, "loadBalancer.allowedCidrs[0]", "2001::db8::/32", /"::" may appear only once/],
  ["IPv6 prefix /129", { loadBalancer: lbController({ allowedCidrs: ["2001:db8::/129"] }) }, "loadBalancer.allowedCidrs[0]", "2001:db8::/129", /prefix length above 128/],
  ["IPv6 with host bits", { loadBalancer: lbController({ allowedCidrs: ["2001:db8::1/64"] }) }, "loadBalancer.allowedCidrs[0]", "2001:db8::1/64", /host bits set: the network of this prefix is 2001:db8::\/64/],
  ["IPv6 with a zone index", { loadBalancer: lbController({ allowedCidrs: ["fe80::1%eth0/64"] }) }, "loadBalancer.allowedCidrs[0]", "fe80::1%eth0/64", /zone index/],
  ["IPv6 without a prefix length", { loadBalancer: lbController({ allowedCidrs: ["2001:db8::"] }) }, "loadBalancer.allowedCidrs[0]", "2001:db8::", /address\/prefix-length/],
  ["the same CIDR twice", { loadBalancer: lbController({ allowedCidrs: ["10.0.0.0/16", "10.0.0.0/16"] }) }, "loadBalancer.allowedCidrs[1]", "10.0.0.0/16", /listed twice/],
  ["the same IPv6 network written twice", { loadBalancer: lbController({ allowedCidrs: ["2001:db8::/32", "2001:0db8:0::/32"] }) }, "loadBalancer.allowedCidrs[1]", "2001:0db8:0::/32", /same network as loadBalancer\.allowedCidrs\[0\]/],
  ["a duplicate load balancer subnet", { loadBalancer: lbMimir(), networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20", "10.0.0.0/20"] } }, "networkPolicy.loadBalancerCidrs[1]", "10.0.0.0/20", /listed twice/],
  ["a load balancer subnet with host bits", { loadBalancer: lbMimir(), networkPolicy: { loadBalancerCidrs: ["10.0.0.5/20"] } }, "networkPolicy.loadBalancerCidrs[0]", "10.0.0.5/20", /host bits set/],
  ["a duplicate object storage CIDR", { objectStorage: { cidrs: ["52.218.0.0/17", "52.218.0.0/17"] } }, "objectStorage.cidrs[1]", "52.218.0.0/17", /listed twice/],
  ["object storage CIDR with host bits", { objectStorage: { cidrs: ["52.218.0.1/17"] } }, "objectStorage.cidrs[0]", "52.218.0.1/17", /host bits set/],
  ["too many IPv4 CIDRs for one security group", { loadBalancer: lbController({ allowedCidrs: v4s(31) }) }, "loadBalancer.allowedCidrs", "31 IPv4 CIDRs", /62 IPv4 inbound rules .*AWS allows 60 per group/],
  ["too many IPv6 CIDRs for one security group", { loadBalancer: lbController({ type: "network", allowedCidrs: v6s(61) }) }, "loadBalancer.allowedCidrs", "61 IPv6 CIDRs", /61 IPv6 inbound rules .*AWS allows 60/],
  ["no client source", { loadBalancer: lbController({ allowedCidrs: [] }) }, "loadBalancer.allowedCidrs", [], /nobody could reach/],
  ["internal LB open to everyone", { loadBalancer: lbController({ allowedCidrs: ["0.0.0.0/0"] }) }, "loadBalancer.allowedCidrs[0]", "0.0.0.0/0", /internal load balancer to every address/],
  ["monitoring from the internet", { monitoring: { namespace: "monitoring", cidrs: ["0.0.0.0/0"] } }, "monitoring.cidrs", ["0.0.0.0/0"], /whole internet/],
  ["LB subnets admitting everyone", { loadBalancer: lbMimir(), networkPolicy: { loadBalancerCidrs: ["0.0.0.0/0"] } }, "networkPolicy.loadBalancerCidrs[0]", "0.0.0.0/0", /every address to Mimir's http port/],
  // Security groups and prefix lists
  ["a security group listed twice", { monitoring: { namespace: "monitoring", securityGroupIds: ["sg-0123456789abcdef0", "sg-0123456789abcdef0"] } }, "monitoring.securityGroupIds[1]", "sg-0123456789abcdef0", /listed twice/],
  ["a security group id of the wrong length", { monitoring: { namespace: "monitoring", securityGroupIds: ["sg-0123"] } }, "monitoring.securityGroupIds[0]", "sg-0123", /not a security group id/],
  ["a security group id in upper case", { monitoring: { namespace: "monitoring", securityGroupIds: ["sg-0123456789ABCDEF0"] } }, "monitoring.securityGroupIds[0]", "sg-0123456789ABCDEF0", /not a security group id/],
  ["too many monitoring groups", { monitoring: { namespace: "monitoring", securityGroupIds: sgs(55) } }, "monitoring.securityGroupIds", "55 security groups", /62 inbound rules .*AWS allows 60/],
  ["a prefix list listed twice", { loadBalancer: lbController({ allowedPrefixListIds: ["pl-0123456789abcdef0", "pl-0123456789abcdef0"] }) }, "loadBalancer.allowedPrefixListIds[1]", "pl-0123456789abcdef0", /listed twice/],
  ["a malformed prefix list id", { loadBalancer: lbController({ allowedPrefixListIds: ["pl-xyz"] }) }, "loadBalancer.allowedPrefixListIds[0]", "pl-xyz", /not a prefix list id/],
  ["a malformed object storage prefix list", { objectStorage: { prefixListId: "prefix-123" } }, "objectStorage.prefixListId", "prefix-123", /not a prefix list id/],
  ["object storage with no CIDRs", { objectStorage: { cidrs: [] } }, "objectStorage.cidrs", [], /could not reach object storage/],
  ["object storage as both", { objectStorage: { prefixListId: "pl-0123456789abcdef0", cidrs: ["52.218.0.0/17"] } }, "objectStorage", { prefixListId: "pl-0123456789abcdef0", cidrs: ["52.218.0.0/17"] }, /both prefixListId and cidrs/],
  // Names
  ["environment name upper case", { name: "Prod_EU" }, "name", "Prod_EU", /lower-case letter/],
  ["environment name with a slash", { name: "prod/eu" }, "name", "prod/eu", /lower-case letter/],
  ["environment name empty", { name: "" }, "name", "", /lower-case letter/],
  ["environment name ending with -", { name: "prod-" }, "name", "prod-", /end with a letter or digit/],
  ["environment name of 31 characters", { name: "p".repeat(31) }, "name", "p".repeat(31), /at most 30/],
  ["environment name starting with a digit", { name: "1prod" }, "name", "1prod", /start with a lower-case letter/],
  ["release ending with -", { release: "mimir-" }, "release", "mimir-", /must start and end with a letter or digit/],
  ["release of 54 characters", { release: "m".repeat(54) }, "release", "m".repeat(54), /at most 53/],
  ["release in upper case", { release: "Mimir" }, "release", "Mimir", /upper-case/],
  ["release making a Service name too long", { release: `mimir-${"x".repeat(40)}` }, "release", `mimir-${"x".repeat(40)}`, /Service name .* at most 63/],
  ["release making the LB name start with internal-", { release: "internal" }, "release", "internal", /starting with "internal-"/],
  ["namespace with an underscore", { namespace: "mimir_ns" }, "namespace", "mimir_ns", /DNS-1123 label/],
  ["namespace of 64 characters", { namespace: "n".repeat(64) }, "namespace", "n".repeat(64), /at most 63/],
  ["controller namespace ending with -", { loadBalancer: lbController({ target: { kind: "ingress-controller", namespace: "ingress-", serviceName: "c" } }) }, "loadBalancer.target.namespace", "ingress-", /start and end with a letter or digit/],
  ["controller Service starting with a digit", { loadBalancer: lbController({ target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "1controller" } }) }, "loadBalancer.target.serviceName", "1controller", /must start with a letter/],
  ["monitoring namespace in upper case", { monitoring: { namespace: "Monitoring" } }, "monitoring.namespace", "Monitoring", /upper-case/],
  ["TLS Secret with an underscore", { ingress: ingress(["mimir.example.com"], { tlsSecretName: "mimir_tls" }) }, "ingress.tlsSecretName", "mimir_tls", /DNS-1123 subdomain/],
  ["IngressClass of the wrong shape", { ingress: ingress(["mimir.example.com"], { className: "Nginx Class" }) }, "ingress.className", "Nginx Class", /IngressClass/],
  ["controller pod label key with a space", { ingress: ingress(["mimir.example.com"], { controllerPodLabels: { "app kubernetes": "x" } }) }, "ingress.controllerPodLabels.app kubernetes", "x", /label key/],
  ["health check path without /", { loadBalancer: lbController({ target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "c", healthCheckPath: "healthz" } }) }, "loadBalancer.target.healthCheckPath", "healthz", /must start with \//],
  ["health check path with a space", { loadBalancer: lbController({ target: { kind: "ingress-controller", namespace: "ingress-nginx", serviceName: "c", healthCheckPath: "/health z" } }) }, "loadBalancer.target.healthCheckPath", "/health z", /no spaces/],
  // AWS lists and formats
  ["region of the wrong shape", { region: "europe" }, "region", "europe", /not an AWS region/],
  ["region that does not exist", { region: "eu-west-9" }, "region", "eu-west-9", /not an AWS region/],
  ["region in upper case", { region: "EU-WEST-1" }, "region", "EU-WEST-1", /lower-case/],
  ["an availability zone as region", { region: "eu-west-1a" }, "region", "eu-west-1a", /not an AWS region/],
  ["TLS policy that does not exist", { loadBalancer: lbController({ sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2099-01" }) }, "loadBalancer.sslPolicy", "ELBSecurityPolicy-TLS13-1-2-2099-01", /not an ELB security policy/],
  ["TLS policy in the wrong case", { loadBalancer: lbController({ sslPolicy: "elbsecuritypolicy-tls13-1-2-2021-06" }) }, "loadBalancer.sslPolicy", "elbsecuritypolicy-tls13-1-2-2021-06", /case-sensitive/],
  ["TLS policy that allows TLS 1.0", { loadBalancer: lbController({ sslPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06" }) }, "loadBalancer.sslPolicy", "ELBSecurityPolicy-TLS13-1-0-2021-06", /allows TLS below 1\.2/],
  ["the CLI's default TLS policy", { loadBalancer: lbController({ sslPolicy: "ELBSecurityPolicy-2016-08" }) }, "loadBalancer.sslPolicy", "ELBSecurityPolicy-2016-08", /allows TLS below 1\.2/],
  ["CloudFront-scope web ACL on an ALB", waf(ACL.replace("regional", "global").replace("eu-west-1", "us-east-1")), "wafAclArn", ACL.replace("regional", "global").replace("eu-west-1", "us-east-1"), /CloudFront-scope .* cannot be associated with a load balancer/],
  ["web ACL of another region", waf(ACL.replace("eu-west-1", "us-east-1")), "wafAclArn", ACL.replace("eu-west-1", "us-east-1"), /is in region us-east-1, but .* is in eu-west-1/],
  ["classic WAF ARN", waf("arn:aws:waf-regional:eu-west-1:111122223333:webacl/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"), "wafAclArn", "arn:aws:waf-regional:eu-west-1:111122223333:webacl/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", /classic AWS WAF/],
  ["ARN of another service as web ACL", waf("arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/mimir/50dc6c495c0c9188"), "wafAclArn", "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/mimir/50dc6c495c0c9188", /elasticloadbalancing service/],
  ["WAFv2 IP set instead of a web ACL", waf(ACL.replace("webacl", "ipset")), "wafAclArn", ACL.replace("webacl", "ipset"), /WAFv2 ipset, not a web ACL/],
  ["web ACL of another partition", waf(ACL.replace("arn:aws:", "arn:aws-cn:")), "wafAclArn", ACL.replace("arn:aws:", "arn:aws-cn:"), /partition aws-cn/],
  ["web ACL name instead of ARN", waf("mimir-acl"), "wafAclArn", "mimir-acl", /is not an ARN/],
  ["web ACL with an 11-digit account", waf(ACL.replace("111122223333", "11112222333")), "wafAclArn", ACL.replace("111122223333", "11112222333"), /12 digits/],
  ["WAF on a network load balancer", { loadBalancer: lbController({ type: "network", redirectHttp: false }), wafAclArn: ACL }, "wafAclArn", ACL, /application load balancer/],
  ["state bucket name S3 rejects", { state: { bucket: "My_Bucket" } }, "state.bucket", "My_Bucket", /S3 bucket names do not allow/],
  ["state bucket of 2 characters", { state: { bucket: "ab" } }, "state.bucket", "ab", /3 to 63/],
  ["state bucket of 64 characters", { state: { bucket: "b".repeat(64) } }, "state.bucket", "b".repeat(64), /3 to 63/],
  ["state bucket with two dots in a row", { state: { bucket: "my..bucket" } }, "state.bucket", "my..bucket", /two adjacent dots/],
  ["state bucket like an IP address", { state: { bucket: "192.168.5.4" } }, "state.bucket", "192.168.5.4", /IP address/],
  ["state bucket with a reserved prefix", { state: { bucket: "xn--bucket" } }, "state.bucket", "xn--bucket", /S3 reserves/],
  ["state bucket with a reserved suffix", { state: { bucket: "logs-s3alias" } }, "state.bucket", "logs-s3alias", /S3 reserves/],
  ["access logs bucket ending with -", { loadBalancer: lbController({ accessLogsBucket: "lb-logs-" }) }, "loadBalancer.accessLogsBucket", "lb-logs-", /not a valid S3 bucket name/],
  ["access logs bucket with .-", { loadBalancer: lbController({ accessLogsBucket: "lb.-logs" }) }, "loadBalancer.accessLogsBucket", "lb.-logs", /dot next to a hyphen/],
  ["state key prefix with a leading /", { state: { bucket: "test-state-bucket", keyPrefix: "/mimir" } }, "state.keyPrefix", "/mimir", /S3 key prefix/],
  ["DynamoDB table of 2 characters", { state: { bucket: "test-state-bucket", lockTable: "ab" } }, "state.lockTable", "ab", /DynamoDB table name/],
  ["hosted zone id of the wrong shape", { dns: { hostedZoneId: "z123" } }, "dns.hostedZoneId", "z123", /hosted zone id/],
  // Tags
  ["tag key with the reserved aws: prefix", { tags: { "aws:owner": "team" } }, "tags.aws:owner", "team", /AWS reserves/],
  ["tag key with the reserved prefix in capitals", { tags: { "AWS:Owner": "team" } }, "tags.AWS:Owner", "team", /AWS reserves/],
  ["tag key of 129 characters", { tags: { ["k".repeat(129)]: "v" } }, `tags.${"k".repeat(129)}`, "v", /at most 128/],
  ["tag value of 257 characters", { tags: { team: "v".repeat(257) } }, "tags.team", "v".repeat(257), /at most 256/],
  ["tag key with #", { tags: { "team#1": "x" } }, "tags.team#1", "x", /characters AWS tag keys do not allow/],
  ["too many tags", { tags: tags(49) }, "tags", "49 tags", /51 tags .*AWS allows 50/],
  // Hosts
  ["Ingress with an empty host", { ingress: ingress([""]) }, "ingress.hosts[0]", "", /not a DNS host name/],
  ["wildcard as the first host", { ingress: ingress(["*.example.com"]) }, "ingress.hosts[0]", "*.example.com", /wildcard, but the first host builds remote_write_url/],
  ["wildcard as the Route 53 alias", { ingress: ingress(["*.example.com"]), dns: { hostedZoneId: "Z0123456789ABC" } }, "ingress.hosts[0]", "*.example.com", /Route 53 alias/],
  ["host with a trailing dot", { ingress: ingress(["mimir.example.com."]) }, "ingress.hosts[0]", "mimir.example.com.", /ends with a dot/],
  ["host written as a URL", { ingress: ingress(["https://mimir.example.com"]) }, "ingress.hosts[0]", "https://mimir.example.com", /is a URL/],
  ["host with a port", { ingress: ingress(["mimir.example.com:443"]) }, "ingress.hosts[0]", "mimir.example.com:443", /has a port or path/],
  ["host in upper case", { ingress: ingress(["Mimir.Example.com"]) }, "ingress.hosts[0]", "Mimir.Example.com", /upper-case/],
  ["host that is an IP address", { ingress: ingress(["10.0.0.1"]) }, "ingress.hosts[0]", "10.0.0.1", /IP address/],
  ["host listed twice", { ingress: ingress(["mimir.example.com", "mimir.example.com"]) }, "ingress.hosts[1]", "mimir.example.com", /listed twice/],
  ["host without a domain", { ingress: ingress(["mimir"]) }, "ingress.hosts[0]", "mimir", /fully qualified/],
  ["host with a 64-character label", { ingress: ingress([`${"a".repeat(64)}.example.com`]) }, "ingress.hosts[0]", `${"a".repeat(64)}.example.com`, /at most 63/],
  ["host with an underscore", { ingress: ingress(["mimir_x.example.com"]) }, "ingress.hosts[0]", "mimir_x.example.com", /invalid label/],
  ["wildcard in the middle of a host", { ingress: ingress(["mimir.example.com", "a.*.example.com"]) }, "ingress.hosts[1]", "a.*.example.com", /whole first label/],
  ["Ingress without TLS", { ingress: { className: "nginx", hosts: ["m.example.com"] } }, "ingress.tlsSecretName", undefined, /must serve TLS/],
  // Free text
  ["acknowledgement reason of spaces", { acknowledgements: [{ rule: "MP011", resource: "x", reason: "            " }] }, "acknowledgements[0].reason", "            ", /only whitespace/],
  ["acknowledgement reason of tabs and newlines", { acknowledgements: [{ rule: "MP011", resource: "x", reason: "\t\n \t\n  \t\n  " }] }, "acknowledgements[0].reason", "\t\n \t\n  \t\n  ", /only whitespace/],
  ["acknowledgement without a real reason", { acknowledgements: [{ rule: "MP001", resource: "x", reason: "ok" }] }, "acknowledgements[0].reason", "ok", /too short/],
  ["acknowledgement of a blank resource", { acknowledgements: [{ rule: "MP011", resource: "   ", reason: "migrating, ticket OPS-1" }] }, "acknowledgements[0].resource", "   ", /is empty/],
  ["acknowledgement given twice", { acknowledgements: [{ rule: "MP011", resource: "x", reason: "migrating, ticket OPS-1" }, { rule: "MP011", resource: "x", reason: "migrating, ticket OPS-2" }] }, "acknowledgements[1]", { rule: "MP011", resource: "x" }, /repeats acknowledgements\[0\]/],
  ["acknowledging an unknown rule", { acknowledgements: [{ rule: "MP999", resource: "x", reason: "because reasons" }] }, "acknowledgements[0].rule", "MP999", /not a policy rule ID/],
  // Components, modes, targets, Helm
  ["unknown component", { components: ["distributor", "ingester", "querier", "query-frontend", "store-gateway", "compactor", "gatewayy"] }, "components[6]", "gatewayy", /not a Mimir component/],
  ["component listed twice", { components: ["distributor", "ingester", "querier", "query-frontend", "store-gateway", "compactor", "ingester"] }, "components[6]", "ingester", /listed twice/],
  ["core component missing under helm", { components: ["distributor", "querier", "query-frontend", "store-gateway", "compactor"] }, "components", ["distributor", "querier", "query-frontend", "store-gateway", "compactor"], /leaves out ingester/],
  ["components in monolithic mode", { deploymentMode: "monolithic", serviceOwnership: "external", components: ["ingester"], loadBalancer: lbMimir(), networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } }, "components", ["ingester"], /monolithic/],
  ["monolithic owned by the chart", { deploymentMode: "monolithic", serviceOwnership: "helm", loadBalancer: lbMimir(), networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } }, "serviceOwnership", "helm", /only deploys microservices/],
  ["external ownership installing the chart", { serviceOwnership: "external", helm: { install: true } }, "helm.install", true, /serviceOwnership external/],
  ["removed read-write mode", { deploymentMode: "read-write" }, "deploymentMode", "read-write", /monolithic or microservices/],
  ["load balancer of an unknown type", { loadBalancer: lbController({ type: "classic" }) }, "loadBalancer.type", "classic", /application or network/],
  ["load balancer scheme public", { loadBalancer: lbController({ scheme: "public" }) }, "loadBalancer.scheme", "public", /internal or internet-facing/],
  ["unknown target registration", { loadBalancer: lbController({ targetRegistration: "manual" }) }, "loadBalancer.targetRegistration", "manual", /target-group-binding or none/],
  ["redirect on a network load balancer", { loadBalancer: lbController({ type: "network", redirectHttp: true }) }, "loadBalancer.redirectHttp", true, /network load balancer cannot redirect/],
  ["Helm values moving the http port", { helm: { values: { mimir: { structuredConfig: { server: { http_listen_port: 8081 } } } } } }, "helm.values.mimir.structuredConfig.server.http_listen_port", 8081, /moves Mimir's http port/],
  ["Helm values with a LoadBalancer Service", { helm: { values: { gateway: { service: { type: "LoadBalancer" } } } } }, "helm.values.gateway.service.type", "LoadBalancer", /expose Mimir outside the cluster/],
  ["Helm values not an object", { helm: { values: "replicas: 3" } }, "helm.values", "replicas: 3", /must be an object/],
  ["chart version not exact", { helm: { chartVersion: "6.0" } }, "helm.chartVersion", "6.0", /not a chart version/],
  ["empty monitoring selector", { monitoring: { namespace: "monitoring", podLabels: {} } }, "monitoring.podLabels", {}, /is empty/],
  ["LB targeting Mimir on a non-contract port", { loadBalancer: lbMimir({ target: { kind: "mimir", port: 9000 } }), networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] } }, "loadBalancer.target.port", 9000, /not the contract's http port/],
  ["LB targeting pods without admitting it", { loadBalancer: lbMimir() }, "networkPolicy.loadBalancerCidrs", [], /would drop its traffic/],
  ["controller target without an Ingress", { ingress: undefined, loadBalancer: lbController() }, "ingress", undefined, /controller needs our Ingress/],
  ["DNS alias without a host", { ingress: undefined, loadBalancer: lbMimir(), networkPolicy: { loadBalancerCidrs: ["10.0.0.0/20"] }, dns: { hostedZoneId: "Z0123456789ABC" } }, "dns.hostedZoneId", "Z0123456789ABC", /no host to point/],
  ["misspelt setting (its value is never echoed)", { loadBalancr: {} }, "loadBalancr", new Redacted("an object with no keys"), /not a known setting/],
  ["state missing", { state: undefined }, "state", undefined, /is required/],
];

/**
 * Rows that need more than one environment: [label, environments (as
 * overrides of env()), environment named in the error, field, value, rule].
 */
export type MultiRow = [label: string, envs: Array<Record<string, unknown>>, env: string, field: string, value: unknown, rule: RegExp];
export const MULTI_ROWS: MultiRow[] = [
  ["two environments with one name", [{ name: "dup" }, { name: "dup" }], "dup", "environments[1].name", "dup", /is used by another environment/],
  [
    "two environments whose load balancer names collide after truncation",
    [{ name: "observability-platform-eu-one" }, { name: "observability-platform-eu-two" }],
    "observability-platform-eu-two",
    "name",
    "observability-platform-eu-two",
    /load balancer the name "mimir-observability-platform-eu".*same as environment "observability-platform-eu-one"/,
  ],
];
