/**
 * Hostile input, fuzzed: the custom context as it crosses processes — the `context` of an
 * inputs.pb (garbage bytes, bit flips, and well-formed messages carrying hostile entries),
 * decoded and checked as the entrypoint does — storage keys on the posix adapter
 * (`..`, absolute, NUL, very long, unicode, symlinks out) on disk and memfs, and the flags of
 * the `flyte-task` entrypoint. Each gets a typed error or a valid result; nothing is written
 * outside the storage root; the process never crashes.
 */
import * as fs from "node:fs";
import { mkdirSync, realpathSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import {
  CUSTOM_CONTEXT_KEY_PATTERN,
  CustomContextError,
  RESERVED_CUSTOM_CONTEXT_PREFIXES,
  customContextLimits,
  mergeCustomContext,
} from "@flyte/custom-context";
import { WireDecodeError, decodeInputs, encodeInputs } from "@flyte/sdk";
import { PosixStorage, StorageError, memoryVolume } from "@flyte/storage-adapters";
import { makeSandbox } from "./hostile/sandbox.js";
import type { Sandbox } from "./hostile/sandbox.js";
import { SEED, scale, timeout } from "./support/suiteScale.js";

const RUNS = scale("FLYTE_RELIABILITY_FUZZ_RUNS", 3000, 50_000);

/** An inputs.pb carrying `pairs` as its custom context (the protobuf accepts any strings). */
const inputsWith = (pairs: ReadonlyArray<readonly [string, string]>): Uint8Array =>
  encodeInputs([], pairs);

/** What a decoded map must satisfy whatever the input was. */
function assertValidMap(map: Readonly<Record<string, string>>, input: unknown): void {
  const limits = customContextLimits();
  if (!Object.isFrozen(map)) throw new Error(`decoded map is not frozen for ${input}`);
  const keys = Object.keys(map);
  if (keys.length > limits.maxEntries)
    throw new Error(`decoded ${keys.length} entries for ${input}`);
  for (const k of keys) {
    if (!CUSTOM_CONTEXT_KEY_PATTERN.test(k))
      throw new Error(`decoded key ${JSON.stringify(k)} outside the pattern`);
    if (RESERVED_CUSTOM_CONTEXT_PREFIXES.some((p) => k.toLowerCase().startsWith(p)))
      throw new Error(`decoded reserved key ${k}`);
    if (typeof map[k] !== "string") throw new Error(`decoded non-string value for ${k}`);
  }
  if (Object.getPrototypeOf(map) !== null && Object.getPrototypeOf(map) !== Object.prototype)
    throw new Error("decoded map has an odd prototype");
}

/** Decodes an inputs.pb's custom context as the entrypoint does: a valid map or a typed refusal. */
function decodeOrTyped(input: Uint8Array, seen: { ok: number; refused: number }): void {
  let map: Readonly<Record<string, string>>;
  try {
    map = mergeCustomContext(decodeInputs(input).context);
  } catch (error) {
    if (!(error instanceof CustomContextError) && !(error instanceof WireDecodeError))
      throw new Error(
        `untyped error for ${Buffer.from(input.slice(0, 200)).toString("hex")}: ${String((error as Error)?.stack ?? error)}`,
      );
    seen.refused++;
    return;
  }
  assertValidMap(map, input);
  // A received map sent on again (a child's inputs.pb) arrives as the same map.
  expect(mergeCustomContext(decodeInputs(inputsWith(Object.entries(map))).context)).toEqual(map);
  seen.ok++;
}

describe("custom context across processes (Inputs.context)", () => {
  it(
    "refuses garbage and hostile entries with a typed error, and accepts only valid maps",
    () => {
      const seen = { ok: 0, refused: 0 };
      const validMap = fc.dictionary(
        fc.stringMatching(/^[a-z][a-z0-9_.-]{0,20}$/),
        fc.string({ maxLength: 40 }),
        { maxKeys: 10 },
      );
      const hostileKey = fc.oneof(
        fc.constantFrom(
          "__proto__",
          "constructor",
          "prototype",
          "_u_x",
          "_F_x",
          "_u_kickoff_time_input_arg",
          "",
          " ",
          "a\0b",
          "a".repeat(300),
          "é",
          "toString",
          "hasOwnProperty",
        ),
        fc.string({ maxLength: 30 }),
      );
      const hostileValue = fc.oneof(
        fc.string({ maxLength: 50 }),
        fc.constant("x".repeat(9000)),
        fc.string({ unit: "binary", maxLength: 20 }),
      );
      const input = fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.tuple(hostileKey, hostileValue), { maxLength: 80 }).map((e) => inputsWith(e)),
        validMap.map((m) => inputsWith(Object.entries(m))),
        validMap.chain((m) => {
          const bytes = inputsWith(Object.entries(m));
          return fc
            .tuple(fc.nat({ max: Math.max(0, bytes.length - 1) }), fc.nat({ max: 7 }))
            .map(([at, bit]) => {
              const flipped = bytes.slice();
              if (flipped.length > 0) flipped[at] = flipped[at]! ^ (1 << bit);
              return flipped;
            });
        }),
        validMap.chain((m) => {
          const bytes = inputsWith(Object.entries(m));
          return fc.nat({ max: bytes.length }).map((at) => bytes.slice(0, at));
        }),
        fc.constant(inputsWith(Array.from({ length: 65 }, (_, i) => [`k${i}`, "v"] as const))),
      );
      fc.assert(
        fc.property(input, (bytes) => decodeOrTyped(bytes, seen)),
        { seed: SEED, numRuns: RUNS },
      );
      console.log(
        `custom context in inputs.pb: ${RUNS} inputs, ${seen.ok} decoded valid maps, ${seen.refused} refused with a typed error`,
      );
      expect(seen.refused).toBeGreaterThan(0);
      expect(seen.ok).toBeGreaterThan(0);
    },
    timeout(60_000),
  );
});

