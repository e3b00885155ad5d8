import type { AtomicWriter } from "./AtomicWriter.js";
import type { PosixFs } from "./PosixFs.js";
import type { PosixRoot } from "./PosixRoot.js";

/**
 * The machinery of one posix adapter, as its parts (reads, listing, local-file copies) see
 * it: the adapter builds it once and hands it to each. Internal; not exported by the package.
 */
export interface PosixVolume {
  /** The `fs` module every object is read and written through. */
  readonly fs: PosixFs;
  /** Key mapping and the checks that paths stay inside the root. */
  readonly root: PosixRoot;
  /** Atomic writes: temp file, fsync, publish. */
  readonly writer: AtomicWriter;
  /**
   * The volume is the real disk (`node:fs`), where local files live too, so `fs.copyFile` can
   * copy between the two; on any other volume (memfs) bytes are copied through a buffer.
   */
  readonly onDisk: boolean;
  /** Size of the chunks `getStream` yields. */
  readonly chunkSize: number;
}
