import { randomBytes } from "node:crypto";

import type { ListEntry, Storage } from "@flyte/storage-adapters";

import type {
  ContractContext,
  StorageContractFixture,
  StorageContractOptions,
} from "./StorageContract.js";
import { atomicityCases } from "./cases/atomicityCases.js";
import { conditionalCases } from "./cases/conditionalCases.js";
import { fileCases } from "./cases/fileCases.js";
import { listDeleteCases } from "./cases/listDeleteCases.js";
import { roundTripCases } from "./cases/roundTripCases.js";
import { syncCases } from "./cases/syncCases.js";

const MiB = 1024 * 1024;

/**
 * The storage contract every adapter must pass, as a jest `describe` block. `setup` runs once
 * before the cases (start a server, make a temp folder) and its `cleanup` once after. Every
 * key the suite writes lives under a fresh random prefix, which is deleted at the end, so the
 * suite can share a bucket with other runs. With `options.skip` set, the suite is skipped
 * and the reason printed, for servers that are not installed locally.
 */
export function describeStorageContract(
  name: string,
  setup: () => Promise<StorageContractFixture> | StorageContractFixture,
  options: StorageContractOptions = {},
): void {
  if (options.skip !== undefined) {
    describe.skip(`storage contract: ${name} (SKIPPED: ${options.skip})`, () => {
      it("is skipped", () => undefined);
    });
    console.warn(`\n!!! storage contract "${name}" SKIPPED: ${options.skip}\n`);
    return;
  }
  const runPrefix = `contract-${randomBytes(6).toString("hex")}`;
  let fixture: StorageContractFixture | undefined;
  const ctx: ContractContext = {
    storage(): Storage {
      if (fixture === undefined)
        throw new Error(`storage contract "${name}": setup has not run (or failed)`);
      return fixture.storage;
    },
    key: (test) => `${runPrefix}/${test}`,
    largeBytes: options.largeBytes ?? 12 * MiB + 4099,
    racers: options.racers ?? 16,
    overwrites: options.overwrites ?? 24,
    timeoutMs: options.timeoutMs ?? 60_000,
  };

  describe(`storage contract: ${name}`, () => {
    beforeAll(async () => {
      fixture = await setup();
    }, ctx.timeoutMs);

    afterAll(async () => {
      if (fixture === undefined) return;
      try {
        const keys: string[] = [];
        for await (const entry of fixture.storage.list(`${runPrefix}/`)) {
          if (!("prefix" in entry))
            keys.push((entry as Exclude<ListEntry, { prefix: string }>).key);
        }
        for (const key of keys) await fixture.storage.delete(key);
      } finally {
        await fixture.cleanup?.();
      }
    }, ctx.timeoutMs);

    it("describes itself", () => {
      const { scheme, capabilities } = ctx.storage();
      expect(typeof scheme).toBe("string");
      for (const flag of ["conditionalCreate", "conditionalUpdate", "rangeRead", "sync"] as const) {
        expect(typeof capabilities[flag]).toBe("boolean");
      }
    });

    describe("round trips", () => roundTripCases(ctx));
    describe("list and delete", () => listDeleteCases(ctx));
    describe("conditional writes", () => conditionalCases(ctx));
    describe("atomicity", () => atomicityCases(ctx));
    describe("sync twins", () => syncCases(ctx));
    describe("local-file copies", () => fileCases(ctx));
  });
}
