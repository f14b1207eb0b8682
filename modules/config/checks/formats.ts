import { AWS_REGIONS, ELB_SSL_POLICIES, partitionOf, TAG_KEY_MAX, TAG_VALUE_MAX } from "./aws-facts";

/**
 * Format checks of single values against the rules of the system that finally
 * receives them (Kubernetes, S3, ELB, WAF, tags, DNS). Each returns the broken
 * rule and its fix, or undefined when the value is fine.
 */
export interface Check {
  readonly rule: string;
  readonly fix: string;
}
export type Checker = (value: string) => Check | undefined;

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A host name for an Ingress and, for the first host, a URL and a Route 53 alias. */
export function hostName(v: string): Check | undefined {
  const example = "mimir.example.com";
  if (v.length === 0) return { rule: "is empty, not a DNS host name", fix: `use the host clients use, e.g. ${example}` };
  if (v.endsWith(".")) return { rule: "ends with a dot; Kubernetes Ingress hosts are written without the root dot", fix: `write ${JSON.stringify(v.replace(/\.+$/, ""))}` };
  if (/^[a-z]+:\/\//i.test(v) || /[/:]/.test(v)) return { rule: "is a URL or has a port or path; a host is only the name", fix: `write only the host name, e.g. ${example}` };
  if (/[A-Z]/.test(v)) return { rule: "has upper-case letters; Kubernetes Ingress hosts are lower-case", fix: `write ${JSON.stringify(v.toLowerCase())}` };
  if (v.length > 253) return { rule: `is ${v.length} characters; a DNS name allows at most 253`, fix: "use a shorter host name" };
  if (/^\d+(\.\d+){3}$/.test(v)) return { rule: "is an IP address; an Ingress host must be a DNS name", fix: `use a DNS name, e.g. ${example}` };
  const labels = v.split(".");
  const wildcard = labels[0] === "*";
  if (v.includes("*") && !(wildcard && !labels.slice(1).some((l) => l.includes("*")))) {
    return { rule: "has a \"*\" that is not a whole first label; only wildcards like *.example.com are allowed", fix: "use *.example.com or a concrete host" };
  }
  const rest = wildcard ? labels.slice(1) : labels;
  if (rest.length < 2) return { rule: "is not a fully qualified DNS name", fix: `use a name with a domain, e.g. ${example}` };
  const bad = rest.find((l) => l.length === 0 || l.length > 63 || !LABEL.test(l));
  if (bad !== undefined) {
    return { rule: bad.length > 63 ? `has a label of ${bad.length} characters; DNS allows at most 63` : `has an invalid label ${JSON.stringify(bad)} (letters, digits and "-", not starting or ending with "-")`, fix: `use a name like ${example}` };
  }
  if (/^\d+$/.test(rest[rest.length - 1])) return { rule: "has an all-numeric top-level domain", fix: `use a name like ${example}` };
  return undefined;
}

/** S3 general purpose bucket naming rules (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). */
export function s3BucketName(v: string): Check | undefined {
  const fix = "use 3-63 lower-case letters, digits, dots or hyphens, starting and ending with a letter or digit, e.g. acme-terraform-state";
  if (v.length < 3 || v.length > 63) return { rule: `is ${v.length} characters; S3 bucket names have 3 to 63`, fix };
  if (/[A-Z]/.test(v)) return { rule: "has upper-case letters, which S3 bucket names do not allow", fix: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(v.toLowerCase()) ? `write ${JSON.stringify(v.toLowerCase())}` : fix };
  if (/_/.test(v)) return { rule: "has an underscore, which S3 bucket names do not allow", fix: `write ${JSON.stringify(v.replace(/_/g, "-"))}` };
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(v)) return { rule: "is not a valid S3 bucket name", fix };
  if (v.includes("..")) return { rule: "has two adjacent dots, which S3 bucket names do not allow", fix: `write ${JSON.stringify(v.replace(/\.{2,}/g, "."))}` };
  if (/\.-|-\./.test(v)) return { rule: "has a dot next to a hyphen, which S3 bucket names do not allow", fix };
  if (/^\d+\.\d+\.\d+\.\d+$/.test(v)) return { rule: "looks like an IP address, which S3 bucket names must not", fix };
  const prefix = ["xn--", "sthree-", "amzn-s3-demo-"].find((p) => v.startsWith(p));
  if (prefix) return { rule: `starts with "${prefix}", which S3 reserves`, fix };
  const suffix = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].find((s) => v.endsWith(s));
  if (suffix) return { rule: `ends with "${suffix}", which S3 reserves`, fix };
  return undefined;
}

