/**
 * Injected faults in front of every real adapter (memory, disk, radosgw, Azurite). Under 10%
 * transient faults (plus lost responses, resets mid-read and writes that die mid-way) the seed's
 * checkpoint loop with retries ends with the right result; under permanent faults every call
 * fails with a typed error naming the URI after exactly the configured retries; a failed write
 * never damages the checkpoint already saved.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Checkpoint,
  CheckpointAccessError,
  CheckpointError,
  CheckpointUnavailableError,
} from "@flyte/checkpoint";
import { TaskEnvironment, TaskFailedError, ctx, init, run } from "@flyte/sdk";
import { StorageError, withRetry } from "@flyte/storage-adapters";
import type { Storage } from "@flyte/storage-adapters";
import { s3TestEnv, useAzurite, withFaults } from "@flyte/test-utils";
import type { FaultPlan, FaultyStorage } from "@flyte/test-utils";
import { bytesFor, digestDir, treeDigest, treeFor, writeTree } from "./crash/crashContent.js";
import { adaptersUnderTest } from "./support/adaptersUnderTest.js";
import type { OpenedAdapter } from "./support/adaptersUnderTest.js";
import { SEED, scale, timeout } from "./support/suiteScale.js";

const azurite = useAzurite();
const adapters = adaptersUnderTest(s3TestEnv(), azurite);
const LOOP = scale("FLYTE_RELIABILITY_LOOP", 25, 200);
const RETRY = { retries: 6, baseMs: 1, factor: 2, capMs: 20 } as const;
const TEN_PERCENT: FaultPlan = {
  seed: SEED,
  latencyMs: [0, 2],
  transientRate: 0.1,
  lostResponseRate: 0.03,
  resetRate: 0.1,
  dieAfterBytes: 700,
  dieRate: 0.1,
};

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "flyte-faults-"));
  console.log(`faults: seed ${SEED}`);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const quiet = { onWarning: () => undefined, tmpDir: tmpdir() };

/** Retries a checkpoint call the way a task retry would: only for outages. */
async function retryUnavailable<T>(fn: () => Promise<T>, times = 8): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof CheckpointUnavailableError) || i >= times) throw error;
    }
  }
}

