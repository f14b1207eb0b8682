import { InputError } from "../exposure/terraform-json";

/** A heavy optional peer dependency, loaded only when live mode needs it; missing, a one-line message with the install command. */
export async function optionalPeer<T>(load: () => Promise<T>, name: string, option: string): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") throw new InputError(`${option} reads live with ${name}, which is not installed: npm install ${name} (or read offline: mimir-ports verify --print-commands)`);
    throw err;
  }
}