/** An AWS region this release knows (aws-facts.ts). */
export function awsRegion(v: string): Check | undefined {
  if (partitionOf(v)) return undefined;
  const lower = v.trim().toLowerCase();
  if (partitionOf(lower)) return { rule: "is not an AWS region as written (region codes are lower-case, without spaces)", fix: `write ${JSON.stringify(lower)}` };
  const near = AWS_REGIONS.aws.filter((r) => r.split("-").slice(0, 2).join("-") === lower.split("-").slice(0, 2).join("-"));
  return { rule: "is not an AWS region", fix: near.length > 0 ? `use one of ${near.join(", ")}` : "use a region code such as eu-west-1 or us-east-1 (see aws-facts.ts for the list)" };
}

/** An ELB security policy name that exists (aws-facts.ts). */
export function elbSslPolicy(v: string): Check | undefined {
  if (ELB_SSL_POLICIES.includes(v)) return undefined;
  const exact = ELB_SSL_POLICIES.find((p) => p.toLowerCase() === v.trim().toLowerCase());
  if (exact) return { rule: "is not an ELB security policy as written (names are case-sensitive)", fix: `write ${JSON.stringify(exact)}` };
  return { rule: "is not an ELB security policy name", fix: "use ELBSecurityPolicy-TLS13-1-2-Res-2021-06 or another policy AWS lists (aws elbv2 describe-ssl-policies)" };
}

/** An AWS tag key (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html). */
export function tagKey(v: string): Check | undefined {
  if (v.length === 0) return { rule: "is an empty tag key", fix: "give the tag a key" };
  if (v.length > TAG_KEY_MAX) return { rule: `is ${v.length} characters; AWS tag keys allow at most ${TAG_KEY_MAX}`, fix: "shorten the key" };
  if (/^aws:/i.test(v)) return { rule: 'starts with "aws:", which AWS reserves for its own tags', fix: `drop the prefix, e.g. ${JSON.stringify(v.replace(/^aws:/i, ""))}` };
  if (v !== v.trim()) return { rule: "has spaces around it", fix: `write ${JSON.stringify(v.trim())}` };
  if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u.test(v)) return { rule: "has characters AWS tag keys do not allow", fix: "use letters, digits, spaces and _ . : / = + - @" };
  return undefined;
}

export function tagValue(v: string): Check | undefined {
  if (v.length > TAG_VALUE_MAX) return { rule: `is ${v.length} characters; AWS tag values allow at most ${TAG_VALUE_MAX}`, fix: "shorten the value" };
  if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(v)) return { rule: "has characters AWS tag values do not allow", fix: "use letters, digits, spaces and _ . : / = + - @" };
  return undefined;
}

/**
 * A Secrets Manager secret name: 1-512 of letters, digits and /_+=.@-, and not
 * ending with a hyphen and six characters (it would be mistaken for the
 * random suffix AWS appends to the ARN).
 */
export function secretsManagerName(v: string): Check | undefined {
  if (v.length === 0 || v.length > 512) return { rule: `is ${v.length} characters; a Secrets Manager name has 1 to 512`, fix: "use a name like mimir/prod/basic-auth" };
  if (!/^[A-Za-z0-9/_+=.@-]+$/.test(v)) return { rule: "has characters a Secrets Manager name does not allow", fix: "use letters, digits and / _ + = . @ -" };
  if (/-[A-Za-z0-9]{6}$/.test(v)) return { rule: "ends with a hyphen and six characters, which Secrets Manager confuses with the random suffix of a secret ARN", fix: "end the name differently, e.g. with /auth or a last part that is not six characters after a hyphen" };
  return undefined;
}

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;
