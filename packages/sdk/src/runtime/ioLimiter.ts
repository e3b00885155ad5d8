/**
 * Bounds how many storage operations a run has in flight. A fan-out of ten thousand child tasks
 * would otherwise open ten thousand files at once for their inputs.pb — past the process's file
 * limit (EMFILE) on a disk, memfs or an HTTP agent alike. Operations start in call order.
 */

/** Runs async operations, at most `max` at a time. */
export class IoLimiter {
  readonly #max: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(max: number) {
    this.#max = max;
  }

  /** Runs `op` once a slot is free; the slot is released however `op` settles. */
  async run<T>(op: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#max)
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running++;
    try {
      return await op();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }
}

/** Storage operations a run has in flight at most. */
export const RUN_IO_CONCURRENCY = 32;
