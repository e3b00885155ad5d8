import { randomBytes } from "node:crypto";
import assert from "node:assert/strict";

import type { Storage } from "../Storage.js";
import type {
  ContractContext,
  ContractHarness,
  StorageContractFixture,
  StorageContractOptions,
} from "./StorageContract.js";
import { abortCases } from "./cases/abortCases.js";
import { atomicityCases } from "./cases/atomicityCases.js";
import { conditionalCases } from "./cases/conditionalCases.js";
import { fileCases } from "./cases/fileCases.js";
import { listDeleteCases } from "./cases/listDeleteCases.js";
import { roundTripCases } from "./cases/roundTripCases.js";
import { syncCases } from "./cases/syncCases.js";

const MiB = 1024 * 1024;

/**
 * Registers the storage contract every adapter must pass, as one `describe` block of the
 * caller's test framework (`harness`: jest, vitest, `node:test`, mocha; see
 * {@link ContractHarness}). `setup` runs once before the cases (start a server, make a temp
 * folder) and its `cleanup` once after. Every key the suite writes lives under a fresh random
 * prefix, which is deleted at the end, so the suite can share a bucket with other runs. With
 * `options.skip` set, the suite is skipped and the reason printed, for servers that are not
 * installed locally.
 *
 * @example
 * ```ts
 * import { describeStorageContract } from "@flyte/storage-adapters/contract";
 * describeStorageContract("gcs", async () => ({ storage: createGcsStorage(location) }),
 *   { describe, it, beforeAll, afterAll });
 * ```
 */
export function describeStorageContract(
  name: string,
  setup: () => Promise<StorageContractFixture> | StorageContractFixture,
  harness: ContractHarness,
  options: StorageContractOptions = {},
): void {
  checkHarness(harness);
  if (options.skip !== undefined) {
    harness.describe.skip?.(`storage contract: ${name} (SKIPPED: ${options.skip})`, () => {
      harness.it("is skipped", async () => undefined);
    });
    console.warn(`\n!!! storage contract "${name}" SKIPPED: ${options.skip}\n`);
    return;
  }
  const runPrefix = `contract-${randomBytes(6).toString("hex")}`;
  const timeoutMs = options.timeoutMs ?? 60_000;
  let fixture: StorageContractFixture | undefined;
  const ctx: ContractContext = {
    storage(): Storage {
      if (fixture === undefined)
        throw new Error(`storage contract "${name}": setup has not run (or failed)`);
      return fixture.storage;
    },
    key: (test) => `${runPrefix}/${test}`,
    it: (test, body) => void withTimeout(harness.it)(test, async () => body(), timeoutMs),
    beforeAll: (body) => void withTimeout(harness.beforeAll)(async () => body(), timeoutMs),
    afterAll: (body) => void withTimeout(harness.afterAll)(async () => body(), timeoutMs),
    largeBytes: options.largeBytes ?? 12 * MiB + 4099,
    racers: options.racers ?? 16,
    overwrites: options.overwrites ?? 24,
    timeoutMs,
  };

  harness.describe(`storage contract: ${name}`, () => {
    ctx.beforeAll(async () => {
      fixture = await setup();
    });

    ctx.afterAll(async () => {
      if (fixture === undefined) return;
      try {
        const keys: string[] = [];
        for await (const entry of fixture.storage.list(`${runPrefix}/`)) {
          if (!("prefix" in entry)) keys.push(entry.key);
        }
        for (const key of keys) await fixture.storage.delete(key);
      } finally {
        await fixture.cleanup?.();
      }
    });

    ctx.it("describes itself", () => {
      const { scheme, capabilities } = ctx.storage();
      assert.equal(typeof scheme, "string");
      for (const flag of ["conditionalCreate", "conditionalUpdate", "rangeRead", "sync"] as const) {
        assert.equal(typeof capabilities[flag], "boolean", `capabilities.${flag}`);
      }
    });

    harness.describe("round trips", () => roundTripCases(ctx));
    harness.describe("list and delete", () => listDeleteCases(ctx));
    harness.describe("conditional writes", () => conditionalCases(ctx));
    harness.describe("atomicity", () => atomicityCases(ctx));
    harness.describe("abort signals", () => abortCases(ctx));
    harness.describe("sync twins", () => syncCases(ctx));
    harness.describe("local-file copies", () => fileCases(ctx));
  });
}

/** A framework function, called with the timeout jest and vitest take as their last argument. */
function withTimeout<A extends unknown[]>(
  register: (...args: A) => unknown,
): (...args: [...A, number]) => unknown {
  return register as unknown as (...args: [...A, number]) => unknown;
}

/** A harness missing a function would fail obscurely inside the framework; say what is missing. */
function checkHarness(harness: ContractHarness): void {
  const missing = (["describe", "it", "beforeAll", "afterAll"] as const).filter(
    (fn) => typeof (harness as unknown as Record<string, unknown> | undefined)?.[fn] !== "function",
  );
  if (missing.length > 0) {
    throw new TypeError(
      `describeStorageContract needs the test framework's ${missing.join(", ")}: pass { describe, it, beforeAll, afterAll } (node:test: beforeAll: before, afterAll: after)`,
    );
  }
}
