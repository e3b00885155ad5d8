/**
 * Checkpoint speed and memory, each against its natural baseline in the same run:
 * - save + load of a 256 MiB file through the disk adapter vs `fs.copyFile` twice (≥ 0.7×);
 * - save of a 256 MiB directory of 1,000 files (half text, half random) vs `tar czf` (≥ 0.8×);
 * - peak RSS while saving and loading a 1 GiB file and a 1 GiB directory, async and sync
 *   (< 64 MiB above the baseline), read from the kernel's high-water mark (VmHWM, reset
 *   through /proc/self/clear_refs) so blocking calls are measured too.
 * Everything lives under os.tmpdir() and is removed at the end.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveStorage } from "@flyte/storage-adapters";
import { Checkpoint } from "@flyte/checkpoint";
import type { CheckpointOptions } from "@flyte/checkpoint";
import { compare, printRows, printTable, sampleRss } from "../../../tooling/bench/harness.js";

const MiB = 1024 * 1024;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "flyte-cp-bench-"));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const noFsync: CheckpointOptions = {
  storage: (uri) => resolveStorage(uri, { fsync: false }),
  tmpDir: root,
};
const durable: CheckpointOptions = { tmpDir: root };

/** Writes `size` bytes: text-like lines for `textShare` of it, random bytes for the rest. */
function writeMixed(file: string, size: number, textShare = 0.5): void {
  const fd = fs.openSync(file, "w");
  const line = Buffer.from(
    "step=000123 loss=0.034512 lr=3.0e-4 grad_norm=1.2345 tokens=4096 note=checkpoint-bench\n",
  );
  const textBlock = Buffer.alloc(MiB);
  for (let i = 0; i < MiB; i += line.length) line.copy(textBlock, i);
  const textBytes = Math.floor(size * textShare);
  for (let written = 0; written < size;) {
    const text = written < textBytes;
    const n = Math.min(MiB, (text ? textBytes : size) - written);
    fs.writeSync(fd, text ? textBlock.subarray(0, n) : randomBytes(n));
    written += n;
  }
  fs.closeSync(fd);
}

function makeDir(dir: string, total: number, files: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const per = Math.floor(total / files);
  for (let i = 0; i < files; i++) {
    const sub = path.join(dir, `shard-${String(i % 20).padStart(2, "0")}`);
    fs.mkdirSync(sub, { recursive: true });
    // Alternate text-heavy and random-heavy files: half the bytes compress, half do not.
    writeMixed(path.join(sub, `part-${i}.bin`), per, i % 2 === 0 ? 0.9 : 0.1);
  }
}

/** Peak resident memory above the starting point while `fn` runs (kernel high-water mark). */
async function peakAbove(fn: () => unknown): Promise<number> {
  gc();
  const base = process.memoryUsage.rss();
  let viaKernel = true;
  try {
    fs.writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    viaKernel = false;
  }
  const sampler = sampleRss(2);
  await fn();
  const sampled = sampler.stop();
  let peak = sampled;
  if (viaKernel) {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
    if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
  }
  return peak - base;
}

let seq = 0;
const dest = (): string => path.join(root, "store", `cp-${++seq}`);

