import { inspect } from "node:util";
import {
  AlreadyExistsError,
  NotFoundError,
  PermissionDeniedError,
  PreconditionFailedError,
  StorageConfigurationError,
} from "@flyte/storage-adapters";
import {
  createAzureStorage,
  parseAbfsUri,
  type AzureStorageOptions,
} from "@flyte/storage-adapters/azure";
import { patternBytes, patternStream, sha256 } from "@flyte/storage-adapters/contract";
import { useAzurite } from "@flyte/test-servers";

const MiB = 1024 * 1024;

describe("abfs URIs as Flyte writes them", () => {
  it("splits container, account and key of abfs:// and abfss://", () => {
    expect(parseAbfsUri("abfs://ckpt@myacct.dfs.core.windows.net/runs/a1/ckpt.tar.gz")).toEqual({
      scheme: "abfs",
      container: "ckpt",
      account: "myacct",
      host: "myacct.dfs.core.windows.net",
      key: "runs/a1/ckpt.tar.gz",
    });
    expect(parseAbfsUri("abfss://data-1@acct2.dfs.core.windows.net/x")).toMatchObject({
      scheme: "abfss",
      container: "data-1",
      account: "acct2",
      key: "x",
    });
    expect(parseAbfsUri("abfss://data@acct2.blob.core.windows.net/a%20b/c")).toMatchObject({
      account: "acct2",
      key: "a b/c",
    });
    expect(parseAbfsUri("abfs://data@acct.dfs.core.windows.net")).toMatchObject({ key: "" });
    expect(parseAbfsUri("abfs://data/only/path")).toMatchObject({
      container: "data",
      account: undefined,
      key: "only/path",
    });
  });

  it("refuses malformed URIs and container names with a configuration error naming the URI", () => {
    for (const bad of [
      "abfs://UPPER@acct.dfs.core.windows.net/k",
      "abfs://a@acct.dfs.core.windows.net/k",
      "abfs://ok--no@x/k",
      "not a uri",
      "abfs://data@/k",
    ]) {
      const error = (() => {
        try {
          parseAbfsUri(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(StorageConfigurationError);
      expect((error as StorageConfigurationError).uri).toBe(bad);
    }
  });

  it("takes the account from the location's authority, or from the URI when the registry passes only the container", () => {
    const full = createAzureStorage(
      {
        scheme: "abfss",
        bucket: "ckpt@myacct.dfs.core.windows.net",
        uri: "abfss://ckpt@myacct.dfs.core.windows.net",
      },
      { env: {} },
    );
    expect([full.container, full.accountName, full.endpoint]).toEqual([
      "ckpt",
      "myacct",
      "https://myacct.blob.core.windows.net",
    ]);
    const short = createAzureStorage(
      { scheme: "abfs", bucket: "ckpt", uri: "abfs://ckpt@other.dfs.core.windows.net" },
      { env: {} },
    );
    expect(short.accountName).toBe("other");
    const fromEnv = createAzureStorage(
      { scheme: "az", bucket: "ckpt", uri: "az://ckpt" },
      { env: { AZURE_STORAGE_ACCOUNT_NAME: "envacct" } },
    );
    expect(fromEnv.accountName).toBe("envacct");
  });

  it("refuses settings it cannot use, when the adapter is created", () => {
    const at = { scheme: "abfs", bucket: "ckpt", uri: "abfs://ckpt" };
    const bad: Array<[AzureStorageOptions, RegExp]> = [
      [{ env: {} }, /no Azure storage account/],
      [{ env: {}, accountName: "a1b", endpoint: "nope" }, /not a URL/],
      [
        { env: {}, accountName: "a1b", endpoint: "http://127.0.0.1:1/a?sig=x" },
        /must not carry credentials/,
      ],
      [{ env: {}, accountName: "a1b", connectionString: "garbage" }, /malformed/],
      [
        { env: {}, accountName: "a1b", connectionString: "AccountName=other;AccountKey=k" },
        /not "a1b"/,
      ],
      [{ env: {}, accountName: "a1b", blockSize: 0 }, /blockSize/],
    ];
    for (const [options, message] of bad) {
      expect(() => createAzureStorage(at, options)).toThrow(StorageConfigurationError);
      expect(() => createAzureStorage(at, options)).toThrow(message);
    }
    // The malformed-string message must not echo it (it would hold the key).
    expect(() =>
      createAzureStorage(at, { env: {}, connectionString: "AccountKey" + "=SECRETKEY;garbage" }),
    ).not.toThrow(/SECRETKEY/);
  });
});

// Outside the describe, so Azurite stops after the describe's own afterAll has cleaned up.
const azurite = useAzurite();

describe("Azure adapter on Azurite", () => {
  let container: string;
  const at = () => ({
    scheme: "abfs",
    bucket: `${container}@${azurite.options().accountName}.dfs.core.windows.net`,
    uri: `abfs://${container}@${azurite.options().accountName}.dfs.core.windows.net`,
  });

  beforeAll(async () => {
    container = await azurite.createContainer("adapter");
  });
  afterAll(async () => {
    await azurite.deleteContainer(container);
  });

  it("works from a connection string, and from AZURE_STORAGE_ENDPOINT + AZURE_STORAGE_ACCOUNT_KEY", async () => {
    const o = azurite.options();
    const viaConnectionString = createAzureStorage(at(), {
      env: {
        AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=${o.accountName};AccountKey=${o.accountKey};BlobEndpoint=${o.endpoint};`,
      },
    });
    await viaConnectionString.put("env/cs", "connection string");
    const viaVariables = createAzureStorage(at(), {
      env: { AZURE_STORAGE_ENDPOINT: o.endpoint, AZURE_STORAGE_ACCOUNT_KEY: o.accountKey },
    });
    expect(viaVariables.endpoint).toBe(o.endpoint);
    expect(Buffer.from(await viaVariables.get("env/cs")).toString()).toBe("connection string");
  });

  it("maps create-only to 409 AlreadyExists and a stale etag to 412 PreconditionFailed, for large staged uploads too", async () => {
    const s = createAzureStorage(at(), { ...azurite.options(), env: {}, blockSize: 4 * MiB });
    const key = "modes/large";
    const first = await s.put(key, "original");
    const big = patternStream(10 * MiB, 1);
    await expect(s.putStream(key, big.body, { mode: "create" })).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
    await expect(s.put(key, patternBytes(10 * MiB, 2), { mode: "create" })).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
    await s.put(key, "second");
    const stale = patternStream(10 * MiB, 3);
    await expect(
      s.putStream(key, stale.body, { mode: { ifMatch: first.etag! } }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(Buffer.from(await s.get(key)).toString()).toBe("second");
    const fresh = patternStream(10 * MiB, 4);
    await s.putStream("modes/fresh", fresh.body, { mode: "create" });
    expect(sha256(await s.get("modes/fresh"))).toBe(fresh.sha256());
  });

  it("a missing container is a configuration error, never 'not found'", async () => {
    const o = azurite.options();
    const s = createAzureStorage(
      {
        scheme: "abfs",
        bucket: `no-such-container@${o.accountName}.dfs.core.windows.net`,
        uri: "abfs://no-such-container",
      },
      { ...o, env: {} },
    );
    const attempts: Array<() => Promise<unknown>> = [
      () => s.head("k"),
      () => s.get("k"),
      () => s.put("k", "v"),
      async () => {
        for await (const entry of s.list("")) void entry;
      },
      () => s.delete("k"),
    ];
    for (const attempt of attempts) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageConfigurationError);
      expect(error).not.toBeInstanceOf(NotFoundError);
      expect((error as Error).message).toContain('container "no-such-container" does not exist');
    }
  });

  it("never puts the account key into an error, its cause, or a revived sync error", async () => {
    const o = azurite.options();
    const wrongKey = Buffer.from("definitely-not-the-key-0123456789").toString("base64");
    const s = createAzureStorage(at(), {
      endpoint: o.endpoint,
      accountKey: wrongKey,
      maxAttempts: 1,
      env: {},
    });
    const error = await s.put("secret/k", "v").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    let syncError: unknown;
    try {
      s.getSync("secret/k");
    } catch (e) {
      syncError = e;
    }
    expect(syncError).toBeInstanceOf(PermissionDeniedError);
    for (const e of [error, syncError]) {
      const everything = [
        String(e),
        (e as Error).stack,
        inspect(e, { depth: 20, showHidden: true }),
        JSON.stringify(e),
      ].join("\n");
      expect(everything).not.toContain(wrongKey);
      expect(everything).not.toContain(o.accountKey);
    }
    await s.close();
  });
});
