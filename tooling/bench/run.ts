/**
 * `pnpm bench [filter]`: runs every `packages/<pkg>/bench/*.bench.ts` in a process of its own
 * (so one bench's heap and JIT state never colour another's) and prints their markdown tables.
 * With `--write`, the output replaces the generated section of BENCHMARKS.md.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import os from "node:os";

const root = join(import.meta.dirname, "..", "..");
const args = process.argv.slice(2);
const write = args.includes("--write");
const filters = args.filter((a) => !a.startsWith("--"));

const files: string[] = [];
for (const pkg of readdirSync(join(root, "packages")).sort()) {
  const dir = join(root, "packages", pkg, "bench");
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith(".bench.ts")) continue;
    const path = join(dir, f);
    if (filters.length && !filters.some((x) => relative(root, path).includes(x))) continue;
    files.push(path);
  }
}

const out: string[] = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, with \`pnpm bench${filters.length ? " " + filters.join(" ") : ""}\`.`,
  "",
];
let failed = false;
for (const file of files) {
  const rel = relative(root, file);
  process.stderr.write(`bench: ${rel}\n`);
  const r = spawnSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", "--conditions=@flyte/source", file],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env: process.env },
  );
  if (r.status !== 0) {
    failed = true;
    out.push(`### ${rel}`, "", `FAILED with exit code ${r.status}`, "");
  } else {
    out.push(`<!-- ${rel} -->`, r.stdout.trim(), "");
  }
}
const text = out.join("\n");
console.log(text);

if (write) {
  const target = join(root, "BENCHMARKS.md");
  const begin = "<!-- bench:begin -->";
  const end = "<!-- bench:end -->";
  const current = existsSync(target) ? readFileSync(target, "utf8") : `# Benchmarks\n\n${begin}\n${end}\n`;
  const i = current.indexOf(begin);
  const j = current.indexOf(end);
  if (i < 0 || j < 0) throw new Error("BENCHMARKS.md lacks the bench:begin/bench:end markers");
  writeFileSync(target, current.slice(0, i + begin.length) + "\n" + text + "\n" + current.slice(j));
}
process.exit(failed ? 1 : 0);
