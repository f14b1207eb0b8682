import { runSynth } from "../../modules/cli/synth-command";

/** `npm run synth <args>` in this process (what bin/synth.ts calls), its output captured: exit code, stdout, stderr. */
export async function synthInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  const before = process.exitCode;
  try {
    await runSynth(args);
    return { code: Number(process.exitCode ?? 0), stdout: out.join(""), stderr: err.join("") };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
    process.exitCode = before;
    process.stdout.removeAllListeners("error");
  }
}