try {
  // ---- 256 MiB file: save + load vs copyFile twice ----
  const file = path.join(root, "model.bin");
  writeMixed(file, 256 * MiB);
  const roundTrip = (options: CheckpointOptions) => async () => {
    const target = dest();
    {
      await using w = new Checkpoint(target, undefined, options);
      await w.save(file);
    }
    await using r = new Checkpoint(dest(), target, options);
    await r.load();
    fs.rmSync(target, { force: true });
    fs.rmSync(`${target}.manifest.json`, { force: true });
  };
  const copyTwice = async () => {
    const a = path.join(root, "copy-a");
    const b = path.join(root, "copy-b");
    await fs.promises.copyFile(file, a);
    await fs.promises.copyFile(a, b);
    fs.rmSync(a);
    fs.rmSync(b);
  };
  const fileResults = await compare(
    [
      {
        name: "save+load 256 MiB file (disk, fsync: false)",
        target: "≥ 0.7×",
        kind: "throughput",
        baseline: { name: "fs.copyFile ×2", fn: copyTwice },
        subject: { name: "save+load", fn: roundTrip(noFsync) },
      },
      {
        name: "save+load 256 MiB file (disk, default fsync)",
        target: "≥ 0.7×",
        kind: "throughput",
        baseline: { name: "fs.copyFile ×2", fn: copyTwice },
        subject: { name: "save+load", fn: roundTrip(durable) },
      },
    ],
    { iterations: 4, time: 1, warmupTime: 1 },
  );
  printTable("Checkpoint: 256 MiB file, save + load through the disk adapter", fileResults);

  // ---- 256 MiB directory of 1,000 files: save vs tar czf ----
  const tree = path.join(root, "tree");
  makeDir(tree, 256 * MiB, 1000);
  const children = fs.readdirSync(tree).sort();
  const tarCzf = () => {
    const out = path.join(root, "baseline.tar.gz");
    const r = spawnSync("tar", ["czf", out, "-C", tree, ...children]);
    if (r.status !== 0) throw new Error(String(r.stderr));
    fs.rmSync(out);
  };
  const saveDir =
    (options: CheckpointOptions, sync = false) =>
    async () => {
      const target = dest();
      await using w = new Checkpoint(target, undefined, options);
      if (sync) w.saveSync(tree);
      else await w.save(tree);
      fs.rmSync(target, { force: true });
      fs.rmSync(`${target}.manifest.json`, { force: true });
    };
  const dirResults = await compare(
    [
      {
        name: "save 256 MiB dir, 1,000 files (gzip level 6, fsync: false)",
        target: "≥ 0.8×",
        kind: "throughput",
        baseline: { name: "tar czf", fn: tarCzf },
        subject: { name: "save", fn: saveDir(noFsync) },
      },
      {
        name: "save 256 MiB dir, 1,000 files (gzip level 6, default fsync)",
        target: "≥ 0.8×",
        kind: "throughput",
        baseline: { name: "tar czf", fn: tarCzf },
        subject: { name: "save", fn: saveDir(durable) },
      },
      {
        name: "saveSync 256 MiB dir, 1,000 files (gzip level 6, default fsync)",
        target: "≥ 0.8×",
        kind: "throughput",
        baseline: { name: "tar czf", fn: tarCzf },
        subject: { name: "saveSync", fn: saveDir(durable, true) },
      },
    ],
    { iterations: 3, time: 1, warmupTime: 1 },
  );
  printTable("Checkpoint: 256 MiB directory of 1,000 files, save vs tar czf", dirResults);

  // Size of what is stored, level 6 vs Python's default 9.
  const sizes: string[][] = [];
  for (const level of [6, 9]) {
    const target = dest();
    const started = process.hrtime.bigint();
    await using w = new Checkpoint(target, undefined, { ...noFsync, compressionLevel: level });
    await w.save(tree);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    sizes.push([
      `${level}${level === 9 ? " (Python tarfile w:gz default)" : " (our default, = gzip/tar czf)"}`,
      `${(fs.statSync(target).size / MiB).toFixed(1)} MiB`,
      `${(ms / 1000).toFixed(2)} s`,
    ]);
    fs.rmSync(target);
  }
  printRows(
    "Checkpoint: gzip level trade-off on the 256 MiB directory (one run each)",
    ["level", "stored size", "save time"],
    sizes,
  );

  fs.rmSync(tree, { recursive: true, force: true });
  fs.rmSync(file, { force: true });

  // ---- 1 GiB: peak RSS above the baseline ----
  const bigFile = path.join(root, "big.bin");
  writeMixed(bigFile, 1024 * MiB);
  const bigDir = path.join(root, "bigdir");
  makeDir(bigDir, 1024 * MiB, 64);
  const rows: string[][] = [];
  const measure = async (label: string, fn: () => unknown): Promise<void> => {
    const above = await peakAbove(fn);
    rows.push([
      label,
      `${(above / MiB).toFixed(1)} MiB`,
      "< 64 MiB",
      above < 64 * MiB ? "ok" : "OVER",
    ]);
  };
  for (const [kind, source] of [
    ["file", bigFile],
    ["directory", bigDir],
  ] as const) {
    const target = dest();
    await measure(`save 1 GiB ${kind} (async)`, async () => {
      await using w = new Checkpoint(target, undefined, noFsync);
      await w.save(source);
    });
    await measure(`load 1 GiB ${kind} (async)`, async () => {
      await using r = new Checkpoint(dest(), target, noFsync);
      await r.load();
    });
    const syncTarget = dest();
    await measure(`saveSync 1 GiB ${kind}`, () => {
      using w = new Checkpoint(syncTarget, undefined, noFsync);
      w.saveSync(source);
    });
    await measure(`loadSync 1 GiB ${kind}`, () => {
      using r = new Checkpoint(dest(), syncTarget, noFsync);
      r.loadSync();
    });
    for (const t of [target, syncTarget]) {
      fs.rmSync(t, { force: true });
      fs.rmSync(`${t}.manifest.json`, { force: true });
    }
  }
  printRows(
    "Checkpoint: peak RSS above baseline, 1 GiB checkpoints (VmHWM)",
    ["case", "peak above baseline", "target", ""],
    rows,
  );
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
