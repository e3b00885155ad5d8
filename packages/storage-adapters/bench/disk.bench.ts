/**
 * Disk adapter vs raw `fs.promises`: put (writeFile + rename) and get (readFile) of 1 MiB and
 * 256 MiB, target ≥ 0.8× throughput; and the peak RSS of streaming 1 GiB through
 * putStream/getStream, target < 64 MiB above the baseline. Files go under os.tmpdir() and are
 * removed at the end.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import type { Bytes } from "@flyte/storage-adapters";
import { PosixStorage } from "@flyte/storage-adapters";

import type { Comparison } from "../../../tooling/bench/harness.js";
import { compare, printRows, printTable, sampleRss } from "../../../tooling/bench/harness.js";

const MiB = 1024 * 1024;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flyte-disk-bench-"));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

try {
  const durable = new PosixStorage({ fs, root: path.join(dir, "adapter") });
  const noFsync = new PosixStorage({ fs, root: path.join(dir, "adapter-nofsync"), fsync: false });
  fs.mkdirSync(path.join(dir, "raw"));

  let n = 0;
  const rawPut = async (bytes: Uint8Array) => {
    const final = path.join(dir, "raw", "object");
    const tmp = `${final}.${n++}.tmp`;
    await fs.promises.writeFile(tmp, bytes);
    await fs.promises.rename(tmp, final);
  };

  const comparisons = (size: number): Comparison[] => {
    const bytes = new Uint8Array(size).fill(7);
    const label = `${size / MiB} MiB`;
    return [
      {
        name: `put ${label} (fsync)`,
        target: "≥ 0.8×",
        kind: "throughput",
        baseline: { name: "writeFile+rename", fn: () => rawPut(bytes) },
        subject: { name: "put", fn: () => durable.put("object", bytes) },
      },
      {
        name: `put ${label} (fsync: false)`,
        target: "≥ 0.8×",
        kind: "throughput",
        baseline: { name: "writeFile+rename", fn: () => rawPut(bytes) },
        subject: { name: "put", fn: () => noFsync.put("object", bytes) },
      },
      {
        name: `get ${label}`,
        target: "≥ 0.8×",
        kind: "throughput",
        baseline: {
          name: "readFile",
          fn: () => fs.promises.readFile(path.join(dir, "raw", "object")),
        },
        subject: { name: "get", fn: () => durable.get("object") },
      },
    ];
  };

  // Peak RSS first, while the heap is small: later cases keep 256 MiB buffers alive.
  // Peak RSS while streaming 1 GiB in 1 MiB chunks through putStream, then back via getStream.
  const total = 1024 * MiB;
  async function* source(): AsyncIterable<Bytes> {
    for (let sent = 0; sent < total; sent += MiB) yield new Uint8Array(MiB).fill(sent / MiB);
  }
  gc();
  const baseline = process.memoryUsage.rss();
  const putRss = sampleRss();
  let started = performance.now();
  await durable.putStream("big", source());
  const putMs = performance.now() - started;
  const putPeak = putRss.stop();
  gc();
  const getBaseline = process.memoryUsage.rss();
  const getRss = sampleRss();
  started = performance.now();
  let read = 0;
  for await (const chunk of await durable.getStream("big")) read += chunk.length;
  const getMs = performance.now() - started;
  const getPeak = getRss.stop();
  if (read !== total) throw new Error(`read ${read} bytes, expected ${total}`);
  // Dropped before the timed cases so its write-back does not slow them.
  await durable.delete("big");
  const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
  printRows(
    "Streaming 1 GiB through the disk adapter (peak RSS above the baseline; target < 64 MiB)",
    ["direction", "baseline RSS", "peak RSS", "above baseline", "throughput"],
    [
      [
        "putStream",
        mib(baseline),
        mib(putPeak),
        mib(putPeak - baseline),
        `${(total / MiB / (putMs / 1000)).toFixed(0)} MiB/s`,
      ],
      [
        "getStream",
        mib(getBaseline),
        mib(getPeak),
        mib(getPeak - getBaseline),
        `${(total / MiB / (getMs / 1000)).toFixed(0)} MiB/s`,
      ],
    ],
  );
  // Prime both objects so the get cases read something of the right size.
  for (const size of [MiB, 256 * MiB]) {
    const [putDurable] = comparisons(size);
    await putDurable!.baseline.fn();
    await putDurable!.subject.fn();
    const small = await compare(
      comparisons(size),
      size > MiB ? { time: 0, warmupTime: 0, iterations: 4 } : {},
    );
    printTable(`Disk adapter vs raw fs.promises, ${size / MiB} MiB`, small);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
