import { randomBytes } from "node:crypto";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type AzuriteServer } from "./azurite.js";
import { AZURITE_ENV } from "./azuriteGlobal.js";

/** Options for `createAzureStorage` that point at the test Azurite. */
export interface AzuriteOptions {
  readonly endpoint: string;
  readonly accountName: string;
  readonly accountKey: string;
}

/** The Azurite a test file uses, ready once its `beforeAll` has run. */
export interface AzuriteFixture {
  /** Adapter options for this Azurite (throws before `beforeAll` ran). */
  options(): AzuriteOptions;
  /** Creates a fresh container `<prefix>-<random>` and returns its name. */
  createContainer(prefix?: string): Promise<string>;
  /** Deletes a container and everything in it. */
  deleteContainer(name: string): Promise<void>;
}

/**
 * Gives a test file an Azurite: the one `azuriteGlobalSetup` published in `AZURITE_BLOB_ENDPOINT`,
 * or else one started in `beforeAll` on a free port and stopped by PID in `afterAll`.
 * Call it at the top level of a test file or inside a `describe`.
 */
export function useAzurite(): AzuriteFixture {
  let server: AzuriteServer | undefined;
  let endpoint: string | undefined;
  beforeAll(async () => {
    endpoint = process.env[AZURITE_ENV.endpoint];
    if (!endpoint) {
      server = await startAzurite();
      endpoint = server.endpoint;
    }
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    server = undefined;
  });
  const options = (): AzuriteOptions => {
    if (!endpoint) throw new Error("Azurite is not up yet: use the fixture inside tests or hooks");
    return { endpoint, accountName: AZURITE_ACCOUNT, accountKey: AZURITE_KEY };
  };
  const service = (): BlobServiceClient => {
    const o = options();
    return new BlobServiceClient(
      o.endpoint,
      new StorageSharedKeyCredential(o.accountName, o.accountKey),
    );
  };
  return {
    options,
    async createContainer(prefix = "test") {
      const name = `${prefix}-${randomBytes(5).toString("hex")}`.toLowerCase();
      await service().getContainerClient(name).create();
      return name;
    },
    async deleteContainer(name) {
      await service().getContainerClient(name).deleteIfExists();
    },
  };
}
