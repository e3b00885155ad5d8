import type { Storage } from "@flyte/storage-adapters";

/** What a contract run gets from its fixture: a storage and how to release it. */
export interface StorageContractFixture {
  readonly storage: Storage;
  /** Stops servers, removes temp folders; called once after the suite. */
  readonly cleanup?: () => Promise<void> | void;
}

/** Knobs of {@link describeStorageContract}; the defaults are what the issue asks for. */
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
  readonly largeBytes: number;
  readonly racers: number;
  readonly overwrites: number;
  readonly timeoutMs: number;
}
