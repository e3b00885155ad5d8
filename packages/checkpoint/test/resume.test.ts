/**
 * The seed's example, in TypeScript: load an index, work, save index + 1 each iteration; a
 * crash in the middle; the next attempt (source = the previous destination) resumes.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Checkpoint } from "@flyte/checkpoint";
import { adapterCases } from "./helpers/adapters.js";

const cases = adapterCases();
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "cp-resume-"));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  for (const c of cases) c.cleanup();
});

class Crash extends Error {}

/** The seed's task body: returns the iterations it ran; throws Crash after `crashAt` saves. */
function useCheckpointSync(cp: Checkpoint, iterations: number, crashAt?: number): number[] {
  const path = cp.loadSync();
  let index = path ? Number(readFileSync(path, "utf8")) : 0;
  const ran: number[] = [];
  for (; index < iterations; index++) {
    ran.push(index); // ... perform work ...
    cp.saveSync(new TextEncoder().encode(`${index + 1}`));
    if (crashAt !== undefined && index + 1 === crashAt) throw new Crash(`crash after ${crashAt}`);
  }
  return ran;
}

async function useCheckpoint(
  cp: Checkpoint,
  iterations: number,
  crashAt?: number,
): Promise<number[]> {
  const start = (await cp.loadJson<number>()) ?? 0;
  const ran: number[] = [];
  for (let index = start; index < iterations; index++) {
    ran.push(index);
    await cp.saveJson(index + 1);
    if (crashAt !== undefined && index + 1 === crashAt) throw new Crash(`crash after ${crashAt}`);
  }
  return ran;
}

