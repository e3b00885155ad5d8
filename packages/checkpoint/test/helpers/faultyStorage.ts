import type { ObjectMeta, Storage, SyncStorage } from "@flyte/storage-adapters";

type Op =
  | "head"
  | "get"
  | "getStream"
  | "put"
  | "putStream"
  | "delete"
  | "headSync"
  | "getSync"
  | "getToFileSync"
  | "putSync"
  | "putFileSync"
  | "deleteSync";

/**
 * A real adapter with a fault injected: every call of an operation named in `faults` throws
 * the error the factory makes (as the adapter would after its retries), the rest go through
 * to the real storage. Used for faults a test cannot provoke for real as root (permission
 * denied) or without a network (a transient fault that outlived retries).
 */
export function faultyStorage(
  real: Storage & SyncStorage,
  faults: Partial<Record<Op, (key: string) => Error>>,
  onlyKeys?: (key: string) => boolean,
): Storage & SyncStorage {
  const fail = (op: Op, key: string): void => {
    const make = faults[op];
    if (make && (!onlyKeys || onlyKeys(key))) throw make(key);
  };
  return {
    scheme: real.scheme,
    capabilities: real.capabilities,
    async head(key) {
      fail("head", key);
      return real.head(key);
    },
    async get(key, o) {
      fail("get", key);
      return real.get(key, o);
    },
    async getStream(key, o) {
      fail("getStream", key);
      return real.getStream(key, o);
    },
    async put(key, body, o) {
      fail("put", key);
      return real.put(key, body, o);
    },
    async putStream(key, body, o) {
      fail("putStream", key);
      return real.putStream(key, body, o);
    },
    list: (prefix, o) => real.list(prefix, o),
    async delete(key) {
      fail("delete", key);
      return real.delete(key);
    },
    headSync(key): ObjectMeta | null {
      fail("headSync", key);
      return real.headSync(key);
    },
    getSync(key) {
      fail("getSync", key);
      return real.getSync(key);
    },
    getToFileSync(key, local) {
      fail("getToFileSync", key);
      return real.getToFileSync(key, local);
    },
    putSync(key, body, o) {
      fail("putSync", key);
      return real.putSync(key, body, o);
    },
    putFileSync(key, local, o) {
      fail("putFileSync", key);
      return real.putFileSync(key, local, o);
    },
    deleteSync(key) {
      fail("deleteSync", key);
      real.deleteSync(key);
    },
  };
}