describe("storage keys on the posix adapter", () => {
  let box: Sandbox;
  beforeAll(() => {
    box = makeSandbox("keys");
    // A symlink inside the root that leads out to the sentinel.
    mkdirSync(join(box.work, "root"));
    symlinkSync(box.sentinel, join(box.work, "root", "out"));
  });
  afterAll(() => box.remove());

  const keyArb = fc.oneof(
    fc.constantFrom(
      "..",
      "../x",
      "a/../../x",
      "/etc/passwd",
      "//x",
      "a//b",
      "./a",
      "a/./b",
      "a\0b",
      "\0",
      "out/pwn",
      "out/../x",
      "out",
      "a/",
      "",
      ".flyte-tmp.x",
      "a/.flyte-tmp.y",
      "C:\\x",
      "a\\..\\..\\x",
    ),
    fc.constantFrom(
      "a".repeat(255),
      "a".repeat(256),
      `${"a".repeat(200)}/`.repeat(30),
      "é/ü/😀",
      "\u202e",
      "a\nb",
      "%2e%2e/x",
      "~/x",
      "$HOME/x",
    ),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 20 }),
    fc
      .array(fc.constantFrom("..", ".", "", "a", "out", "é", "\0", "b".repeat(300)), {
        minLength: 1,
        maxLength: 6,
      })
      .map((p) => p.join("/")),
  );

  it.each(["disk", "memfs"] as const)(
    "%s: every key is stored inside the root or refused with a StorageError",
    async (kind) => {
      const root = join(box.work, "root");
      const storage =
        kind === "disk"
          ? new PosixStorage({ fs, root })
          : new PosixStorage({
              fs: memoryVolume(`hostile-keys-${process.pid}`),
              root: "/vol",
              scheme: "memory",
              baseUri: "memory://k/",
              singleProcess: true,
            });
      const seen = { stored: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(keyArb, async (key) => {
          const ops: Array<[string, () => unknown]> = [
            ["put", () => storage.put(key, "x")],
            [
              "putStream",
              () =>
                storage.putStream(
                  key,
                  (async function* () {
                    yield new Uint8Array([1]);
                  })(),
                ),
            ],
            ["head", () => storage.head(key)],
            ["get", () => storage.get(key)],
            [
              "list",
              async () => {
                for await (const _ of storage.list(key)) void _;
              },
            ],
            ["putSync", () => storage.putSync(key, "y")],
            ["getSync", () => storage.getSync(key)],
            ["delete", () => storage.delete(key)],
          ];
          for (const [name, op] of ops) {
            try {
              await op();
              if (name === "put") {
                seen.stored++;
                if (kind === "disk") {
                  const real = realpathSync(join(root, key));
                  if (!real.startsWith(realpathSync(root) + "/"))
                    throw new Error(`put ${JSON.stringify(key)} landed at ${real}`);
                }
              }
            } catch (error) {
              if (!(error instanceof StorageError))
                throw new Error(
                  `${name}(${JSON.stringify(key)}): untyped ${String((error as Error)?.stack ?? error)}`,
                );
              if (name === "put") seen.refused++;
            }
          }
          box.assertUntouched(`key ${JSON.stringify(key)}`);
        }),
        { seed: SEED, numRuns: Math.ceil(RUNS / 6) },
      );
      console.log(
        `posix keys (${kind}): ${Math.ceil(RUNS / 6)} keys x 8 operations; put stored ${seen.stored}, refused ${seen.refused}`,
      );
      expect(seen.refused).toBeGreaterThan(0);
    },
    timeout(120_000),
  );
});

