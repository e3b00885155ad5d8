import { Worker } from "node:worker_threads";

/** Bytes per hand-over slot; the worker fills one while the caller consumes the other. */
const SLOT = 256 * 1024;
/** Slot states. */
const EMPTY = 0;
const FULL = 1;
const END = 2;
const ERROR = 3;
/** Control words: two slot states, two slot lengths, the cancel flag, the worker's exit flag. */
const CANCEL = 4;
const EXITED = 5;
const CONTROL_BYTES = 32;
/** A worker that hands over nothing for this long is taken for stuck. */
const IDLE_LIMIT_MS = 10 * 60_000;

/**
 * The worker, as source: public Node APIs only (`fs.createReadStream` → `zlib.createGunzip`),
 * so it runs the same on every supported Node and needs no file of its own (it is started
 * with `eval`, which works from sources, bundles, ESM and CommonJS builds alike).
 */
const WORKER_SOURCE = `
"use strict";
const { workerData } = require("node:worker_threads");
const fs = require("node:fs");
const zlib = require("node:zlib");
const { path, shared, slot } = workerData;
const ctl = new Int32Array(shared, 0, 8);
const data = new Uint8Array(shared, ${CONTROL_BYTES});
let index = 0;
// Atomics.waitAsync keeps no event loop alive (Node 24 on): without this the worker would end
// while it waits for a slot. The caller terminates the worker when it is done.
setInterval(() => undefined, 1 << 30);
process.on("exit", () => {
  Atomics.store(ctl, ${EXITED}, 1);
  Atomics.notify(ctl, 0);
  Atomics.notify(ctl, 1);
});
async function free(i) {
  for (;;) {
    if (Atomics.load(ctl, ${CANCEL}) !== 0) throw Object.assign(new Error("cancelled"), { cancelled: true });
    const state = Atomics.load(ctl, i);
    if (state === ${EMPTY}) return;
    const waited = Atomics.waitAsync(ctl, i, state, 1000);
    if (waited.async) await waited.value;
  }
}
function hand(i, state, length) {
  Atomics.store(ctl, 2 + i, length);
  Atomics.store(ctl, i, state);
  Atomics.notify(ctl, i);
}
async function main() {
  const input = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  const gunzip = zlib.createGunzip({ chunkSize: slot });
  input.on("error", (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  for await (const chunk of gunzip) {
    for (let offset = 0; offset < chunk.length; ) {
      const i = index % 2;
      await free(i);
      const n = Math.min(slot, chunk.length - offset);
      data.set(chunk.subarray(offset, offset + n), i * slot);
      hand(i, ${FULL}, n);
      offset += n;
      index++;
    }
  }
  const i = index % 2;
  await free(i);
  hand(i, ${END}, 0);
}
main().catch(async (error) => {
  if (error && error.cancelled) return;
  const i = index % 2;
  try {
    await free(i);
  } catch {
    return;
  }
  const text = new TextEncoder().encode(JSON.stringify({
    message: String((error && error.message) || error),
    code: error && typeof error.code === "string" ? error.code : undefined,
  }));
  const n = Math.min(text.length, slot);
  data.set(text.subarray(0, n), i * slot);
  hand(i, ${ERROR}, n);
});
`;

/** A failure the worker reported: a zlib error keeps its `Z_*` code (a corrupt or truncated stream). */
export class GunzipWorkerError extends Error {
  override readonly name = "GunzipWorkerError";
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.code = code;
  }
}

/**
 * Gunzips the local file at `path` while the caller blocks, handing the output to `onData`
 * in chunks of up to 256 KiB; each chunk is a view of a shared buffer, valid only during the
 * call. Node has no public incremental *synchronous* inflater (`gunzipSync` is one-shot and
 * holds the whole output), so a worker thread runs the ordinary asynchronous one
 * (`createGunzip`, which checks the gzip CRC-32 and length and reads concatenated members)
 * and hands its output over through two shared slots, the caller parked in `Atomics.wait`
 * between them (as @flyte/storage-adapters' sync bridge does). Memory stays at the two slots
 * plus zlib's window, however large the file; reading and inflating in the worker overlap with
 * what the caller does with each chunk.
 *
 * A corrupt or truncated stream throws a {@link GunzipWorkerError} with zlib's `Z_*` code. If
 * `onData` throws, the worker is stopped and the error passes through unchanged.
 */
export function gunzipFileSync(path: string, onData: (chunk: Uint8Array) => void): void {
  const shared = new SharedArrayBuffer(CONTROL_BYTES + 2 * SLOT);
  const ctl = new Int32Array(shared, 0, 8);
  const data = new Uint8Array(shared, CONTROL_BYTES);
  // No inherited flags: a test runner's or loader's --import would only slow the start.
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, shared, slot: SLOT },
    execArgv: [],
    stdout: true,
    stderr: true,
  });
  worker.unref();
  // Failures come back through the shared slots; an 'error' event must not crash the caller.
  worker.on("error", () => undefined);
  try {
    for (let index = 0; ; index++) {
      const i = index % 2;
      let idle = 0;
      while (Atomics.load(ctl, i) === EMPTY) {
        if (Atomics.load(ctl, EXITED) !== 0 && Atomics.load(ctl, i) === EMPTY) {
          throw new GunzipWorkerError(
            "the gunzip worker stopped before the end of the stream",
            undefined,
          );
        }
        if (Atomics.wait(ctl, i, EMPTY, 1000) === "timed-out" && (idle += 1000) >= IDLE_LIMIT_MS) {
          throw new GunzipWorkerError(
            `the gunzip worker handed over nothing for ${IDLE_LIMIT_MS / 1000} s`,
            undefined,
          );
        }
      }
      const state = Atomics.load(ctl, i);
      const length = Atomics.load(ctl, 2 + i);
      if (state === END) return;
      if (state === ERROR) {
        const { message, code } = JSON.parse(
          new TextDecoder().decode(data.slice(i * SLOT, i * SLOT + length)),
        ) as {
          message: string;
          code?: string;
        };
        const what = code?.startsWith("Z_")
          ? "gzip stream is corrupt or truncated"
          : "cannot read the archive";
        throw new GunzipWorkerError(`${what}: ${message}`, code);
      }
      onData(data.subarray(i * SLOT, i * SLOT + length));
      Atomics.store(ctl, i, EMPTY);
      Atomics.notify(ctl, i);
    }
  } finally {
    Atomics.store(ctl, CANCEL, 1);
    Atomics.notify(ctl, 0);
    Atomics.notify(ctl, 1);
    void worker.terminate().catch(() => undefined);
  }
}
