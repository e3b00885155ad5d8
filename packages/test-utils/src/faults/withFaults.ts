import { createReadStream } from "node:fs";
import type {
  Bytes,
  DeleteOptions,
  HeadOptions,
  FileStorage,
  GetOptions,
  ListEntry,
  ListOptions,
  ObjectMeta,
  PutOptions,
  PutStreamOptions,
  Storage,
  SyncStorage,
} from "@flyte/storage-adapters";
import {
  PermissionDeniedError,
  TransientError,
  isFileStorage,
  isSyncStorage,
} from "@flyte/storage-adapters";

import type { FaultOperation, FaultPlan, FaultStats } from "./FaultPlan.js";
import { ALL_FAULT_OPERATIONS } from "./FaultPlan.js";
import { seededRandom } from "./seededRandom.js";

/** A storage with faults injected in front of a real one. */
export interface FaultyStorage extends Storage {
  /** The storage the faults are injected in front of. */
  readonly inner: Storage;
  /** What was called and injected so far. */
  readonly stats: FaultStats;
  /** Replaces the plan (and reseeds the generator) for the calls that follow. */
  setPlan(plan: FaultPlan): void;
  /** Zeroes the counters. */
  resetStats(): void;
}

/** Raised by an injected connection reset; carried as the `cause` of the `TransientError`. */
function connectionReset(what: string): Error {
  return Object.assign(new Error(`injected fault: connection reset ${what}`), {
    code: "ECONNRESET",
  });
}

function emptyStats(): FaultStats {
  const calls = Object.fromEntries(ALL_FAULT_OPERATIONS.map((op) => [op, 0])) as Record<
    FaultOperation,
    number
  >;
  return { calls, injected: { transient: 0, lostResponse: 0, reset: 0, died: 0, permanent: 0 } };
}

function checkRate(name: string, value: number | undefined): void {
  if (value !== undefined && !(value >= 0 && value <= 1))
    throw new RangeError(`${name} must be in [0, 1], got ${value}`);
}

/**
 * Puts a fault injector in front of `storage`: latency, transient errors at a set rate, lost
 * responses, connection resets part-way through a read, writes that die after N bytes, and
 * permanent faults, following a seeded schedule (see {@link FaultPlan}). The faults are real
 * from the adapter's side: a dying write hands the adapter a body stream that fails part-way,
 * so what the adapter does with a half-received object is what gets tested.
 *
 * Injected failures are the adapters' own typed errors (`TransientError`, `PermissionDeniedError`),
 * so `withRetry` and the checkpoint treat them as they would a real outage. The sync twins, when
 * the storage has them, get the transient and permanent faults too (before the call).
 *
 * A storage with the local-file copies (`putFile`/`getToFile`, the disk fast path) keeps them,
 * faulted like the streams they replace (`putStream`/`getStream` in the plan); a `putFile` that
 * is to die is handed to the adapter's `putStream` as the file's bytes, failing part-way.
 */
