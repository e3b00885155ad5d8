import * as nodeFs from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PosixStorage, dropMemoryVolume, memoryVolume } from "@flyte/storage-adapters";
import type { Storage, SyncStorage } from "@flyte/storage-adapters";
import { createS3Storage } from "@flyte/storage-adapters/s3";
import { createS3Bucket, deleteS3Bucket, s3TestEnv } from "@flyte/test-utils";

/**
 * A real storage the commit-point tests run against, and how a test damages what is stored:
 * in place where the storage allows it (the disk and memfs: the bytes of the object's own
 * file are rewritten, as bit rot or a stray write would), by a plain overwrite where objects
 * are immutable (S3: another writer replaced it without a manifest).
 */
export interface Backend {
  readonly name: string;
  /** Passed as the `storage` option; checkpoint URIs are keys in it. */
  readonly storage: Storage & SyncStorage;
  /** Rewrites the stored object of `key` with `bytes` (in place where possible). */
  damage(key: string, bytes: Uint8Array): Promise<void>;
  /** The stored object's bytes. */
  read(key: string): Promise<Uint8Array>;
  /** Where the object of `key` is on the local disk (the disk backend only). */
  readonly localPath?: (key: string) => string;
  cleanup(): Promise<void>;
}

function inPlace(fs: typeof nodeFs, path: string, bytes: Uint8Array): void {
  // Same inode, written over and cut to length: not the atomic replace a save does.
  const fd = fs.openSync(path, "r+");
  try {
    fs.writeSync(fd, bytes, 0, bytes.length, 0);
    fs.ftruncateSync(fd, bytes.length);
  } finally {
    fs.closeSync(fd);
  }
}

let volumes = 0;

/** The disk (a shared-file-system adapter, as between processes) and memfs. */
export function localBackends(): Backend[] {
  const root = mkdtempSync(join(tmpdir(), "cp-backend-"));
  const disk = new PosixStorage({ fs: nodeFs, root });
  const volumeName = `cp-backend-${process.pid}-${++volumes}`;
  const volume = memoryVolume(volumeName);
  const memfs = new PosixStorage({
    fs: volume,
    root: "/",
    scheme: "memory",
    baseUri: `memory://${volumeName}/`,
    singleProcess: true,
  });
  return [
    {
      name: "disk",
      storage: disk,
      damage: async (key, bytes) => inPlace(nodeFs, join(root, key), bytes),
      read: (key) => disk.get(key),
      localPath: (key) => join(root, key),
      cleanup: async () => rmSync(root, { recursive: true, force: true }),
    },
    {
      name: "memfs",
      storage: memfs,
      damage: async (key, bytes) => inPlace(volume as unknown as typeof nodeFs, `/${key}`, bytes),
      read: (key) => memfs.get(key),
      cleanup: async () => void dropMemoryVolume(volumeName),
    },
  ];
}

/** S3 on radosgw, when the server is up (else `undefined`, and the caller skips loudly). */
export async function s3Backend(): Promise<Backend | undefined> {
  const env = s3TestEnv();
  if (!env.available) return undefined;
  const bucket = await createS3Bucket(env.options, "cp-commit");
  const storage = createS3Storage(
    { scheme: "s3", bucket, uri: `s3://${bucket}` },
    env.options,
  ) as unknown as Storage & SyncStorage;
  return {
    name: "s3 (radosgw)",
    storage,
    damage: async (key, bytes) => void (await storage.put(key, bytes)),
    read: (key) => storage.get(key),
    cleanup: async () => {
      await storage.close?.();
      await deleteS3Bucket(env.options, bucket);
    },
  };
}
