import { z } from "zod/v3";
import type { Checker } from "./formats";
import { labelKey, labelValue } from "./k8s-names";

/** A string schema checked by `checker`; `typeMessage` words the "not a string / missing" case ("rule. Fix: fix"). */
export function checkedString(checker: Checker, typeMessage: { message: string }) {
  return z.string(typeMessage).superRefine((value, ctx) => {
    const why = checker(value);
    if (why) ctx.addIssue({ code: "custom", message: `${why.rule}. Fix: ${why.fix}` });
  });
}

/** Kubernetes pod labels: keys and values checked as Kubernetes does (./k8s-names). */
export function labelMap() {
  return z.record(
    checkedString(labelKey, { message: "must be a string. Fix: write the label key as a string, e.g. app.kubernetes.io/name" }),
    checkedString(labelValue, { message: "must be a string. Fix: write the label value as a string, e.g. \"prometheus\"" }),
  );
}
