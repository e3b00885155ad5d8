/**
 * Runs several `flyte` command lines in ONE process, one after the other, and prints what each
 * returned as a JSON array: `[{ code, out, err }, ...]`. Starting node + tsx costs about a second
 * on this machine; the bin itself is exercised by the tests that spawn it directly.
 *
 *   node --import tsx --conditions=@flyte/source cliDriver.ts '[["run", "f.ts", "t"], ...]'
 */
import type { CliIo } from "../../src/cli/CliIo.js";
import { runFlyteCli } from "../../src/cli/runFlyteCli.js";

const commands = JSON.parse(process.argv[2] ?? "[]") as string[][];
const results: Array<{ code: number; out: string; err: string }> = [];
for (const argv of commands) {
  let out = "";
  let err = "";
  const io: CliIo = {
    out: (t) => void (out += t.endsWith("\n") ? t : `${t}\n`),
    err: (t) => void (err += t.endsWith("\n") ? t : `${t}\n`),
    isTTY: false,
  };
  const code = await runFlyteCli(argv, io);
  results.push({ code, out, err });
}
process.stdout.write(`${JSON.stringify(results)}\n`);
process.exit(0);
