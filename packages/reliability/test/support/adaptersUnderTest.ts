/**
 * The real adapters the fault and secret suites run against: memory, disk, S3 on radosgw and
 * Azure on Azurite. Each opens a fresh bucket/container/folder and removes it afterwards.
 */
import * as fs from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PosixStorage, dropMemoryVolume, memoryVolume } from "@flyte/storage-adapters";
import type { Storage } from "@flyte/storage-adapters";
import { createAzureStorage } from "@flyte/storage-adapters/azure";
import { createS3Storage } from "@flyte/storage-adapters/s3";
import { createS3Bucket, deleteS3Bucket } from "@flyte/test-utils";
import type { AzuriteFixture, S3TestEnv } from "@flyte/test-utils";

/** An opened adapter and how to remove what it holds. */
export interface OpenedAdapter {
  readonly storage: Storage;
  cleanup(): Promise<void>;
}

/** One adapter of the matrix. */
export interface AdapterUnderTest {
  readonly name: string;
  /** Why it is skipped, when its server is missing. */
  readonly skip?: string;
  open(): Promise<OpenedAdapter>;
}

let volumes = 0;

/** The four adapters, given the S3 environment and the Azurite fixture of the test file. */
export function adaptersUnderTest(s3: S3TestEnv, azurite: AzuriteFixture): AdapterUnderTest[] {
  return [
    {
      name: "memory",
      async open() {
        const name = `reliability-${process.pid}-${++volumes}`;
        const storage = new PosixStorage({
          fs: memoryVolume(name),
          root: "/",
          scheme: "memory",
          baseUri: `memory://${name}/`,
          singleProcess: true,
        });
        return { storage, cleanup: async () => void dropMemoryVolume(name) };
      },
    },
    {
      name: "disk",
      async open() {
        const root = mkdtempSync(join(tmpdir(), "flyte-faults-disk-"));
        return {
          storage: new PosixStorage({ fs, root }),
          cleanup: async () => rmSync(root, { recursive: true, force: true }),
        };
      },
    },
    {
      name: "s3 (radosgw)",
      ...(s3.available ? {} : { skip: s3.reason }),
      async open() {
        if (!s3.available) throw new Error(s3.reason);
        const bucket = await createS3Bucket(s3.options, "faults");
        const storage = createS3Storage(
          { scheme: "s3", bucket, uri: `s3://${bucket}` },
          s3.options,
        );
        return {
          storage,
          cleanup: async () => {
            await storage.close();
            await deleteS3Bucket(s3.options, bucket);
          },
        };
      },
    },
    {
      name: "azure (azurite)",
      async open() {
        const o = azurite.options();
        const container = await azurite.createContainer("faults");
        const authority = `${container}@${o.accountName}.dfs.core.windows.net`;
        const storage = createAzureStorage(
          { scheme: "abfs", bucket: authority, uri: `abfs://${authority}` },
          { endpoint: o.endpoint, accountKey: o.accountKey },
        );
        return {
          storage,
          cleanup: async () => {
            await storage.close();
            await azurite.deleteContainer(container);
          },
        };
      },
    },
  ];
}
