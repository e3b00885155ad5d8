import type { Bytes, ObjectMeta, PutMode, Storage } from "@flyte/storage-adapters";
import { syncView } from "../storageAccess.js";
import type { Located } from "../storageAccess.js";
import { isNotFound } from "../storageAccess.js";

/**
 * One storage operation of a protocol written once for the blocking and the async calls: the
 * protocol is a generator that yields steps and receives their results, and a driver
 * ({@link runSteps}, {@link runStepsSync}) performs them. A failed step is thrown into the
 * generator, which may catch it (a lost conditional write, say).
 */
export type StorageStep =
  | { readonly op: "head"; readonly key: string }
  /** Resolves to the bytes, or `null` when the object does not exist. */
  | { readonly op: "get"; readonly key: string }
  | { readonly op: "put"; readonly key: string; readonly body: Bytes; readonly mode?: PutMode }
  | { readonly op: "delete"; readonly key: string }
  | { readonly op: "sleep"; readonly ms: number };

/** What each step resolves to. */
export type StepResult = ObjectMeta | Bytes | null | undefined;

/** A protocol over {@link StorageStep}s returning `T`. */
export type StepProtocol<T> = Generator<StorageStep, T, StepResult>;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

async function performAsync(
  storage: Storage,
  step: StorageStep,
  signal: AbortSignal | undefined,
): Promise<StepResult> {
  switch (step.op) {
    case "head":
      return storage.head(step.key);
    case "get":
      try {
        return await storage.get(step.key, signal ? { signal } : {});
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    case "put":
      return storage.put(step.key, step.body, {
        ...(step.mode ? { mode: step.mode } : {}),
        ...(signal ? { signal } : {}),
      });
    case "delete":
      await storage.delete(step.key);
      return undefined;
    case "sleep":
      await new Promise((resolve) => setTimeout(resolve, step.ms));
      return undefined;
  }
}

function performSync(where: Located, step: StorageStep): StepResult {
  const sync = syncView(where);
  switch (step.op) {
    case "head":
      return sync.headSync(step.key);
    case "get":
      try {
        return sync.getSync(step.key);
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    case "put":
      return sync.putSync(step.key, step.body, step.mode ? { mode: step.mode } : {});
    case "delete":
      sync.deleteSync(step.key);
      return undefined;
    case "sleep":
      Atomics.wait(sleeper, 0, 0, step.ms);
      return undefined;
  }
}

/**
 * Drives a generator protocol: each yielded step is performed, its result sent back, its
 * failure thrown back in (where the protocol may catch it). Returns what the protocol returns.
 */
export async function drive<S, T>(
  protocol: Generator<S, T, unknown>,
  perform: (step: S) => Promise<unknown>,
): Promise<T> {
  let next = protocol.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = await perform(next.value);
    } catch (error) {
      next = protocol.throw(error);
      continue;
    }
    next = protocol.next(result);
  }
  return next.value;
}

/** The blocking twin of {@link drive}. */
export function driveSync<S, T>(
  protocol: Generator<S, T, unknown>,
  perform: (step: S) => unknown,
): T {
  let next = protocol.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = perform(next.value);
    } catch (error) {
      next = protocol.throw(error);
      continue;
    }
    next = protocol.next(result);
  }
  return next.value;
}

/** Drives `protocol` over the async storage; an aborted `signal` stops it before its next step. */
export function runSteps<T>(
  where: Located,
  protocol: StepProtocol<T>,
  signal?: AbortSignal,
): Promise<T> {
  return drive(protocol as Generator<StorageStep, T, unknown>, (step) => {
    // A delete is cleanup (a lock being released): it runs even after an abort.
    if (step.op !== "delete") signal?.throwIfAborted();
    return performAsync(where.storage, step, signal);
  });
}

/** Drives `protocol` over the storage's blocking twin. */
export function runStepsSync<T>(where: Located, protocol: StepProtocol<T>): T {
  return driveSync(protocol as Generator<StorageStep, T, unknown>, (step) =>
    performSync(where, step),
  );
}
