/**
 * Hostile checkpoint archives and manifests, fuzzed: tar-slip names (absolute, `..`, through a
 * symlink, pax and GNU long names), links out of the workspace, device files, absurd and lying
 * sizes, truncated and bit-flipped gzip, gzip bombs, and manifests of every shape. Each load
 * (async and sync) must give a typed CheckpointError or a restore inside the workspace, write
 * nothing outside it, and leave nothing behind once disposed.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import {
  lstatSync,
  openSync,
  readdirSync,
  realpathSync,
  statSync,
  utimesSync,
  writeSync,
  closeSync,
} from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import {
  Checkpoint,
  CheckpointCorruptError,
  CheckpointError,
  CheckpointTooLargeError,
  CheckpointUnsafeEntryError,
  manifestKey,
} from "@flyte/checkpoint";
import type { ExtractionLimits } from "@flyte/checkpoint";
import { PosixStorage, dropMemoryVolume, memoryVolume } from "@flyte/storage-adapters";
import { bytesFor, digestDir, treeDigest, treeFor, writeTree } from "./crash/crashContent.js";
import { craftTar, paxEntry } from "./hostile/craftTar.js";
import type { CraftedEntry } from "./hostile/craftTar.js";
import { makeSandbox } from "./hostile/sandbox.js";
import type { Sandbox } from "./hostile/sandbox.js";
import { SEED, scale, timeout } from "./support/suiteScale.js";

const RUNS = scale("FLYTE_RELIABILITY_FUZZ_RUNS", 1000, 5_000);
const MANIFEST_RUNS = Math.ceil(RUNS / 2);
const VOLUME = `hostile-archives-${process.pid}`;
const storage = new PosixStorage({
  fs: memoryVolume(VOLUME),
  root: "/",
  scheme: "memory",
  baseUri: `memory://${VOLUME}/`,
  singleProcess: true,
});

let box: Sandbox;
beforeAll(() => {
  box = makeSandbox("archives");
  console.log(`hostile archives: seed ${SEED}, ${RUNS} runs per property`);
});
afterAll(() => {
  box.remove();
  dropMemoryVolume(VOLUME);
});

const quiet = (limits?: Partial<ExtractionLimits>) => ({
  storage,
  tmpDir: box.work,
  onWarning: () => undefined,
  ...(limits ? { limits } : {}),
});

/** Every symlink under `dir` resolves inside `root`. */
function assertContained(dir: string, root: string, context: string): void {
  const realRoot = realpathSync(root);
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) {
        let real: string;
        try {
          real = realpathSync(p);
        } catch {
          continue; // dangling inside the workspace: points nowhere, reaches nothing
        }
        if (real !== realRoot && !real.startsWith(realRoot + "/"))
          throw new Error(`${context}: ${p} resolves outside to ${real}`);
      } else if (st.isDirectory()) walk(p);
      else if (!st.isFile())
        throw new Error(`${context}: ${p} is not a regular file (mode ${st.mode.toString(8)})`);
    }
  };
  walk(dir);
}

type Outcome =
  { kind: "loaded"; path: string } | { kind: "none" } | { kind: "error"; error: unknown };

/** Loads `key` async and sync; checks the rules common to every hostile case. */
async function loadBoth(
  key: string,
  context: string,
  limits?: Partial<ExtractionLimits>,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const sync of [false, true]) {
    const cp = new Checkpoint(`${key}.next`, key, quiet(limits));
    let outcome: Outcome;
    try {
      const path = sync ? cp.loadSync() : await cp.load();
      outcome = path === undefined ? { kind: "none" } : { kind: "loaded", path };
    } catch (error) {
      outcome = { kind: "error", error };
    }
    if (outcome.kind === "error" && !(outcome.error instanceof CheckpointError)) {
      cp.dispose();
      throw new Error(
        `${context} (${sync ? "loadSync" : "load"}): untyped error ${String((outcome.error as Error)?.stack ?? outcome.error)}`,
      );
    }
    if (outcome.kind === "loaded") {
      if (!outcome.path.startsWith(cp.path))
        throw new Error(`${context}: restored to ${outcome.path}, outside ${cp.path}`);
      if (statSync(outcome.path).isDirectory()) assertContained(outcome.path, cp.path, context);
    }
    cp.dispose();
    box.assertUntouched(context);
    const left = readdirSync(box.work);
    if (left.length > 0)
      throw new Error(`${context}: the workspace was not cleaned: ${left.join(", ")}`);
    outcomes.push(outcome);
  }
  return outcomes;
}

