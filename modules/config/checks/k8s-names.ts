/**
 * Kubernetes names, one validator per kind, as Kubernetes itself defines them
 * (k8s.io/apimachinery: pkg/util/validation/validation.go for the DNS kinds,
 * pkg/api/validate/content/kube.go for label keys and values):
 *
 * | kind | rule | used by |
 * |---|---|---|
 * | DNS-1123 label (`IsDNS1123Label`) | `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 | namespaces, the Helm release (HELM_RELEASE_NAME_MAX) |
 * | DNS-1123 subdomain (`IsDNS1123Subdomain`) | labels joined by `.`, at most 253 | Secrets, IngressClass, GatewayClass, Gateway, listener (sectionName), ServiceAccount |
 * | DNS-1035 label (`IsDNS1035Label`) | a DNS-1123 label starting with a letter, at most 63 | Services |
 * | label key (`IsLabelKey`, a qualified name) | optional DNS-1123 subdomain prefix and `/`, then `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?` of at most 63 | pod label keys |
 * | label value (`IsLabelValue`) | empty, or like a label key's name part, at most 63 | pod label values |
 *
 * Each returns the broken rule and its fix in the caller's words (`what`,
 * `example`), or undefined when the name is valid.
 */
import type { Check, Checker } from "./formats";

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** DNS-1123 labels have at most 63 characters. */
export const DNS_LABEL_MAX = 63;
/** DNS-1123 subdomains have at most 253 characters. */
export const DNS_SUBDOMAIN_MAX = 253;
/** Label values and the name part of label keys have at most 63 characters. */
export const LABEL_VALUE_MAX = 63;
/** Helm release names: 10 fewer than a DNS label, so the chart's suffixed names fit. */
export const HELM_RELEASE_NAME_MAX = DNS_LABEL_MAX - 10;

const quoted = (v: string) => JSON.stringify(v);

/** A DNS-1123 label (namespace, Helm release): lower-case alphanumerics and '-', starting and ending alphanumeric. */
export function dnsLabel(what: string, max = DNS_LABEL_MAX, example = "mimir"): Checker {
  return (v) => {
    if (v.length === 0) return { rule: `is empty: a ${what} needs a name`, fix: `use a name like ${example}` };
    if (v.length > max) return { rule: `is ${v.length} characters; a ${what} allows at most ${max}`, fix: `shorten it to ${max} characters or fewer` };
    if (LABEL.test(v)) return undefined;
    if (/[A-Z]/.test(v) && LABEL.test(v.toLowerCase())) return { rule: `has upper-case letters; a ${what} is lower-case (DNS-1123 label)`, fix: `write ${quoted(v.toLowerCase())}` };
    if (v.includes(".") && v.split(".").every((l) => LABEL.test(l))) return { rule: `has dots; a ${what} is a DNS-1123 label (lower-case letters, digits and "-", no dots)`, fix: `write ${quoted(v.replace(/\./g, "-"))}` };
    if (/^-|-$/.test(v)) return { rule: `starts or ends with "-"; a ${what} must start and end with a letter or digit (DNS-1123 label)`, fix: `write ${quoted(v.replace(/^-+|-+$/g, "") || example)}` };
    return { rule: `is not a valid ${what} (DNS-1123 label: lower-case letters, digits and "-")`, fix: `use a name like ${example}` };
  };
}

/** A DNS-1123 subdomain (Secret, IngressClass, Gateway, ServiceAccount): dot-separated DNS-1123 labels, at most 253 characters. */
export function dnsSubdomain(what: string, example: string): Checker {
  return (v) => {
    if (v.length === 0) return { rule: `is empty: a ${what} needs a name`, fix: `use a name like ${example}` };
    if (v.length > DNS_SUBDOMAIN_MAX) return { rule: `is ${v.length} characters; a ${what} allows at most ${DNS_SUBDOMAIN_MAX}`, fix: "shorten it" };
    if (v.split(".").every((l) => LABEL.test(l))) return undefined;
    if (v.split(".").every((l) => LABEL.test(l.toLowerCase()))) return { rule: `has upper-case letters; a ${what} is lower-case (DNS-1123 subdomain)`, fix: `write ${quoted(v.toLowerCase())}` };
    return { rule: `is not a valid ${what} (DNS-1123 subdomain: lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit)`, fix: `use a name like ${example}` };
  };
}

/** A DNS-1035 label (Service): a DNS-1123 label that starts with a letter, at most 63. */
export function dns1035Label(what: string, example: string): Checker {
  const label = dnsLabel(what, DNS_LABEL_MAX, example);
  return (v) => {
    const problem = label(v);
    if (problem) return problem;
    if (!/^[a-z]/.test(v)) return { rule: `starts with a digit; a ${what} must start with a letter (DNS-1035 label)`, fix: `prefix it with a letter, e.g. ${quoted(`svc-${v}`)}` };
    return undefined;
  };
}

/** A label key (qualified name): `[prefix/]name`, the prefix a DNS-1123 subdomain, the name at most 63 of letters, digits, `-`, `_`, `.`. */
export function labelKey(v: string): Check | undefined {
  const example = "app.kubernetes.io/name";
  const parts = v.split("/");
  if (parts.length > 2) return { rule: `has ${parts.length - 1} "/"; a Kubernetes label key has at most one, between its DNS prefix and its name`, fix: `use a key like ${example}` };
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined) {
    const p = dnsSubdomain("label key prefix", "app.kubernetes.io")(prefix);
    if (p) return { rule: `has a prefix ${quoted(prefix)} that ${p.rule}`, fix: p.fix };
  }
  if (name.length === 0) return { rule: "has an empty name part; a Kubernetes label key needs a name", fix: `use a key like ${example}` };
  if (name.length > LABEL_VALUE_MAX) return { rule: `has a name part of ${name.length} characters; a Kubernetes label key's name allows at most ${LABEL_VALUE_MAX}`, fix: "shorten it" };
  if (!QUALIFIED.test(name)) return { rule: `is not a valid Kubernetes label key (name part: letters, digits, "-", "_" and ".", starting and ending with a letter or digit)`, fix: `use a key like ${example}` };
  return undefined;
}

/** A label value: empty, or at most 63 of letters, digits, `-`, `_`, `.`, starting and ending with a letter or digit. */
export function labelValue(v: string): Check | undefined {
  if (v.length > LABEL_VALUE_MAX) return { rule: `is ${v.length} characters; a Kubernetes label value allows at most ${LABEL_VALUE_MAX}`, fix: "shorten it" };
  if (v !== "" && !QUALIFIED.test(v)) return { rule: `is not a valid Kubernetes label value (letters, digits, "-", "_" and ".", starting and ending with a letter or digit)`, fix: `use a value like ${quoted(v.replace(/[^-A-Za-z0-9_.]+/g, "-").replace(/^[-_.]+|[-_.]+$/g, "") || "prometheus")}` };
  return undefined;
}