describe.each(cases)("resume loop through $name", (adapter) => {
  let k = 0;
  const open = (dest: string, src?: string): Checkpoint =>
    new Checkpoint(adapter.uri(dest), src === undefined ? undefined : adapter.uri(src), {
      ...(adapter.storage ? { storage: adapter.storage } : {}),
      onWarning: () => undefined,
    });

  test("sync: attempt 0 crashes after 4 of 10, attempt 1 after 7, attempt 2 finishes 7..9", () => {
    const run = `sync-${++k}`;
    {
      using attempt0 = open(`${run}/0`);
      expect(() => useCheckpointSync(attempt0, 10, 4)).toThrow(Crash);
    }
    {
      using attempt1 = open(`${run}/1`, `${run}/0`);
      expect(() => useCheckpointSync(attempt1, 10, 7)).toThrow(Crash);
    }
    using attempt2 = open(`${run}/2`, `${run}/1`);
    expect(useCheckpointSync(attempt2, 10)).toEqual([7, 8, 9]);
  });

  test("sync: the loop picks up exactly where the crash left it", () => {
    const run = `sync-b-${++k}`;
    {
      using a0 = open(`${run}/0`);
      expect(() => useCheckpointSync(a0, 10, 4)).toThrow(Crash);
    }
    using a1 = open(`${run}/1`, `${run}/0`);
    expect(useCheckpointSync(a1, 10)).toEqual([4, 5, 6, 7, 8, 9]);
    using a2 = open(`${run}/2`, `${run}/1`);
    expect(useCheckpointSync(a2, 10)).toEqual([]);
  });

  test("async with JSON: three attempts, two crashes, every iteration runs exactly once", async () => {
    const run = `async-${++k}`;
    const ran: number[] = [];
    const attempt = async (n: number, crashAt?: number): Promise<void> => {
      await using cp = open(`${run}/${n}`, n === 0 ? undefined : `${run}/${n - 1}`);
      try {
        ran.push(...(await useCheckpoint(cp, 12, crashAt)));
      } catch (error) {
        if (!(error instanceof Crash)) throw error;
        ran.push(...Array.from({ length: crashAt! }, (_, i) => i).filter((i) => !ran.includes(i)));
      }
    };
    await attempt(0, 3);
    await attempt(1, 8);
    await attempt(2);
    expect(ran).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  test("a restart inside one attempt (no source, same destination) loads what the destination holds", async () => {
    const dest = `jobset-${++k}`;
    {
      using first = open(dest);
      expect(() => useCheckpointSync(first, 10, 6)).toThrow(Crash);
    }
    // JobSet restarts ship --prev-checkpoint '""' with the same --checkpoint-path.
    using restarted = new Checkpoint(
      adapter.uri(dest),
      '""',
      adapter.storage ? { storage: adapter.storage } : {},
    );
    expect(restarted.prevExists()).toBe(false);
    expect(useCheckpointSync(restarted, 10)).toEqual([6, 7, 8, 9]);
    expect(restarted.lastLoad?.uri).toBe(adapter.uri(dest));
  });

  test("the destination, when it holds a checkpoint, is newer than the source and wins", async () => {
    const run = `prefer-${++k}`;
    using prev = open(`${run}/0`);
    await prev.saveJson(3);
    using own = open(`${run}/1`);
    await own.saveJson(5);
    using restarted = open(`${run}/1`, `${run}/0`);
    expect(await restarted.loadJson()).toBe(5);
  });

  test("load is idempotent in an attempt: the first result is kept", async () => {
    const run = `idem-${++k}`;
    using prev = open(`${run}/0`);
    await prev.saveJson(1);
    using cp = open(`${run}/1`, `${run}/0`);
    const [a, b] = await Promise.all([cp.load(), cp.load()]);
    expect(a).toBe(b);
    await prev.saveJson(2); // the source changes after the first load
    expect(await cp.load()).toBe(a);
    expect(cp.loadSync()).toBe(a);
    expect(await cp.loadJson()).toBe(1);
  });

  test("concurrent saves are serialized and the last call wins, whatever finishes first", async () => {
    const run = `conc-${++k}`;
    const dirs = [1, 2, 3].map((i) => {
      const d = join(root, `${run}-dir-${i}`);
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, "big.bin"), Buffer.alloc(i * 512 * 1024, i));
      writeFileSync(join(d, "value"), String(i));
      return d;
    });
    using cp = open(`${run}/0`);
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      // A slow directory save before quick byte saves: order must still be call order.
      saves.push(i % 5 === 0 ? cp.save(dirs[i % 3]!) : cp.saveJson(i));
    }
    saves.push(cp.save(dirs[2]!));
    await Promise.all(saves);
    using reader = open(`${run}/1`, `${run}/0`);
    const path = (await reader.load())!;
    expect(readFileSync(join(path, "value"), "utf8")).toBe("3");
    expect(reader.lastLoad).toMatchObject({ format: "dir", verified: true });
  });
});

describe("a real process crash (SIGKILL) on the disk adapter", () => {
  test.each([5, 40, 150])(
    "killed mid-loop and mid-save (after %i ms): the next attempt resumes from the last complete save",
    (delay) => {
      const dest = join(root, `killed-${delay}/0`);
      const big = join(root, `killed-big-${delay}`);
      mkdirSync(big, { recursive: true });
      for (let i = 0; i < 8; i++) writeFileSync(join(big, `part-${i}`), Buffer.alloc(4 << 20, i));
      const result = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "--conditions=@flyte/source",
          join(__dirname, "fixtures/crashingSaver.mts"),
          dest,
          big,
          String(delay),
        ],
        { cwd: resolve(__dirname, ".."), encoding: "utf8" },
      );
      expect(result.stderr).toBe("");
      expect(result.signal).toBe("SIGKILL"); // killed, not exited
      using next = new Checkpoint(join(root, `killed-${delay}/1`), dest, {
        onWarning: () => undefined,
      });
      const path = next.loadSync();
      // Whatever instant it died at, the checkpoint is the last complete one, never half a save.
      if (next.lastLoad?.format === "dir")
        expect(readFileSync(join(path!, "part-7")).length).toBe(4 << 20);
      else expect(readFileSync(path!, "utf8")).toBe("5");
    },
  );
});
