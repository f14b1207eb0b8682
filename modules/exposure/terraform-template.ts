/**
 * Terraform reads every string in `.tf.json` as a template: `${...}` and
 * `%{...}` are evaluated. Free text we write (Helm values, where Mimir configs
 * use `${ENV_VAR}` with -config.expand-env; acknowledgement reasons) is
 * escaped so it arrives as written, and unescaped when we read synthesized
 * JSON back. (A plan holds final values and needs no unescaping.)
 */
export function escapeTemplate(text: string): string {
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

export function unescapeTemplate(text: string): string {
  return text.replace(/\$\$\{/g, () => "${").replace(/%%\{/g, () => "%{");
}
