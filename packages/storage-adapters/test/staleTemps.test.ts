/**
 * A process killed mid-write leaves its temporary file behind (the write never published it).
 * The posix adapter removes such leftovers from a folder the first time it writes there, once
 * they are older than `staleTempMs`; recent ones (another process's write in progress) stay.
 */
import * as nodeFs from "node:fs";
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memfs } from "memfs";
import { PosixStorage } from "@flyte/storage-adapters";
import type { PosixFs } from "@flyte/storage-adapters";

type Setup = {
  fs: PosixFs;
  root: string;
  write(p: string): void;
  age(p: string, ms: number): void;
  list(d: string): string[];
  done(): void;
};

const setups: [string, () => Setup][] = [
  [
    "disk",
    () => {
      const root = mkdtempSync(join(tmpdir(), "flyte-stale-"));
      return {
        fs: nodeFs as unknown as PosixFs,
        root,
        write: (p) => writeFileSync(p, "partial"),
        age: (p, ms) => utimesSync(p, (Date.now() - ms) / 1000, (Date.now() - ms) / 1000),
        list: (d) => readdirSync(d),
        done: () => rmSync(root, { recursive: true, force: true }),
      };
    },
  ],
  [
    "memfs",
    () => {
      const { fs } = memfs();
      const root = "/store";
      return {
        fs: fs as unknown as PosixFs,
        root,
        write: (p) => fs.writeFileSync(p, "partial"),
        age: (p, ms) => fs.utimesSync(p, (Date.now() - ms) / 1000, (Date.now() - ms) / 1000),
        list: (d) => fs.readdirSync(d) as string[],
        done: () => undefined,
      };
    },
  ],
];

describe.each(setups)("stale temporary files (%s)", (_name, make) => {
  it("are removed by the first write to their folder once older than staleTempMs; fresh ones stay", async () => {
    const s = make();
    try {
      const storage = new PosixStorage({ fs: s.fs, root: s.root, staleTempMs: 60_000 });
      await storage.put("dir/seed", "x");
      const dir = join(s.root, "dir");
      const stale = join(dir, ".flyte-tmp.deadbeefdeadbeef");
      const fresh = join(dir, ".flyte-tmp.0123456789abcdef");
      s.write(stale);
      s.age(stale, 2 * 60 * 60 * 1000);
      s.write(fresh);
      // A new adapter (a new process, as after a crash) writing into that folder sweeps it.
      const next = new PosixStorage({ fs: s.fs, root: s.root, staleTempMs: 60_000 });
      await next.put("dir/other", "y");
      const names = s.list(dir).sort();
      expect(names).toEqual([".flyte-tmp.0123456789abcdef", "other", "seed"]);
      expect(new TextDecoder().decode(await next.get("dir/seed"))).toBe("x");
    } finally {
      s.done();
    }
  });

  it("keeps everything with staleTempMs: 0", async () => {
    const s = make();
    try {
      const storage = new PosixStorage({ fs: s.fs, root: s.root, staleTempMs: 0 });
      await storage.put("d/a", "x");
      const stale = join(s.root, "d", ".flyte-tmp.aaaaaaaaaaaaaaaa");
      s.write(stale);
      s.age(stale, 10 * 60 * 60 * 1000);
      await new PosixStorage({ fs: s.fs, root: s.root, staleTempMs: 0 }).put("d/b", "y");
      expect(s.list(join(s.root, "d"))).toContain(".flyte-tmp.aaaaaaaaaaaaaaaa");
    } finally {
      s.done();
    }
  });
});
