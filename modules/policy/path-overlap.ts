/**
 * Can one request path meet two sets of path conditions (a load balancer rule's `path_pattern` and a route's
 * matches)? Exact paths are tested against the other side; prefixes and ALB globs are compared by their literal
 * heads (the text before the first `*` or `?`): every path either admits starts with its head, so two heads where
 * neither starts with the other admit no common path. Anything else (regexes against anything but an exact path,
 * heads that nest) counts as overlapping: the answer errs towards a way in, never away from one.
 */
import { routeMatches } from "../contract/public-api";
import type { PathCond } from "../exposure/model";

/** An ALB path pattern (case-sensitive glob: `*` any characters including `/`, `?` exactly one) as a RegExp. */
export function globRegex(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
}

/** The request paths a condition admits, as a predicate (undefined: not decidable, e.g. an invalid regex). */
export function admitter(c: PathCond): ((path: string) => boolean) | undefined {
  switch (c.kind) {
    case "exact":
      return (path) => c.value === path;
    case "prefix":
      return (path) => c.value === "/" || routeMatches({ path: c.value, match: "prefix" }, path);
    case "glob": {
      const re = globRegex(c.value);
      return (path) => re.test(path);
    }
    case "regex":
      try {
        const re = new RegExp(c.value);
        return (path) => re.test(path);
      } catch {
        return undefined;
      }
  }
}

const head = (c: PathCond) => (c.kind === "glob" ? c.value.split(/[*?]/)[0] : c.value);

function meet(a: PathCond, b: PathCond): boolean {
  if (a.kind === "exact") return admitter(b)?.(a.value) ?? true;
  if (b.kind === "exact") return admitter(a)?.(b.value) ?? true;
  if (a.kind === "regex" || b.kind === "regex") return true;
  const [x, y] = [head(a), head(b)];
  return x.startsWith(y) || y.startsWith(x);
}

/** The conditions of `a` that some path of `b` meets (undefined on either side: every path). */
export function overlapping(a: readonly PathCond[] | undefined, b: readonly PathCond[] | undefined): readonly PathCond[] | undefined {
  if (a === undefined) return b === undefined ? undefined : b;
  if (b === undefined) return a;
  return a.filter((x) => b.some((y) => meet(x, y)));
}