const names = (sentinel: string) =>
  fc.oneof(
    fc.constantFrom(
      "a",
      "d/e.txt",
      "d/",
      "link",
      "link/pwn",
      "hl",
      "./x",
      "é/ü.bin",
      "a".repeat(99),
    ),
    fc.constantFrom(
      `${sentinel}/abs`,
      "/etc/flyte-pwn",
      "../sentinel/pwn",
      "../../sentinel/pwn",
      "a/../../sentinel/pwn",
      "..",
      ".",
      "",
      "x\0y",
      "C:/x",
      "\\x",
      "d//../../../y",
    ),
    fc.stringMatching(/^[a-z./]{1,12}$/),
  );
const targets = (sentinel: string) =>
  fc.oneof(
    fc.constantFrom("a", "d/e.txt", "link", "d", ".", "", "hl"),
    fc.constantFrom(
      sentinel,
      `${sentinel}/pwn`,
      "../sentinel",
      "../../sentinel",
      "../../../..",
      "d/../../sentinel",
      "/",
      "/etc/passwd",
      "link/..",
    ),
  );

function entryArb(sentinel: string): fc.Arbitrary<CraftedEntry> {
  return fc.oneof(
    fc.record({
      name: names(sentinel),
      type: fc.constantFrom(
        "0",
        "0",
        "1",
        "2",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "K",
        "g",
        "S",
        "Z",
        "\0",
      ),
      linkname: targets(sentinel),
      mode: fc.constantFrom(0o644, 0o4755, 0o777, 0o000, 0o7777),
      data: fc.uint8Array({ maxLength: 700 }),
      declaredSize: fc.option(fc.constantFrom(0, 1, 511, 513, 8 * 1024 ** 3, 2 ** 33 - 1), {
        nil: undefined,
      }),
      base256Size: fc.boolean(),
    }),
    fc
      .tuple(names(sentinel), fc.constantFrom("path", "linkpath", "size"))
      .map(([v, k]) => paxEntry({ [k]: k === "size" ? "99999999999999" : v })),
    names(sentinel).map((n): CraftedEntry => ({
      name: "././@LongLink",
      type: "L",
      data: new TextEncoder().encode(`${n}\0`),
    })),
  );
}

type Wrap = "gzip" | "tar" | "truncated" | "flipped" | "unclosed";

function wrap(tar: Uint8Array, how: Wrap, cut: number): Uint8Array {
  switch (how) {
    case "tar":
      return tar;
    case "unclosed":
      return gzipSync(tar.subarray(0, Math.max(0, tar.length - 1024)));
    case "gzip":
      return gzipSync(tar);
    case "truncated": {
      const gz = gzipSync(tar);
      return gz.subarray(0, Math.floor(cut * gz.length));
    }
    case "flipped": {
      const gz = Uint8Array.from(gzipSync(tar));
      const at = Math.floor(cut * gz.length);
      gz[at] = gz[at]! ^ 0x5a;
      return gz;
    }
  }
}