export function withFaults(
  storage: Storage & SyncStorage,
  plan?: FaultPlan,
): FaultyStorage & SyncStorage;
export function withFaults(storage: Storage, plan?: FaultPlan): FaultyStorage;
export function withFaults(storage: Storage, initial: FaultPlan = {}): FaultyStorage {
  let plan: FaultPlan = initial;
  let random = seededRandom(plan.seed ?? 1);
  let stats = emptyStats();
  const setPlan = (next: FaultPlan): void => {
    for (const name of ["transientRate", "lostResponseRate", "resetRate", "dieRate"] as const)
      checkRate(name, next[name]);
    plan = next;
    random = seededRandom(next.seed ?? 1);
  };
  setPlan(initial);

  const uri = (key: string): string => `${storage.scheme}://(faulty)/${key}`;
  const targeted = (op: FaultOperation, key: string): boolean =>
    (plan.operations ?? ALL_FAULT_OPERATIONS).includes(op) && (plan.keys?.(key) ?? true);
  const roll = (rate: number | undefined): boolean =>
    rate !== undefined && rate > 0 && random() < rate;

  /** Latency, then the faults that strike before the call reaches the storage. */
  async function before(op: FaultOperation, key: string): Promise<boolean> {
    stats.calls[op]++;
    if (!targeted(op, key)) return false;
    const latency = plan.latencyMs;
    if (latency !== undefined) {
      const ms =
        typeof latency === "number" ? latency : latency[0] + random() * (latency[1] - latency[0]);
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    }
    failFast(op, key);
    return true;
  }

  function failFast(op: FaultOperation, key: string): void {
    if (plan.permanent !== undefined) {
      stats.injected.permanent++;
      if (plan.permanent === "denied")
        throw new PermissionDeniedError(uri(key), {
          cause: new Error(`injected fault: ${op} denied`),
        });
      throw new TransientError(uri(key), `injected fault: ${op} unavailable`, {
        cause: connectionReset(`on ${op}`),
      });
    }
    if (roll(plan.transientRate)) {
      stats.injected.transient++;
      throw new TransientError(uri(key), `injected fault: ${op} failed`, {
        cause: connectionReset(`on ${op}`),
      });
    }
  }

  function afterSuccess(op: FaultOperation, key: string, hit: boolean): void {
    if (hit && roll(plan.lostResponseRate)) {
      stats.injected.lostResponse++;
      throw new TransientError(uri(key), `injected fault: the response to ${op} was lost`, {
        cause: connectionReset(`after ${op}`),
      });
    }
  }

  /** A body that fails with a reset once `limit` bytes have gone out. */
  async function* dying(
    body: AsyncIterable<Bytes> | Iterable<Bytes>,
    limit: number,
    key: string,
  ): AsyncGenerator<Bytes> {
    let sent = 0;
    for await (const chunk of body) {
      if (sent + chunk.length > limit) {
        if (limit > sent) yield chunk.subarray(0, limit - sent);
        break;
      }
      sent += chunk.length;
      yield chunk;
    }
    stats.injected.died++;
    throw new TransientError(uri(key), `injected fault: the write died after ${limit} bytes`, {
      cause: connectionReset("mid-write"),
    });
  }

  function dies(hit: boolean): number | undefined {
    if (!hit || plan.dieAfterBytes === undefined) return undefined;
    return roll(plan.dieRate ?? 1) ? plan.dieAfterBytes : undefined;
  }

  /** A read stream that resets after part of the object went through. */
  async function* resetting(body: AsyncIterable<Bytes>, key: string): AsyncGenerator<Bytes> {
    let chunks = 0;
    for await (const chunk of body) {
      if (chunks++ > 0 || chunk.length > 1) {
        yield chunk.subarray(0, Math.floor(chunk.length / 2));
        break;
      }
      yield chunk;
    }
    stats.injected.reset++;
    throw new TransientError(uri(key), "injected fault: connection reset while reading", {
      cause: connectionReset("mid-read"),
    });
  }

  const faulty: FaultyStorage = {
    scheme: storage.scheme,
    get capabilities() {
      return storage.capabilities;
    },
    inner: storage,
    get stats() {
      return stats;
    },
    setPlan,
    resetStats() {
      stats = emptyStats();
    },
    async head(key: string, options?: HeadOptions): Promise<ObjectMeta | null> {
      const hit = await before("head", key);
      const meta = await storage.head(key, options);
      afterSuccess("head", key, hit);
      return meta;
    },
    async get(key: string, options?: GetOptions): Promise<Bytes> {
      const hit = await before("get", key);
      const bytes = await storage.get(key, options);
      if (hit && roll(plan.resetRate)) {
        stats.injected.reset++;
        throw new TransientError(uri(key), "injected fault: connection reset while reading", {
          cause: connectionReset("mid-read"),
        });
      }
      afterSuccess("get", key, hit);
      return bytes;
    },
    async getStream(key: string, options?: GetOptions): Promise<AsyncIterable<Bytes>> {
      const hit = await before("getStream", key);
      const body = await storage.getStream(key, options);
      afterSuccess("getStream", key, hit);
      return hit && roll(plan.resetRate) ? resetting(body, key) : body;
    },
    async put(key: string, body: Bytes | string, options?: PutOptions): Promise<ObjectMeta> {
      const hit = await before("put", key);
      const limit = dies(hit);
      let meta: ObjectMeta;
      if (limit !== undefined) {
        const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
        meta = await storage.putStream(key, dying([bytes], limit, key), {
          ...options,
          size: bytes.length,
        });
      } else {
        meta = await storage.put(key, body, options);
      }
      afterSuccess("put", key, hit);
      return meta;
    },
    async putStream(
      key: string,
      body: AsyncIterable<Bytes>,
      options?: PutStreamOptions,
    ): Promise<ObjectMeta> {
      const hit = await before("putStream", key);
      const limit = dies(hit);
      const meta = await storage.putStream(
        key,
        limit === undefined ? body : dying(body, limit, key),
        options,
      );
      afterSuccess("putStream", key, hit);
      return meta;
    },
    async *list(prefix: string, options?: ListOptions): AsyncIterable<ListEntry> {
      await before("list", prefix);
      yield* storage.list(prefix, options);
    },
    async delete(key: string, options?: DeleteOptions): Promise<void> {
      const hit = await before("delete", key);
      await storage.delete(key, options);
      afterSuccess("delete", key, hit);
    },
    close: () => storage.close?.() ?? Promise.resolve(),
  };
  if (isFileStorage(storage)) {
    // The local-file copies fail as the streams they replace do (before the call, or with the
    // response lost after it), so fault runs cover the disk fast path too.
    const copies: FileStorage = {
      async putFile(key, localPath, options): Promise<ObjectMeta> {
        const hit = await before("putStream", key);
        const limit = dies(hit);
        let meta: ObjectMeta;
        if (limit === undefined) {
          meta = await storage.putFile(key, localPath, options);
        } else {
          // A dying write reaches the adapter as a dying `put` does: the file's bytes as a
          // stream that fails part-way.
          const { onData, ...put } = options ?? {};
          const read = async function* (): AsyncGenerator<Bytes> {
            for await (const chunk of createReadStream(localPath) as AsyncIterable<Buffer>) {
              onData?.(chunk);
              yield chunk;
            }
          };
          meta = await storage.putStream(key, dying(read(), limit, key), put);
        }
        afterSuccess("putStream", key, hit);
        return meta;
      },
      async getToFile(key, localPath, options): Promise<ObjectMeta> {
        const hit = await before("getStream", key);
        const meta = await storage.getToFile(key, localPath, options);
        afterSuccess("getStream", key, hit);
        return meta;
      },
    };
    Object.assign(faulty, copies);
  }
  if (!isSyncStorage(storage)) return faulty;

  const sync = <T>(op: FaultOperation, key: string, call: () => T): T => {
    stats.calls[op]++;
    if (targeted(op, key)) failFast(op, key);
    return call();
  };
  const twins: SyncStorage = {
    headSync: (key) => sync("head", key, () => storage.headSync(key)),
    getSync: (key) => sync("get", key, () => storage.getSync(key)),
    getToFileSync: (key, localPath) =>
      sync("getStream", key, () => storage.getToFileSync(key, localPath)),
    putSync: (key, body, options) => sync("put", key, () => storage.putSync(key, body, options)),
    putFileSync: (key, localPath, options) =>
      sync("putStream", key, () => storage.putFileSync(key, localPath, options)),
    deleteSync: (key) => sync("delete", key, () => storage.deleteSync(key)),
  };
  return Object.assign(faulty, twins);
}
