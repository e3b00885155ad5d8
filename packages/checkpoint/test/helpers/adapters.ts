import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PosixStorage, memoryVolume } from "@flyte/storage-adapters";
import type { CheckpointStorageOption } from "@flyte/checkpoint";

/** One real storage the checkpoint tests run against. */
export interface AdapterCase {
  readonly name: string;
  /** The checkpoint URI (or key, with `storage`) for `key`. */
  uri(key: string): string;
  /** Passed as the `storage` option, when the case uses one. */
  readonly storage?: CheckpointStorageOption;
  cleanup(): void;
}

let n = 0;

/** memory:// (memfs via the registry), file://, a bare path, and a PosixStorage over memfs passed in. */
export function adapterCases(): AdapterCase[] {
  const id = `${process.pid}-${++n}-${Date.now()}`;
  const disk = mkdtempSync(join(tmpdir(), "cp-store-"));
  const volume = `cp-memfs-${id}`;
  return [
    { name: "memory://", uri: (k) => `memory://cp-${id}/${k}`, cleanup: () => undefined },
    {
      name: "file://",
      uri: (k) => `file://${disk}/file/${k}`,
      cleanup: () => rmSync(disk, { recursive: true, force: true }),
    },
    { name: "bare path", uri: (k) => `${disk}/bare/${k}`, cleanup: () => undefined },
    {
      name: "PosixStorage over memfs (storage option)",
      uri: (k) => `runs/${k}`,
      storage: new PosixStorage({
        fs: memoryVolume(volume),
        root: "/",
        scheme: "memory",
        baseUri: `memory://${volume}/`,
        singleProcess: true,
      }),
      cleanup: () => undefined,
    },
  ];
}
