/**
 * `@flyte/storage-adapters/contract` is for adapter authors whatever test framework they use:
 * it registers its cases through the functions it is given and asserts with node:assert.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

import { resolveStorage } from "@flyte/storage-adapters";
import { describeStorageContract } from "@flyte/storage-adapters/contract";

/** Runs the contract under `node --test`; returns the exit status and the TAP totals. */
function runUnderNodeTest(env: Record<string, string> = {}): {
  status: number;
  pass: number;
  fail: number;
} {
  let status = 0;
  let out: string;
  try {
    out = execFileSync(
      process.execPath,
      [
        "--import",
        require.resolve("tsx"),
        "--conditions=@flyte/source",
        "--test",
        "--test-reporter=tap",
        join(__dirname, "fixtures", "contractUnderNodeTest.ts"),
      ],
      {
        cwd: join(__dirname, ".."),
        encoding: "utf8",
        env: { ...process.env, ...env },
        timeout: 120_000,
      },
    );
  } catch (error) {
    const failed = error as { status: number; stdout: string };
    status = failed.status;
    out = failed.stdout;
  }
  const total = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(out)?.[1]);
  return { status, pass: total("pass"), fail: total("fail") };
}

describe("the contract suite outside jest", () => {
  it("runs under node:test, passing a storage that keeps it", () => {
    const result = runUnderNodeTest();
    expect(result).toMatchObject({ status: 0, fail: 0 });
    expect(result.pass).toBeGreaterThanOrEqual(30);
  }, 120_000);

  it("fails a storage that breaks it, under node:test too", () => {
    const result = runUnderNodeTest({ FLYTE_BROKEN_STORAGE: "1" });
    expect(result.status).not.toBe(0);
    expect(result.fail).toBeGreaterThan(5);
  }, 120_000);

  it("says which function of the test framework it is missing", () => {
    const storage = resolveStorage("memory://harness/").storage;
    expect(() =>
      describeStorageContract("incomplete", () => ({ storage }), {
        describe,
        it,
      } as never),
    ).toThrow(/needs the test framework's beforeAll, afterAll/);
  });
});
