import type { MessagePort, Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import type { Bytes, ObjectMeta, PutOptions, SyncStorage } from "../Storage.js";
import { InvalidArgumentError, StorageConfigurationError, TransientError } from "../errors.js";
import {
  CONTROL,
  WORKER_STATE,
  type BridgeReply,
  type BridgeRequest,
  type BridgeTarget,
  type BridgeWorkerData,
} from "./protocol.js";
import { reviveError } from "./reviveError.js";
import { workerFiles } from "./workerFiles.js";

/**
 * The host's Node flags minus those that name the program: a worker inherits `-e`/`-p` with the
 * script text and would run that instead of its own file (and never answer).
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (arg === "-e" || arg === "--eval" || arg === "-p" || arg === "--print") {
      i++;
      continue;
    }
    if (/^--(eval|print|input-type)=/.test(arg) || arg === "--input-type") {
      if (arg === "--input-type") i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

/** Options of a {@link SyncBridge}. */
export interface SyncBridgeOptions {
  /** How long one blocking call may take before it fails with `TransientError`. Default 15 minutes. */
  readonly timeoutMs?: number;
  /**
   * How long the worker may show no sign of life (its event loop counts a shared cell up every
   * 100 ms) before a call gives up on it with `TransientError`: it failed to start, or died
   * without a word (out of memory, killed). Default 20 seconds.
   */
  readonly unresponsiveMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15 * 60_000;
const DEFAULT_UNRESPONSIVE_MS = 20_000;
/** The caller wakes at least this often to look for signs of life. */
const WAIT_SLICE_MS = 250;

/**
 * Blocking access to an async adapter that runs in a worker thread. A call posts its request,
 * parks the calling thread in `Atomics.wait` until the worker raises a shared flag, then reads
 * the reply synchronously. Errors come back as the same typed error class, URI and message.
 *
 * The worker starts on the first call, is `unref`'d (it never keeps the process alive) and is
 * stopped by {@link SyncBridge.close}. Calls are strictly one at a time, as blocking calls are.
 *
 * A blocked caller cannot receive events, so it cannot hear a worker's `error` or `exit`; it
 * watches shared cells instead (see `CONTROL`). A call never waits forever: a worker that
 * answers with a fatal error, exits, or shows no sign of life for `unresponsiveMs` fails the
 * call with a `TransientError` saying so (and the next call starts a new worker), and every
 * call fails after `timeoutMs`. A signal cannot reach a blocked thread, so the blocking twins
 * take none: bound them with `timeoutMs`.
 */
export class SyncBridge implements SyncStorage {
  readonly #target: BridgeTarget;
  readonly #uri: string;
  readonly #timeoutMs: number;
  readonly #unresponsiveMs: number;
  #worker: Worker | undefined;
  #port: MessagePort | undefined;
  #control: Int32Array | undefined;
  #nextId = 1;

  constructor(target: BridgeTarget, uri: string, options: SyncBridgeOptions = {}) {
    this.#target = target;
    this.#uri = uri;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#unresponsiveMs = options.unresponsiveMs ?? DEFAULT_UNRESPONSIVE_MS;
    try {
      // Checked now, not in the worker: a function or client instance in the options cannot cross threads.
      structuredClone(target.options);
    } catch (cause) {
      throw new StorageConfigurationError(
        uri,
        "blocking (sync) access runs the adapter in a worker thread, so its options must be plain data (no functions or clients)",
        { cause },
      );
    }
  }

  headSync(key: string): ObjectMeta | null {
    return this.#call({ op: "head", key }) as ObjectMeta | null;
  }

  getSync(key: string): Bytes {
    return this.#call({ op: "get", key }) as Bytes;
  }

  getToFileSync(key: string, localPath: string): ObjectMeta {
    return this.#call({ op: "getToFile", key, path: this.#checkPath(localPath) }) as ObjectMeta;
  }

  putSync(key: string, body: Bytes | string, options: Pick<PutOptions, "mode"> = {}): ObjectMeta {
    return this.#call({
      op: "put",
      key,
      body,
      ...(options.mode ? { mode: options.mode } : {}),
    }) as ObjectMeta;
  }

  putFileSync(key: string, localPath: string, options: Pick<PutOptions, "mode"> = {}): ObjectMeta {
    const path = this.#checkPath(localPath);
    return this.#call({
      op: "putFile",
      key,
      path,
      ...(options.mode ? { mode: options.mode } : {}),
    }) as ObjectMeta;
  }

  deleteSync(key: string): void {
    this.#call({ op: "delete", key });
  }

  /** Stops the worker. A later call starts a new one. */
  close(): void {
    const worker = this.#worker;
    this.#port?.close();
    this.#worker = undefined;
    this.#port = undefined;
    this.#control = undefined;
    if (worker) void worker.terminate().catch(() => undefined);
  }

  #checkPath(localPath: string): string {
    if (typeof localPath !== "string" || localPath.length === 0 || localPath.includes("\0")) {
      throw new InvalidArgumentError(
        this.#uri,
        "the local path must be a non-empty string without NUL bytes",
      );
    }
    return localPath;
  }

  #start(): { port: MessagePort; control: Int32Array } {
    if (this.#port && this.#control) return { port: this.#port, control: this.#control };
    const files = workerFiles(this.#target.module);
    // `node:worker_threads` is loaded by the first blocking call, not at import: keeps
    // import("@flyte/sdk") light.
    const { MessageChannel, Worker } = process.getBuiltinModule("node:worker_threads");
    const { port1, port2 } = new MessageChannel();
    const control = new Int32Array(new SharedArrayBuffer(CONTROL.CELLS * 4));
    const data: BridgeWorkerData = {
      target: this.#target,
      moduleUrl: this.#target.moduleUrl ?? files.module.href,
      workerUrl: files.worker.href,
      port: port2,
      control: control.buffer as SharedArrayBuffer,
    };
    const worker = new Worker(fileURLToPath(files.entry), {
      workerData: data,
      transferList: [port2],
      execArgv: workerExecArgv(process.execArgv),
      // The environment as this caller sees it now (AWS_* / AZURE_* configure the adapter),
      // not the process's original one (which test sandboxes and later changes do not reach).
      env: { ...process.env },
    });
    worker.unref();
    // Worker failures surface through the control cells; an 'error' event must not crash the host.
    worker.on("error", () => undefined);
    this.#worker = worker;
    this.#port = port1;
    this.#control = control;
    return { port: port1, control };
  }

  #call(request: BridgeRequest): unknown {
    const { port, control } = this.#start();
    const id = this.#nextId++;
    Atomics.store(control, CONTROL.REPLY, 0);
    port.postMessage({ ...request, id });
    const start = Date.now();
    const deadline = start + this.#timeoutMs;
    let beat = Atomics.load(control, CONTROL.BEAT);
    let lastSign = start;
    const { receiveMessageOnPort } = process.getBuiltinModule("node:worker_threads");
    for (;;) {
      const now = Date.now();
      if (now >= deadline) {
        throw this.#giveUp(
          `blocking storage call "${request.op}" timed out after ${this.#timeoutMs} ms`,
        );
      }
      Atomics.wait(control, CONTROL.REPLY, 0, Math.min(WAIT_SLICE_MS, deadline - now));
      // Lowered before the port is read: a reply posted after this raises it again.
      Atomics.store(control, CONTROL.REPLY, 0);
      for (let r = receiveMessageOnPort(port); r !== undefined; r = receiveMessageOnPort(port)) {
        const reply = r.message as BridgeReply;
        if (!reply.ok && reply.fatal) {
          throw this.#giveUp(
            `the storage worker died during "${request.op}"`,
            reviveError(reply.error),
          );
        }
        if (reply.id !== id) continue; // a late reply to an earlier call
        if (reply.ok) return reply.value;
        throw reviveError(reply.error);
      }
      if (Atomics.load(control, CONTROL.STATE) === WORKER_STATE.EXITING) {
        throw this.#giveUp(`the storage worker exited during "${request.op}" without answering`);
      }
      const seen = Atomics.load(control, CONTROL.BEAT);
      if (seen !== beat) {
        beat = seen;
        lastSign = Date.now();
      } else if (Date.now() - lastSign > this.#unresponsiveMs) {
        throw this.#giveUp(
          `the storage worker showed no sign of life for ${this.#unresponsiveMs} ms during "${request.op}": it failed to start or died (out of memory, killed)`,
        );
      }
    }
  }

  /** Stops the worker, whose state is unknown now (the next call starts afresh), and says why. */
  #giveUp(why: string, cause?: unknown): TransientError {
    this.close();
    return new TransientError(this.#uri, why, cause === undefined ? undefined : { cause });
  }
}
