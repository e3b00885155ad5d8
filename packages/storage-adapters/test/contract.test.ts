import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { memfs } from "memfs";

import type { PosixFs } from "@flyte/storage-adapters";
import { dropMemoryVolume, PosixStorage, resolveStorage } from "@flyte/storage-adapters";
import { describeStorageContract } from "@flyte/storage-adapters/contract";

const harness = { describe, it, beforeAll, afterAll };

describeStorageContract(
  "memory:// (registry)",
  () => {
    const { storage } = resolveStorage("memory://contract/");
    return { storage, cleanup: () => void dropMemoryVolume("contract") };
  },
  harness,
);

describeStorageContract(
  "disk (temp folder)",
  () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "flyte-contract-disk-"));
    return {
      storage: new PosixStorage({ fs, root }),
      cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
    };
  },
  harness,
);

describeStorageContract(
  "memfs (posix adapter over memfs)",
  () => ({
    storage: new PosixStorage({
      fs: memfs().fs as unknown as PosixFs,
      root: "/data",
      scheme: "memory",
      singleProcess: true,
    }),
  }),
  harness,
);
