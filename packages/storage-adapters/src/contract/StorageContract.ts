import type { Storage } from "../Storage.js";

/** A test body as the contract hands it to the framework: always async. */
export type ContractTestBody = () => Promise<void>;

/**
 * The functions of the caller's test framework that the contract registers its cases with.
 * The contract asserts with `node:assert`, so it needs nothing else from the framework and
 * carries no runtime dependency on one:
 * - jest and vitest: `{ describe, it, beforeAll, afterAll }` (their globals, or imported);
 * - `node:test`: `{ describe, it, beforeAll: before, afterAll: after }`;
 * - mocha: `{ describe, it, beforeAll: before, afterAll: after }`.
 *
 * `it`, `beforeAll` and `afterAll` are called with the suite's timeout as one more argument,
 * as jest and vitest take it; frameworks that take options there or nothing (node:test,
 * mocha) ignore a number, and run the cases with their own timeouts.
 */
export interface ContractHarness {
  /** Groups cases; `describe.skip`, where the framework has it, reports a skipped suite. */
  readonly describe: ((name: string, body: () => void) => unknown) & {
    readonly skip?: (name: string, body: () => void) => unknown;
  };
  /** Registers one case. */
  readonly it: (name: string, body: ContractTestBody) => unknown;
  /** Runs once before the cases of the enclosing `describe`. */
  readonly beforeAll: (body: ContractTestBody) => unknown;
  /** Runs once after the cases of the enclosing `describe`. */
  readonly afterAll: (body: ContractTestBody) => unknown;
}

/** What a contract run gets from its fixture: a storage and how to release it. */
export interface StorageContractFixture {
  readonly storage: Storage;
  /** Stops servers, removes temp folders; called once after the suite. */
  readonly cleanup?: () => Promise<void> | void;
}

/** Knobs of `describeStorageContract`; the defaults are what the shared suite uses. */
export interface StorageContractOptions {
  /** When set, the suite is skipped and this reason is printed loudly (e.g. "radosgw not found"). */
  readonly skip?: string | undefined;
  /** Size of the large stream round trip; must cross a 5 MiB multipart boundary. @default 12 MiB + 4099 */
  readonly largeBytes?: number;
  /** Concurrent create-only racers. @default 16 */
  readonly racers?: number;
  /** Overwrites during the concurrent-reader check. @default 24 */
  readonly overwrites?: number;
  /** Per-test timeout in ms (servers are slower than disks). @default 60_000 */
  readonly timeoutMs?: number;
}

/** What each group of contract cases is given. */
export interface ContractContext {
  /** The storage under test (available once the suite's `beforeAll` ran). */
  storage(): Storage;
  /** A key unique to this run and `name`, so runs and tests never collide. */
  key(name: string): string;
  /** Registers a case with the suite's timeout. */
  it(name: string, body: () => Promise<void> | void): void;
  /** Registers set-up for the enclosing group. */
  beforeAll(body: () => Promise<void> | void): void;
  /** Registers tear-down for the enclosing group. */
  afterAll(body: () => Promise<void> | void): void;
  readonly largeBytes: number;
  readonly racers: number;
  readonly overwrites: number;
  readonly timeoutMs: number;
}