describe.each(adapters)("faults in front of $name", (adapter) => {
  const maybe = adapter.skip === undefined ? it : it.skip;
  let opened: OpenedAdapter;
  let faulty: FaultyStorage;
  let retrying: Storage;
  beforeAll(async () => {
    if (adapter.skip !== undefined) return;
    opened = await adapter.open();
    faulty = withFaults(opened.storage, {});
    retrying = withRetry(faulty, RETRY);
  }, 60_000);
  afterAll(async () => {
    init({});
    await opened?.cleanup();
  });
  beforeEach(() => {
    faulty?.setPlan({});
    faulty?.resetStats();
  });

  maybe(
    `the seed's checkpoint loop (${LOOP} saves, task retries) ends with the right result under 10% faults`,
    async () => {
      faulty.setPlan(TEN_PERCENT);
      init({ storage: retrying, rawDataPath: `runs-${SEED}` });
      const env = new TaskEnvironment({ name: `faults-${adapter.name.replace(/\W+/g, "-")}` });
      const attempts: number[] = [];
      const useCheckpoint = env.task({ retries: 10 }, async function useCheckpoint(n: number) {
        attempts.push(ctx()!.attemptNumber);
        const cp = ctx()!.checkpoint!;
        let index = (await cp.loadJson<number>()) ?? 0;
        for (; index < n; index++) await cp.saveJson(index + 1);
        return index;
      });
      await expect(run(useCheckpoint, LOOP)).resolves.toBe(LOOP);
      const injected = faulty.stats.injected;
      console.log(
        `${adapter.name}: seed loop ${LOOP} saves in ${attempts.length} attempt(s); injected ${JSON.stringify(injected)}`,
      );
      expect(injected.transient + injected.died + injected.lostResponse).toBeGreaterThan(0);
    },
    timeout(120_000),
  );

  maybe(
    "directory, file and JSON checkpoints round-trip under 10% faults (Checkpoint + withRetry)",
    async () => {
      faulty.setPlan(TEN_PERCENT);
      const rounds = Math.max(3, Math.floor(LOOP / 5));
      for (let g = 1; g <= rounds; g++) {
        const dir = join(work, `${adapter.name.replace(/\W+/g, "-")}-tree-${g}`);
        writeTree(dir, treeFor(g));
        const file = join(work, `${adapter.name.replace(/\W+/g, "-")}-file-${g}`);
        writeFileSync(file, bytesFor(20_000 + g, g));
        using writer = new Checkpoint(`rt/${g}/next`, undefined, { storage: retrying, ...quiet });
        await retryUnavailable(() => writer.save(dir));
        using fileWriter = new Checkpoint(`rt/${g}/file`, undefined, {
          storage: retrying,
          ...quiet,
        });
        await retryUnavailable(() => fileWriter.save(file));
        using jsonWriter = new Checkpoint(`rt/${g}/json`, undefined, {
          storage: retrying,
          ...quiet,
        });
        await retryUnavailable(() => jsonWriter.saveJson({ g }));

        using reader = new Checkpoint(`rt/${g}/resume`, `rt/${g}/next`, {
          storage: retrying,
          ...quiet,
        });
        const restored = await retryUnavailable(() => reader.load());
        expect(digestDir(restored!)).toBe(treeDigest(treeFor(g)));
        using fileReader = new Checkpoint(`rt/${g}/resume-f`, `rt/${g}/file`, {
          storage: retrying,
          ...quiet,
        });
        expect(Buffer.from((await retryUnavailable(() => fileReader.loadBytes()))!)).toEqual(
          Buffer.from(bytesFor(20_000 + g, g)),
        );
        using jsonReader = new Checkpoint(`rt/${g}/resume-j`, `rt/${g}/json`, {
          storage: retrying,
          ...quiet,
        });
        expect(await retryUnavailable(() => jsonReader.loadJson())).toEqual({ g });
      }
      console.log(
        `${adapter.name}: ${rounds} dir+file+json round trips; injected ${JSON.stringify(faulty.stats.injected)}`,
      );
    },
    timeout(120_000),
  );

  maybe(
    "a reset mid-download is an outage (CheckpointUnavailableError), never corruption, and a retry loads it",
    async () => {
      const dir = join(work, `${adapter.name.replace(/\W+/g, "-")}-reset`);
      writeTree(dir, treeFor(7));
      using writer = new Checkpoint("reset/cp", undefined, { storage: retrying, ...quiet });
      await writer.save(dir);
      faulty.setPlan({
        resetRate: 1,
        // Local adapters load a directory with a copy (getToFile), which a reset cannot cut
        // part-way; its download fails before it starts instead.
        transientRate: 1,
        operations: ["getStream", "get"],
        keys: (k) => k === "reset/cp",
      });
      using reader = new Checkpoint("reset/next", "reset/cp", { storage: retrying, ...quiet });
      const error = await reader.load().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CheckpointUnavailableError);
      expect((error as CheckpointError).uri).toBe("reset/cp");
      faulty.setPlan({});
      expect(digestDir((await reader.load())!)).toBe(treeDigest(treeFor(7)));
    },
    60_000,
  );

  maybe(
    "permanent outage: a typed error naming the URI after exactly the configured retries; the saved checkpoint is untouched",
    async () => {
      const dir = join(work, `${adapter.name.replace(/\W+/g, "-")}-perm`);
      writeTree(dir, treeFor(11));
      using good = new Checkpoint("perm/cp", undefined, { storage: retrying, ...quiet });
      await good.save(dir);

      faulty.setPlan({ permanent: "unavailable" });
      faulty.resetStats();
      const started = Date.now();
      using reader = new Checkpoint("perm/next", "perm/cp", { storage: retrying, ...quiet });
      const loadError = await reader.load().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(loadError).toBeInstanceOf(CheckpointUnavailableError);
      expect((loadError as CheckpointError).uri).toBe("perm/next"); // the destination is looked up first (restart rule)
      expect((loadError as Error).message).toContain("perm/next");
      // One operation failed: the first try plus exactly RETRY.retries retries, then it gave up.
      expect(faulty.stats.calls.head).toBe(RETRY.retries + 1);

      faulty.resetStats();
      const saveError = await good.save(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(saveError).toBeInstanceOf(CheckpointUnavailableError);
      expect((saveError as CheckpointError).uri).toBe("perm/cp");
      const elapsed = Date.now() - started;
      // The bound is the backoff schedule; reported, not asserted (no timed assertions).
      console.log(
        `${adapter.name}: permanent outage surfaced after ${elapsed} ms (two operations, ${RETRY.retries} retries each, cap ${RETRY.capMs} ms)`,
      );

      faulty.setPlan({});
      using after = new Checkpoint("perm/next2", "perm/cp", { storage: opened.storage, ...quiet });
      expect(digestDir((await after.load())!)).toBe(treeDigest(treeFor(11)));
      expect(after.lastLoad?.verified).toBe(true);
    },
    60_000,
  );

  maybe(
    "permission denied is not retried and is a CheckpointAccessError naming the URI",
    async () => {
      faulty.setPlan({ permanent: "denied" });
      using reader = new Checkpoint("denied/next", "denied/cp", { storage: retrying, ...quiet });
      const error = await reader.load().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CheckpointAccessError);
      expect((error as CheckpointError).uri).toBe("denied/next");
      expect(faulty.stats.calls.head).toBe(1);
    },
  );

  maybe(
    "a write that dies after N bytes never damages the checkpoint already saved",
    async () => {
      const dir = join(work, `${adapter.name.replace(/\W+/g, "-")}-die`);
      writeTree(dir, treeFor(21));
      using cp = new Checkpoint("die/cp", undefined, { storage: retrying, ...quiet });
      await cp.save(dir);
      const big = join(work, `${adapter.name.replace(/\W+/g, "-")}-big`);
      writeFileSync(big, bytesFor(6 * 1024 * 1024 + 123, 99)); // crosses the 5 MiB multipart boundary
      for (const n of [0, 1, 511, 4096, 5 * 1024 * 1024 + 7]) {
        faulty.setPlan({
          dieAfterBytes: n,
          operations: ["put", "putStream"],
          keys: (k) => k === "die/cp",
        });
        writeTree(dir, treeFor(22));
        await expect(cp.save(n > 100_000 ? big : dir)).rejects.toBeInstanceOf(CheckpointError);
        await expect(cp.saveJson({ torn: true })).rejects.toBeInstanceOf(CheckpointError);
        faulty.setPlan({});
        using check = new Checkpoint(`die/next-${n}`, "die/cp", {
          storage: opened.storage,
          ...quiet,
        });
        expect(digestDir((await check.load())!)).toBe(treeDigest(treeFor(21)));
        expect(check.lastLoad?.verified).toBe(true);
      }
      // Per N: the directory save dies once (a stream already read is not retried); the JSON put
      // is retried by withRetry and dies every time: 1 + RETRY.retries + 1.
      expect(faulty.stats.injected.died).toBe(5 * (1 + RETRY.retries + 1));
    },
    timeout(120_000),
  );

  maybe(
    "a run that cannot reach its storage fails at once with the storage error, before any attempt",
    async () => {
      faulty.setPlan({ permanent: "unavailable" });
      init({ storage: retrying, rawDataPath: `down-${SEED}` });
      let attempts = 0;
      const env = new TaskEnvironment({ name: `down-${adapter.name.replace(/\W+/g, "-")}` });
      const never = env.task({ retries: 2 }, async function never() {
        attempts++;
        return "unreachable";
      });
      const error = await run(never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageError).uri).toContain(`down-${SEED}`);
      expect(attempts).toBe(0);
    },
    60_000,
  );

  maybe(
    "a task whose checkpoint storage goes down mid-run fails with TaskFailedError after its retries, the URI in the cause",
    async () => {
      faulty.setPlan({});
      init({ storage: retrying, rawDataPath: `down-mid-${SEED}` });
      const env = new TaskEnvironment({ name: `down-mid-${adapter.name.replace(/\W+/g, "-")}` });
      const down = env.task({ retries: 2 }, async function down() {
        // Only checkpoint writes fail: the run's own records still reach storage.
        faulty.setPlan({
          permanent: "unavailable",
          keys: (key) => key.includes("/_flytecheckpoints"),
        });
        await ctx()!.checkpoint!.saveJson(1);
        return "unreachable";
      });
      const error = await run(down).then(
        () => undefined,
        (e: unknown) => e,
      );
      faulty.setPlan({});
      expect(error).toBeInstanceOf(TaskFailedError);
      const failed = error as TaskFailedError;
      expect(failed.attempts).toHaveLength(3);
      for (const a of failed.attempts) {
        expect(a.error).toBeInstanceOf(CheckpointUnavailableError);
        expect((a.error as CheckpointError).uri).toContain(`down-mid-${SEED}`);
      }
    },
    60_000,
  );
});
