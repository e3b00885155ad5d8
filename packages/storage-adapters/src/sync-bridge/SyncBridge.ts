import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from "node:worker_threads";
import { fileURLToPath } from "node:url";
import type { Bytes, ObjectMeta, PutOptions, SyncStorage } from "../Storage.js";
import { InvalidArgumentError, StorageConfigurationError, TransientError } from "../errors.js";
import type { BridgeReply, BridgeRequest, BridgeTarget, BridgeWorkerData } from "./protocol.js";
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
}

const DEFAULT_TIMEOUT_MS = 15 * 60_000;

/**
 * Blocking access to an async adapter that runs in a worker thread. A call posts its request,
 * parks the calling thread in `Atomics.wait` until the worker raises a shared flag, then reads
 * the reply synchronously. Errors come back as the same typed error class, URI and message.
 *
 * The worker starts on the first call, is `unref`'d (it never keeps the process alive) and is
 * stopped by {@link SyncBridge.close}. Calls are strictly one at a time, as blocking calls are.
 */
export class SyncBridge implements SyncStorage {
  readonly #target: BridgeTarget;
  readonly #uri: string;
  readonly #timeoutMs: number;
  #worker: Worker | undefined;
  #port: MessagePort | undefined;
  #flag: Int32Array | undefined;
  #nextId = 1;

  constructor(target: BridgeTarget, uri: string, options: SyncBridgeOptions = {}) {
    this.#target = target;
    this.#uri = uri;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
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
    this.#flag = undefined;
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

  #start(): { port: MessagePort; flag: Int32Array } {
    if (this.#port && this.#flag) return { port: this.#port, flag: this.#flag };
    const files = workerFiles(this.#target.module);
    const { port1, port2 } = new MessageChannel();
    const data: BridgeWorkerData = {
      target: this.#target,
      moduleUrl: files.module.href,
      workerUrl: files.worker.href,
      port: port2,
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
    // Worker failures surface through the replies; an unhandled 'error' event must not crash the host.
    worker.on("error", () => undefined);
    this.#worker = worker;
    this.#port = port1;
    this.#flag = new Int32Array(new SharedArrayBuffer(4));
    return { port: port1, flag: this.#flag };
  }

  #call(request: BridgeRequest): unknown {
    const { port, flag } = this.#start();
    const id = this.#nextId++;
    Atomics.store(flag, 0, 0);
    port.postMessage({ ...request, id, flag: flag.buffer });
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(flag, 0, 0, left) === "timed-out") {
        // The worker's state is unknown now; start afresh on the next call.
        this.close();
        throw new TransientError(
          this.#uri,
          `blocking storage call "${request.op}" timed out after ${this.#timeoutMs} ms`,
        );
      }
      const received = receiveMessageOnPort(port);
      if (received === undefined) continue;
      const reply = received.message as BridgeReply;
      if (reply.id !== id) continue; // a late reply to a call that timed out
      if (reply.ok) return reply.value;
      throw reviveError(reply.error);
    }
  }
}
