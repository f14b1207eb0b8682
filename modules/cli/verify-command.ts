import { InputError } from "../exposure/terraform-json";
import { readContractInput } from "../live/contract-input";
import { readLiveState } from "../live/read-state";
import { printCommands } from "../live/print-commands";
import { checkProbeInput, probe } from "../live/probe";
import { renderJson, renderLiveSarif, renderText } from "../live/report";
import { verify } from "../live/verify";
import { failing } from "../policy/evaluate";
import { parseSeverity } from "./check-command";
import { parseCliArgs, UserError } from "./run";
import { packageVersion } from "./version";

const USAGE =
  "usage: mimir-ports verify --contract <stack dir|cdk.tf.json|contract.json> [--stack NAME] (--kube FILE... --aws DIR... | --kube-context NAME [--kubeconfig FILE] --region R) [--probe https://host[:port] [--client-cert FILE --client-key FILE [--class NAME]] [--probe-ca FILE]] [--format text|json|sarif] [--fail-on error] | --print-commands";

/**
 * `mimir-ports verify`: the live environment judged against its contract by the same rules as `check`.
 * Exit 0 clean, 1 findings at or above --fail-on (a part that could not be read is one), 2 bad input.
 */
export async function verifyCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs(
    {
      args,
      options: {
        contract: { type: "string" },
        stack: { type: "string" },
        kube: { type: "string", multiple: true },
        aws: { type: "string", multiple: true },
        "kube-context": { type: "string" },
        kubeconfig: { type: "string" },
        region: { type: "string" },
        probe: { type: "string", multiple: true },
        "client-cert": { type: "string" },
        "client-key": { type: "string" },
        class: { type: "string" },
        "probe-ca": { type: "string" },
        "print-commands": { type: "boolean", default: false },
        format: { type: "string", default: "text" },
        "fail-on": { type: "string", default: "error" },
      },
      allowPositionals: false,
    },
    USAGE,
  );
  if (values["print-commands"]) {
    process.stdout.write(printCommands({ kubeContext: values["kube-context"], region: values.region }));
    return 0;
  }
  const threshold = parseSeverity(values["fail-on"]!);
  const format = values.format!;
  if (!["text", "json", "sarif"].includes(format)) throw new UserError(`verify: --format ${JSON.stringify(format)} is not one of text, json, sarif`);
  if (!values.contract) throw new UserError(`verify: --contract is required (the stack directory of cdktf.out, its cdk.tf.json, or \`terraform output -json mimir_port_contract\`); ${USAGE}`);
  const offline = values.kube !== undefined || values.aws !== undefined;
  const online = values["kube-context"] !== undefined || values.region !== undefined;
  if ((values.kube && values["kube-context"]) || (values.aws && values.region)) throw new UserError("verify: read Kubernetes from --kube files or --kube-context, AWS from --aws directories or --region, not both");
  if (!offline && !online && !values.probe) throw new UserError(`verify: nothing to read; give --kube FILE and --aws DIR (see --print-commands), or --kube-context NAME and --region R; ${USAGE}`);
  if (values.kubeconfig !== undefined && values["kube-context"] === undefined) throw new UserError(`verify: --kubeconfig ${values.kubeconfig} is read only with --kube-context NAME; add --kube-context (the context to read) or drop --kubeconfig`);
  if (!values.probe) {
    const probeOnly = (["client-cert", "client-key", "class", "probe-ca"] as const).find((f) => values[f] !== undefined);
    if (probeOnly) throw new UserError(`verify: --${probeOnly} ${values[probeOnly]} is used only by --probe; add --probe https://host[:port] (the entry to ask) or drop --${probeOnly}`);
  }
  try {
    checkProbeInput(values.probe ?? [], { cert: values["client-cert"], key: values["client-key"], className: values.class, ca: values["probe-ca"] });
    const input = readContractInput(values.contract, values.stack);
    const live = !offline && !online ? { kube: [], missing: [], from: ["probe only"] } : await readLiveState({ kube: values.kube, aws: values.aws, kubeContext: values["kube-context"], kubeconfig: values.kubeconfig, region: values.region });
    const { model, findings } = verify(input, live);
    const all = [...findings];
    const { http, grpc, memberlist } = input.contract.ports;
    for (const target of values.probe ?? []) all.push(...(await probe(target, { authMode: input.authMode, cert: values["client-cert"], key: values["client-key"], classes: input.classes, className: values.class, ca: values["probe-ca"], internalPorts: [http, grpc, memberlist], stack: model.stack })));
    const out = format === "json" ? renderJson(model, all, threshold, live.from) : format === "sarif" ? renderLiveSarif(model, all, threshold, packageVersion()) : renderText(model, all, threshold, live.from);
    process.stdout.write(out);
    return failing(all, threshold).length > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof InputError) throw new UserError(err.message, 2);
    throw err;
  }
}
