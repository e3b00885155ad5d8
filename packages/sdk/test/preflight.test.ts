/**
 * Storage that cannot work is found before the first attempt starts — a configuration error
 * saying what to fix, never a task failure retried after every attempt (nor a "success" of a
 * task that never touched its checkpoint) — and the CLI says so with the usage exit code.
 */
import { join } from "node:path";

import {
  MissingDependencyError,
  registerStorage,
  resolveStorage,
  unregisterStorage,
} from "@flyte/storage-adapters";

import { ConfigurationError, TaskEnvironment, init, withRunContext } from "../src/index.js";
import { ExitCode } from "../src/entrypoint/exitCodes.js";
import { flyte, SDK_DIR, tempDir } from "./fixtures-cli/runBin.js";

const env = new TaskEnvironment({ name: "preflight" });

describe("storage preflight", () => {
  afterEach(() => unregisterStorage("needsdk"));

  it("refuses a run whose storage cannot load, before any attempt, naming the fix", async () => {
    // A storage whose SDK is missing: the preflight fails as the lazy S3 and Azure adapters do.
    const memory = resolveStorage("memory://preflight/").storage;
    registerStorage("needsdk", () => ({
      ...memory,
      scheme: "needsdk",
      capabilities: memory.capabilities,
      head: (k: string) => memory.head(k),
      get: (k: string) => memory.get(k),
      getStream: (k: string) => memory.getStream(k),
      put: (k: string, b: Uint8Array | string) => memory.put(k, b),
      putStream: (k: string, b: AsyncIterable<Uint8Array>) => memory.putStream(k, b),
      list: (p: string) => memory.list(p),
      delete: (k: string) => memory.delete(k),
      preflight: () =>
        Promise.reject(
          new MissingDependencyError("needsdk://bucket", [
            { name: "needsdk-client", range: "^1.0.0" },
          ]),
        ),
    }));
    init({ rawDataPath: "needsdk://bucket/runs" });
    let ran = 0;
    const neverTouchesStorage = env.task({ retries: 3 }, async function neverTouchesStorage() {
      ran++;
    });
    const error = (await withRunContext({})
      .run(neverTouchesStorage)
      .catch((e: unknown) => e)) as ConfigurationError;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.code).toBe("STORAGE");
    expect(error.message).toMatch(/needsdk-client/);
    expect(ran).toBe(0);
  });

  it("exits 2 in the CLI on a storage URI that cannot work", async () => {
    const r = await flyte(
      [
        "run",
        "--json",
        "--raw-data-path",
        "abfs://c@acct.dfs.core.windows.net/runs",
        join(SDK_DIR, "test", "fixtures-cli", "tasks.ts"),
        "add",
        "--x",
        "1",
      ],
      { env: { FLYTE_HOME: tempDir("preflight") } },
    );
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toMatch(/container/i);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
