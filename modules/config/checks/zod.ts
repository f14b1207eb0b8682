import { z } from "zod/v3";
import type { Checker } from "./formats";

/** A string schema checked by `checker`; `typeMessage` words the "not a string / missing" case ("rule. Fix: fix"). */
export function checkedString(checker: Checker, typeMessage: { message: string }) {
  return z.string(typeMessage).superRefine((value, ctx) => {
    const why = checker(value);
    if (why) ctx.addIssue({ code: "custom", message: `${why.rule}. Fix: ${why.fix}` });
  });
}
