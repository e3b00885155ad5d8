/**
 * The sync-bridge worker: owns one async adapter and answers blocking calls from the thread that
 * started it. Each reply is posted on the port first, then the caller's shared flag is raised,
 * so the caller (parked in `Atomics.wait`) finds the reply with `receiveMessageOnPort`.
 * Large objects go to and from local files here, never whole through the channel.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { workerData } from "node:worker_threads";
import type { Bytes, ObjectMeta, Storage } from "../Storage.js";
import {
  serializeError,
  type BridgeEnvelope,
  type BridgeReply,
  type BridgeWorkerData,
} from "./protocol.js";

const data = workerData as BridgeWorkerData;
const port = data.port;

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
  const transfer: ArrayBuffer[] = [];
  try {
    const value = await perform(await storage, request);
    if (value instanceof Uint8Array) {
      // Transfer, not copy: a fresh standalone buffer can be handed over whole.
      const own =
        value.byteOffset === 0 && value.byteLength === value.buffer.byteLength
          ? value
          : value.slice();
      transfer.push(own.buffer as ArrayBuffer);
      reply = { id: request.id, ok: true, value: own };
    } else {
      reply = { id: request.id, ok: true, value };
    }
  } catch (error) {
    reply = { id: request.id, ok: false, error: serializeError(error) };
  }
  port.postMessage(reply, transfer);
  const flag = new Int32Array(request.flag);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
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
