import { hostname } from "node:os";
import type { Capabilities, ObjectMeta, Storage } from "@flyte/storage-adapters";
import { CheckpointUnavailableError } from "../errors.js";
import { decodeManifest, encodeManifest, manifestKey, nextManifest } from "../manifest.js";
import type { CheckpointManifest, CheckpointVersion } from "../manifest.js";
import type { StepProtocol } from "../steps/StorageStep.js";
import { isConflict } from "../storageAccess.js";

/** Conditional writes of the manifest that may be lost to other savers before one gives up. */
const MAX_RACES = 60;
/** How long a saver waits for another's manifest lock before giving up. */
const LOCK_WAIT_MS = 60_000;
/** A lock older than this is taken for the leftover of a saver that died holding it. */
const LOCK_STALE_MS = 30_000;

/** The storage's capabilities, or `undefined` while a lazily loaded adapter cannot tell yet. */
export function knownCapabilities(storage: Storage): Capabilities | undefined {
  try {
    return storage.capabilities;
  } catch {
    return undefined;
  }
}

/** The key of the lock that serializes manifest updates where no compare-and-swap exists. */
export function lockKey(objectKey: string): string {
  return `${manifestKey(objectKey)}.lock`;
}

function jitter(attempt: number): number {
  return Math.min(2 + Math.random() * 4 * 2 ** Math.min(attempt, 5), 100);
}

function decodeOrUndefined(bytes: Uint8Array | null): CheckpointManifest | undefined {
  if (bytes === null) return undefined;
  try {
    return decodeManifest(bytes);
  } catch {
    // An unreadable manifest vouches for nothing; the new one replaces it.
    return undefined;
  }
}

/** Whether process `pid` of this host is gone. */
function deadHere(body: Uint8Array | null): boolean {
  if (body === null) return false;
  try {
    const holder = JSON.parse(new TextDecoder().decode(body)) as { pid?: unknown; host?: unknown };
    if (holder.host !== hostname() || typeof holder.pid !== "number" || holder.pid === process.pid)
      return false;
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: unknown }).code === "ESRCH";
  }
}

/**
 * Takes the manifest lock of `key` (an exclusive create of `<manifest>.lock`), breaking one
 * whose holder is gone (its process dead on this host, or the lock older than
 * {@link LOCK_STALE_MS}).
 */
function* acquireLock(key: string, uri: string): StepProtocol<void> {
  const lock = lockKey(key);
  const body = new TextEncoder().encode(
    JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }),
  );
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      yield { op: "put", key: lock, body, mode: "create" };
      return;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
    const held = (yield { op: "head", key: lock }) as ObjectMeta | null;
    if (held === null) continue;
    const age = held.lastModified ? Date.now() - held.lastModified.getTime() : 0;
    if (age > LOCK_STALE_MS || deadHere((yield { op: "get", key: lock }) as Uint8Array | null)) {
      yield { op: "delete", key: lock };
      continue;
    }
    if (Date.now() - started > LOCK_WAIT_MS) {
      throw new CheckpointUnavailableError(
        uri,
        `another saver held the manifest lock ${lock} for over ${LOCK_WAIT_MS / 1000} s`,
      );
    }
    yield { op: "sleep", ms: jitter(attempt) };
  }
}

/**
 * Writes the manifest that makes `pending` loadable, before its object is written: the save's
 * commit point is the object write that follows. The update is a read-modify-write of the
 * manifest, made atomic against other savers of the same key (other processes, other hosts):
 * with the storage's compare-and-swap where it has one (S3, Azure, memory), else under a lock
 * taken by exclusive create (the shared disk). A lost race is simply re-read and retried, so no
 * saver ever drops a version another saver is about to publish.
 *
 * @param capabilities read after the first step (a lazily loaded adapter knows them only then);
 *   `undefined` when the storage cannot tell (a cloud adapter reached only through its blocking
 *   bridge): compare-and-swap is tried, and a storage that refuses it gets the lock instead.
 */
export function* commitManifest(
  key: string,
  uri: string,
  pending: CheckpointVersion,
  capabilities: () => Capabilities | undefined,
): StepProtocol<CheckpointManifest> {
  const mKey = manifestKey(key);
  const object = (yield { op: "head", key }) as ObjectMeta | null;
  const caps = capabilities() ?? { conditionalUpdate: true, conditionalCreate: true };
  let cas = caps.conditionalUpdate;
  let locked = false;
  try {
    for (let attempt = 0; ; attempt++) {
      if (!cas && !locked && caps.conditionalCreate) {
        yield* acquireLock(key, uri);
        locked = true;
      }
      const seen = cas ? ((yield { op: "head", key: mKey }) as ObjectMeta | null) : null;
      const bytes = (yield { op: "get", key: mKey }) as Uint8Array | null;
      // Written between the head and the get: what was read has no etag to swap against.
      const raced = cas && seen === null && bytes !== null;
      if (!raced) {
        // The object is looked at again after a lost race: another saver may have replaced it.
        const now = attempt === 0 ? object : ((yield { op: "head", key }) as ObjectMeta | null);
        const manifest = nextManifest(decodeOrUndefined(bytes), pending, now);
        const mode = !cas
          ? undefined
          : seen === null
            ? ("create" as const)
            : seen.etag !== undefined
              ? { ifMatch: seen.etag }
              : undefined;
        try {
          yield { op: "put", key: mKey, body: encodeManifest(manifest), ...(mode ? { mode } : {}) };
          return manifest;
        } catch (error) {
          if (mode !== undefined && isUnsupported(error)) {
            // No compare-and-swap after all (e.g. a shared file system): take the lock instead.
            cas = false;
            continue;
          }
          if (mode === undefined || !isConflict(error)) throw error;
        }
      }
      if (attempt >= MAX_RACES) {
        throw new CheckpointUnavailableError(
          uri,
          `the manifest ${mKey} kept changing under ${MAX_RACES} other saves`,
        );
      }
      yield { op: "sleep", ms: jitter(attempt) };
    }
  } finally {
    if (locked) {
      try {
        yield { op: "delete", key: lockKey(key) };
      } catch {
        // A lock that could not be removed is broken by the next saver once it is stale.
      }
    }
  }
}

function isUnsupported(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "UNSUPPORTED";
}
