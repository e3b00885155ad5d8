import { createAzureStorage } from "@flyte/storage-adapters/azure";
import { describeStorageContract } from "@flyte/storage-adapters/contract";
import { useAzurite } from "@flyte/test-servers";

// Azurite from the devDependency, started on a free port for this file and stopped by PID.
const azurite = useAzurite();

describeStorageContract(
  "azure on azurite",
  async () => {
    const o = azurite.options();
    const container = await azurite.createContainer("contract");
    const uri = `abfs://${container}@${o.accountName}.dfs.core.windows.net`;
    const storage = createAzureStorage(
      { scheme: "abfs", bucket: `${container}@${o.accountName}.dfs.core.windows.net`, uri },
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
  { describe, it, beforeAll, afterAll },
);
