/**
 * memory:// (the posix adapter over memfs) vs raw memfs: overwrite a 100 KiB object (temp
 * file + rename; the adapter also unlinks the old object first, which memfs needs to free it)
 * and read it back. Target ≥ 0.8× throughput.
 */
import { memfs } from "memfs";

import { dropMemoryVolume, resolveStorage } from "@flyte/storage-adapters";

import { compare, printTable } from "../../../tooling/bench/harness.js";

const KiB = 1024;
const volume = `bench-${process.pid}`;
const { storage, key } = resolveStorage(`memory://${volume}/objects/state.bin`);
const raw = memfs().fs;
raw.mkdirSync("/objects");
const bytes = new Uint8Array(100 * KiB).fill(7);
let n = 0;

await storage.put(key, bytes);
raw.writeFileSync("/objects/state.bin", bytes);
const results = await compare([
  {
    name: "put 100 KiB over an existing object",
    target: "≥ 0.8×",
    kind: "throughput",
    baseline: {
      name: "memfs writeFile+rename",
      fn: async () => {
        const tmp = `/objects/.tmp.${n++}`;
        await raw.promises.writeFile(tmp, bytes);
        await raw.promises.rename(tmp, "/objects/state.bin");
      },
    },
    subject: { name: "put", fn: () => storage.put(key, bytes) },
  },
  {
    name: "get 100 KiB",
    target: "≥ 0.8×",
    kind: "throughput",
    baseline: {
      name: "memfs readFile",
      fn: () => raw.promises.readFile("/objects/state.bin"),
    },
    subject: { name: "get", fn: () => storage.get(key) },
  },
]);
printTable("memory:// vs raw memfs, 100 KiB", results);
dropMemoryVolume(volume);
