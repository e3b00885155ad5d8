/**
 * A full garbage collection from inside a jest test, where `global.gc` is not passed into the
 * test's sandbox: `--expose-gc` is switched on at run time and `gc` taken from a fresh context.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Collects until the heap stops shrinking (weak references and finalizers need a few rounds). */
export async function forceGc(): Promise<number> {
  let last = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    const used = process.memoryUsage().heapUsed;
    if (used >= last - 64 * 1024 && i >= 2) return used;
    last = used;
  }
  return process.memoryUsage().heapUsed;
}
