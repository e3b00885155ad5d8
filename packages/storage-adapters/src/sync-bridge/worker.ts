/**
 * The sync-bridge worker: owns one async adapter and answers blocking calls from the thread that
 * started it. Each reply is posted on the port first, then the shared `REPLY` cell is raised,
 * so the caller (parked in `Atomics.wait`) finds the reply with `receiveMessageOnPort`. While
 * its event loop runs it counts the `BEAT` cell up, and it marks `STATE` when it exits, so a
 * caller never waits on a worker that died. Large objects go to and from local files here,
 * never whole through the channel.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { workerData } from "node:worker_threads";
import type { Bytes, ObjectMeta, Storage } from "../Storage.js";
import {
  CONTROL,
  HEARTBEAT_MS,
  serializeError,
  WORKER_STATE,
  type BridgeEnvelope,
  type BridgeReply,
  type BridgeWorkerData,
} from "./protocol.js";

const data = workerData as BridgeWorkerData;
const port = data.port;
const control = new Int32Array(data.control);

/** Wakes the caller: a reply was posted, or the worker is going away. */
function wakeCaller(): void {
  Atomics.store(control, CONTROL.REPLY, 1);
  Atomics.notify(control, CONTROL.REPLY);
}

setInterval(() => Atomics.add(control, CONTROL.BEAT, 1), HEARTBEAT_MS).unref();
process.on("exit", () => {
  Atomics.store(control, CONTROL.STATE, WORKER_STATE.EXITING);
  wakeCaller();
});
// An error nothing caught would end the worker with the caller none the wiser: say it first.
const fatal = (error: unknown): void => {
  const last: BridgeReply = { id: 0, ok: false, fatal: true, error: serializeError(error) };
  port.postMessage(last);
  process.exit(1);
};
process.on("uncaughtException", fatal);
process.on("unhandledRejection", fatal);

const storage: Promise<Storage> = (async () => {
  const mod = (await import(data.moduleUrl)) as Record<string, unknown>;
  const factory = mod[data.target.factory];
  if (typeof factory !== "function")
    throw new Error(`${data.moduleUrl} does not export ${data.target.factory}`);
  return (factory as (location: unknown, options: unknown) => Storage)(
    data.target.location,
    data.target.options,
  );
})();
// The failure is reported per request; do not let it crash the worker unseen.
storage.catch(() => undefined);

port.on("message", (request: BridgeEnvelope) => {
  void answer(request);
});

async function answer(request: BridgeEnvelope): Promise<void> {
  let reply: BridgeReply;
  try {
    reply = { id: request.id, ok: true, value: await perform(await storage, request) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: serializeError(error) };
  }
  try {
    post(reply);
  } catch (error) {
    // Whatever went wrong, the caller gets an answer: it is blocked until it does.
    port.postMessage({ id: request.id, ok: false, error: serializeError(error) });
  } finally {
    wakeCaller();
  }
}

/**
 * Posts a reply, handing bytes over without a copy where that is possible. A `Buffer` may be
 * a view into Node's shared allocation pool (`Buffer.allocUnsafe` of a small size, and
 * `Buffer#slice` returns a view, not a copy); Node 21+ refuses to transfer that pool
 * (`DataCloneError`), so such bytes are copied into a buffer of their own first. Should a
 * transfer still be refused, the reply is posted as a copy.
 */
function post(reply: BridgeReply): void {
  if (!reply.ok || !(reply.value instanceof Uint8Array)) {
    port.postMessage(reply);
    return;
  }
  const value = reply.value;
  const own =
    value.byteOffset === 0 &&
    value.byteLength === value.buffer.byteLength &&
    value.buffer instanceof ArrayBuffer
      ? value
      : new Uint8Array(value);
  try {
    port.postMessage({ ...reply, value: own }, [own.buffer as ArrayBuffer]);
  } catch {
    port.postMessage({ ...reply, value: own });
  }
}

async function perform(
  s: Storage,
  request: BridgeEnvelope,
): Promise<ObjectMeta | Bytes | null | undefined> {
  switch (request.op) {
    case "head":
      return s.head(request.key);
    case "get":
      return s.get(request.key);
    case "getToFile":
      return getToFile(s, request.key, request.path);
    case "put":
      return s.put(request.key, request.body, request.mode ? { mode: request.mode } : {});
    case "putFile": {
      const { size } = await stat(request.path);
      return s.putStream(request.key, createReadStream(request.path), {
        size,
        ...(request.mode ? { mode: request.mode } : {}),
      });
    }
    case "delete":
      await s.delete(request.key);
      return undefined;
  }
}

/** Streams the object into a temp file beside `path`, then renames it into place. */
async function getToFile(s: Storage, key: string, path: string): Promise<ObjectMeta> {
  const found = await s.head(key);
  const chunks = await s.getStream(key);
  const temp = `${path}.${process.pid}.${Date.now().toString(36)}.part`;
  let size = 0;
  try {
    await pipeline(
      Readable.from(
        (async function* () {
          for await (const chunk of chunks) {
            size += chunk.byteLength;
            yield chunk;
          }
        })(),
      ),
      createWriteStream(temp),
    );
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return { key, size, ...(found?.etag !== undefined ? { etag: found.etag } : {}) };
}
