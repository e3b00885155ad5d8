import path from "node:path";

import { StorageConfigurationError } from "../errors.js";
import { tempName } from "./AtomicWriter.js";
import type { PosixVolume } from "./PosixVolume.js";
import { errnoCode, posixError } from "./posixError.js";

/**
 * Checks that objects can be written under the volume's root, without creating it: the
 * deepest part of the root that exists must be a folder in which this process can create a
 * file. The probe is a temp file (never listed, swept if a crash left it), removed at once.
 */
export async function checkWritable(volume: PosixVolume, uri: string): Promise<void> {
  const { fs } = volume;
  let dir = volume.root.root;
  for (;;) {
    try {
      const stats = await fs.promises.stat(dir);
      if (!stats.isDirectory()) {
        throw new StorageConfigurationError(
          uri,
          `${dir} is not a folder, so the storage root ${volume.root.root} cannot be made`,
        );
      }
      break;
    } catch (error) {
      // Missing, or below a file (ENOTDIR): look at the parent, which says which.
      const code = errnoCode(error);
      if ((code !== "ENOENT" && code !== "ENOTDIR") || dir === path.dirname(dir))
        throw posixError(error, uri);
      dir = path.dirname(dir);
    }
  }
  const probe = path.join(dir, tempName());
  try {
    await (await fs.promises.open(probe, "wx", 0o666)).close();
  } catch (error) {
    throw posixError(error, uri);
  }
  await fs.promises.unlink(probe).catch(() => undefined);
}