describe("hostile archives", () => {
  it(
    "fuzzed tar entries and damaged gzip: a typed error or a contained restore, nothing written outside",
    async () => {
      let n = 0;
      const seen = { loaded: 0, none: 0, unsafe: 0, corrupt: 0, tooLarge: 0, other: 0 };
      await fc.assert(
        fc.asyncProperty(
          fc.array(entryArb(box.sentinel), { minLength: 1, maxLength: 6 }),
          fc.constantFrom<Wrap>("gzip", "gzip", "tar", "truncated", "flipped", "unclosed"),
          fc.double({ min: 0, max: 0.999, noNaN: true }),
          async (entries, how, cut) => {
            const key = `fuzz/${n++}`;
            await storage.put(key, wrap(craftTar(entries), how, cut));
            for (const o of await loadBoth(
              key,
              `case ${key} ${how} ${JSON.stringify(entries.map((e) => [e.type, e.name, e.linkname]))}`,
            )) {
              if (o.kind === "loaded") seen.loaded++;
              else if (o.kind === "none") seen.none++;
              else if (o.error instanceof CheckpointUnsafeEntryError) seen.unsafe++;
              else if (o.error instanceof CheckpointCorruptError) seen.corrupt++;
              else if (o.error instanceof CheckpointTooLargeError) seen.tooLarge++;
              else seen.other++;
            }
            await storage.delete(key);
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
      console.log(`hostile archives: ${n} archives x (load, loadSync): ${JSON.stringify(seen)}`);
      expect(seen.unsafe).toBeGreaterThan(0);
      expect(seen.corrupt).toBeGreaterThan(0);
    },
    timeout(170_000),
  );

  it.each([
    [
      "an absolute path",
      (s: string): CraftedEntry[] => [{ name: `${s}/abs`, type: "0", data: new Uint8Array(3) }],
    ],
    [
      "a `..` path",
      (): CraftedEntry[] => [{ name: "../sentinel/pwn", type: "0", data: new Uint8Array(3) }],
    ],
    [
      "a symlink out, then a file through it",
      (s: string): CraftedEntry[] => [
        { name: "link", type: "2", linkname: s },
        { name: "link/pwn", type: "0", data: new Uint8Array(3) },
      ],
    ],
    [
      "a relative symlink out",
      (): CraftedEntry[] => [{ name: "d/up", type: "2", linkname: "../../sentinel" }],
    ],
    [
      "a symlink chain that only escapes together",
      (): CraftedEntry[] => [
        { name: "d/e/f", type: "5" },
        { name: "d/e/f/l1", type: "2", linkname: ".." },
        // Lexically "d" (inside); really l1 -> d/e, then three levels up: outside the workspace.
        { name: "d/l2", type: "2", linkname: "e/f/l1/../../.." },
      ],
    ],
    [
      "a hard link to a file outside",
      (s: string): CraftedEntry[] => [{ name: "hl", type: "1", linkname: `${s}/../sentinel/x` }],
    ],
    [
      "a pax path override",
      (): CraftedEntry[] => [
        paxEntry({ path: "../../sentinel/pax" }),
        { name: "innocent", type: "0", data: new Uint8Array(1) },
      ],
    ],
    [
      "a GNU long name",
      (): CraftedEntry[] => [
        {
          name: "././@LongLink",
          type: "L",
          data: new TextEncoder().encode("../../sentinel/long\0"),
        },
        { name: "innocent", type: "0", data: new Uint8Array(1) },
      ],
    ],
    ["a character device", (): CraftedEntry[] => [{ name: "dev", type: "3" }]],
    ["a FIFO", (): CraftedEntry[] => [{ name: "fifo", type: "6" }]],
  ])("refuses %s with CheckpointUnsafeEntryError", async (_label, build) => {
    const key = `named/${_label.replace(/\W+/g, "-")}`;
    await storage.put(key, gzipSync(craftTar(build(box.sentinel))));
    for (const o of await loadBoth(key, _label)) {
      expect(o.kind).toBe("error");
      expect((o as { error: unknown }).error).toBeInstanceOf(CheckpointUnsafeEntryError);
      expect((o as { error: CheckpointError }).error.uri).toBe(key);
    }
  });

  it("refuses a gzip bomb past the ratio limit, and absurd sizes and entry counts, with CheckpointTooLargeError", async () => {
    const zeros = new Uint8Array(64 * 1024 * 1024);
    const bomb = gzipSync(craftTar([{ name: "zeros", type: "0", data: zeros }]), { level: 9 });
    console.log(
      `gzip bomb: ${bomb.length} bytes expanding to ${zeros.length} (${Math.round(zeros.length / bomb.length)}:1)`,
    );
    await storage.put("limits/bomb", bomb);
    for (const o of await loadBoth("limits/bomb", "bomb", {
      maxRatio: 100,
      ratioGraceBytes: 1024 * 1024,
    })) {
      expect((o as { error: unknown }).error).toBeInstanceOf(CheckpointTooLargeError);
    }
    await storage.put(
      "limits/huge",
      gzipSync(
        craftTar([
          {
            name: "huge",
            type: "0",
            declaredSize: 2 ** 50,
            base256Size: true,
            data: new Uint8Array(10),
          },
        ]),
      ),
    );
    for (const o of await loadBoth("limits/huge", "huge declared size")) {
      expect((o as { error: unknown }).error).toBeInstanceOf(CheckpointTooLargeError);
    }
    await storage.put(
      "limits/lying",
      gzipSync(
        craftTar([
          { name: "lying", type: "0", declaredSize: 2 ** 33 - 1, data: new Uint8Array(10) },
        ]),
      ),
    );
    for (const o of await loadBoth("limits/lying", "size larger than the data")) {
      expect((o as { error: unknown }).error).toBeInstanceOf(CheckpointCorruptError);
    }
    const many = Array.from({ length: 12 }, (_, i): CraftedEntry => ({
      name: `f${i}`,
      type: "0",
      data: new Uint8Array(1),
    }));
    await storage.put("limits/many", gzipSync(craftTar(many)));
    for (const o of await loadBoth("limits/many", "too many entries", { maxEntries: 10 })) {
      expect((o as { error: unknown }).error).toBeInstanceOf(CheckpointTooLargeError);
    }
  }, 60_000);

  it("reports a truncated archive a manifest vouches for as corrupt, at every cut", async () => {
    const src = join(box.top, "work", "..", "work", "src");
    writeTree(src, treeFor(5));
    const writer = new Checkpoint("trunc/cp", undefined, quiet());
    await writer.save(src);
    writer.dispose();
    fs.rmSync(src, { recursive: true, force: true });
    const whole = await storage.get("trunc/cp");
    const manifest = JSON.parse(
      new TextDecoder().decode(await storage.get(manifestKey("trunc/cp"))),
    ) as Record<string, unknown>;
    for (const fraction of [0.01, 0.1, 0.5, 0.9, 0.999]) {
      const cut = whole.subarray(0, Math.floor(fraction * whole.length));
      const meta = await storage.put("trunc/cut", cut);
      // A manifest that vouches for the cut object's version (its etag) but the whole one's sha256.
      await storage.put(
        manifestKey("trunc/cut"),
        JSON.stringify({ ...manifest, etag: meta.etag, size: whole.length }),
      );
      for (const o of await loadBoth("trunc/cut", `cut at ${fraction}`)) {
        expect((o as { error: unknown }).error).toBeInstanceOf(CheckpointCorruptError);
      }
    }
  });
});

describe("hostile manifests", () => {
  const content = bytesFor(5000, 42);
  const sha = createHash("sha256").update(content).digest("hex");

  it(
    "fuzzed manifests never make load return other bytes than stored, nor an untyped error",
    async () => {
      const meta = await storage.put("manifests/obj", content);
      const real = {
        version: 1,
        format: "bytes",
        size: content.length,
        sha256: sha,
        etag: meta.etag,
        createdAt: new Date().toISOString(),
        writer: "@flyte/checkpoint",
      };
      const seen = { verified: 0, unverified: 0, corrupt: 0, checksum: 0 };
      const manifestArb = fc.oneof(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.uint8Array({ maxLength: 300 }),
        fc
          .tuple(
            fc.constantFrom(...Object.keys(real), "__proto__", "constructor", "extra"),
            fc.oneof(
              fc.jsonValue(),
              fc.constantFrom(
                sha.replace(/.$/, "0"),
                content.length + 1,
                -1,
                2 ** 60,
                "dir",
                "file",
                meta.etag,
              ),
            ),
          )
          .map(
            ([k, v]) =>
              `{${Object.entries({ ...real, [k]: v })
                .map(([a, b]) => `${JSON.stringify(a)}:${JSON.stringify(b)}`)
                .join(",")}}`,
          ),
      );
      await fc.assert(
        fc.asyncProperty(manifestArb, async (manifest) => {
          await storage.put(manifestKey("manifests/obj"), manifest);
          for (const sync of [false, true]) {
            const cp = new Checkpoint("manifests/next", "manifests/obj", quiet());
            try {
              const path = sync ? cp.loadSync() : await cp.load();
              // A manifest may say "dir"/"file"/"bytes"; whatever it says, the bytes must be these.
              const got = fs.readFileSync(path!);
              if (!Buffer.from(got).equals(Buffer.from(content)))
                throw new Error(`load returned other bytes under manifest ${String(manifest)}`);
              if (cp.lastLoad!.verified) seen.verified++;
              else seen.unverified++;
            } catch (error) {
              if (!(error instanceof CheckpointError))
                throw new Error(
                  `untyped error under manifest ${String(manifest)}: ${String((error as Error)?.stack ?? error)}`,
                );
              if (error.constructor.name === "CheckpointChecksumError") seen.checksum++;
              else seen.corrupt++;
            } finally {
              cp.dispose();
            }
          }
        }),
        { seed: SEED, numRuns: MANIFEST_RUNS },
      );
      console.log(
        `hostile manifests: ${MANIFEST_RUNS} manifests x (load, loadSync): ${JSON.stringify(seen)}`,
      );
      // The one manifest the fuzzer only rarely builds: it vouches for this very version (etag)
      // but names another sha256. Checked every run, not left to the seed.
      await storage.put(
        manifestKey("manifests/obj"),
        JSON.stringify({ ...real, sha256: sha.replace(/.$/, sha.endsWith("0") ? "1" : "0") }),
      );
      for (const sync of [false, true]) {
        const cp = new Checkpoint("manifests/next", "manifests/obj", quiet());
        try {
          if (sync)
            expect(() => cp.loadSync()).toThrow(
              expect.objectContaining({ name: "CheckpointChecksumError" }),
            );
          else await expect(cp.load()).rejects.toMatchObject({ name: "CheckpointChecksumError" });
        } finally {
          cp.dispose();
        }
      }
    },
    timeout(120_000),
  );

  it("a bit flipped in place on disk (same size, same mtime: the manifest still vouches) is a CheckpointCorruptError", async () => {
    const root = join(box.work, "..", "disk-root");
    const disk = new PosixStorage({ fs, root });
    const src = join(box.top, "bitrot-src");
    writeTree(src, treeFor(9));
    try {
      const writer = new Checkpoint("rot/cp", undefined, {
        storage: disk,
        tmpDir: box.work,
        onWarning: () => undefined,
      });
      await writer.save(src);
      writer.dispose();
      const file = join(root, "rot", "cp");
      const { size } = statSync(file);
      // The disk etag is inode + size + mtime in µs. Pin the mtime to a whole second (exactly
      // restorable) and re-point the manifest at that version, so after each flip the manifest
      // still vouches for the object and only its sha256 can tell.
      const mtime = 1_700_000_000;
      utimesSync(file, mtime, mtime);
      const stored = JSON.parse(
        fs.readFileSync(join(root, "rot", "cp.manifest.json"), "utf8"),
      ) as Record<string, unknown>;
      fs.writeFileSync(
        join(root, "rot", "cp.manifest.json"),
        JSON.stringify({ ...stored, etag: (await disk.head("rot/cp"))!.etag }),
      );
      for (const at of [10, Math.floor(size / 2), size - 3]) {
        const fd = openSync(file, "r+");
        const b = Buffer.alloc(1);
        fs.readSync(fd, b, 0, 1, at);
        b[0] = b[0]! ^ 0x01;
        writeSync(fd, b, 0, 1, at);
        closeSync(fd);
        utimesSync(file, mtime, mtime);
        const cp = new Checkpoint("rot/next", "rot/cp", {
          storage: disk,
          tmpDir: box.work,
          onWarning: () => undefined,
        });
        await expect(cp.load()).rejects.toBeInstanceOf(CheckpointCorruptError);
        cp.dispose();
        // Flip it back: the checkpoint loads again, verified.
        const fd2 = openSync(file, "r+");
        b[0] = b[0]! ^ 0x01;
        writeSync(fd2, b, 0, 1, at);
        closeSync(fd2);
        utimesSync(file, mtime, mtime);
        const ok = new Checkpoint("rot/next", "rot/cp", {
          storage: disk,
          tmpDir: box.work,
          onWarning: () => undefined,
        });
        expect(digestDir((await ok.load())!)).toBe(treeDigest(treeFor(9)));
        expect(ok.lastLoad!.verified).toBe(true);
        ok.dispose();
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(src, { recursive: true, force: true });
    }
  });
});