describe("flyte-task flags", () => {
  it(
    "gives every argv/env either a checked config, help, or an EntrypointError (exit code 2)",
    async () => {
      const { parseEntrypointArgs, EntrypointError } = await import("@flyte/sdk");
      const flags = [
        "--run-name",
        "--name",
        "--project",
        "--domain",
        "--org",
        "--run-base-dir",
        "--attempt-number",
        "-r",
        "--raw-data-path",
        "-c",
        "--checkpoint-path",
        "-p",
        "--prev-checkpoint",
        "-i",
        "--inputs",
        "-o",
        "--outputs-path",
        "--version",
        "--run-start-time",
        "--custom-context",
        "--args",
        "-h",
        "--help",
        "--nope",
        "-x",
        "--",
        "-",
      ];
      const value = fc.oneof(
        fc.constantFrom(
          "",
          '""',
          "{{.runName}}",
          "{{ .Inputs }}",
          "0",
          "-1",
          "1.5",
          "1e3",
          "99999999999999999999",
          " 3",
          "abc",
          "s3://b/k",
          "memory://m/x",
          "/tmp/x",
          "../x",
          "nope://x",
          "s3://",
          "s3:///k",
          "\0",
          "é",
          "--name",
          "x".repeat(5000),
        ),
        fc.string({ maxLength: 30 }),
      );
      const token = fc.oneof(
        fc.constantFrom(...flags),
        value,
        fc.tuple(fc.constantFrom(...flags), value).map(([f, v]) => `${f}=${v}`),
      );
      // Mostly-valid environments, so that many cases get past "missing" to the deeper checks.
      const envVar = fc.oneof(
        fc.constant("ok-1"),
        fc.constant("ok-1"),
        value,
        fc.constant(undefined),
      );
      const envArb = fc.record({
        RUN_NAME: envVar,
        ACTION_NAME: envVar,
        FLYTE_INTERNAL_EXECUTION_PROJECT: envVar,
        FLYTE_INTERNAL_EXECUTION_DOMAIN: envVar,
        _U_ORG_NAME: envVar,
        _U_RUN_BASE: fc.oneof(fc.constant("memory://runs/base"), value),
        FLYTE_ATTEMPT_NUMBER: fc.oneof(fc.constant(undefined), value),
      });
      const argvArb = fc
        .tuple(
          fc.array(token, { maxLength: 16 }),
          fc.oneof(fc.constant([]), fc.tuple(value, value), fc.constant(["./tasks.ts", "main"])),
        )
        .map(([a, b]) => [...a, ...b]);
      const seen = { run: 0, help: 0, refused: 0 };
      fc.assert(
        fc.property(argvArb, envArb, (argv, env) => {
          let request;
          try {
            request = parseEntrypointArgs(argv, env);
          } catch (error) {
            if (!(error instanceof EntrypointError))
              throw new Error(
                `untyped error for ${JSON.stringify(argv)}: ${String((error as Error)?.stack ?? error)}`,
              );
            expect((error as unknown as { exitCode: number }).exitCode).toBe(2);
            seen.refused++;
            return;
          }
          if (request.kind === "help") {
            seen.help++;
            return;
          }
          seen.run++;
          const c = request.config as unknown as Record<string, unknown>;
          for (const f of [
            "runName",
            "actionName",
            "project",
            "domain",
            "org",
            "runBaseDir",
            "modulePath",
            "taskName",
          ]) {
            if (
              typeof c[f] !== "string" ||
              (c[f] as string).trim() === "" ||
              (c[f] as string).includes("{{")
            )
              throw new Error(`config.${f} = ${JSON.stringify(c[f])} for ${JSON.stringify(argv)}`);
          }
          if (!Number.isSafeInteger(c.attemptNumber) || (c.attemptNumber as number) < 0)
            throw new Error(`attemptNumber ${String(c.attemptNumber)}`);
        }),
        { seed: SEED, numRuns: RUNS },
      );
      console.log(`flyte-task flags: ${RUNS} argv/env pairs: ${JSON.stringify(seen)}`);
      expect(seen.refused).toBeGreaterThan(0);
      expect(seen.run + seen.help).toBeGreaterThan(0);
    },
    timeout(60_000),
  );
});
