import type { PosixFileHandle, PosixFs } from "./PosixFs.js";

/** Writes all of `bytes` at the handle's position (a write may take less than it is given). */
export async function writeAll(handle: PosixFileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, null);
    offset += bytesWritten;
  }
}

/** The blocking twin of {@link writeAll}, through `fs.writeSync` of the volume the fd is on. */
export function writeAllSync(writeSync: PosixFs["writeSync"], fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset, null);
}
