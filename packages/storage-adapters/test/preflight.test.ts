/**
 * preflightStorage(uri) tells, before a run starts, whether its storage can work: a URI whose
 * storage cannot (unknown scheme, bad names, a missing SDK) is a typed error at once, not at
 * the first checkpoint. Without `checkAccess` nothing goes over the network; with it, one
 * request reaches the real server (radosgw, Azurite).
 */
import * as fs from "node:fs";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  InvalidKeyError,
  MissingDependencyError,
  PermissionDeniedError,
  PosixStorage,
  preflightStorage,
  registerStorage,
  StorageConfigurationError,
  TransientError,
  unregisterStorage,
} from "@flyte/storage-adapters";
import type { Storage } from "@flyte/storage-adapters";
import {
  AZURITE_ACCOUNT,
  createS3Bucket,
  deleteS3Bucket,
  s3TestEnv,
  useAzurite,
} from "@flyte/test-servers";

import { MemoryStorageFixture } from "./fixtures/MemoryStorageFixture.js";
import { printError, runIsolated } from "./support/runIsolated.js";

/** Options that point the cloud adapters at a port nothing listens on: any request would fail. */
const nowhere = {
  s3: { endpoint: "http://127.0.0.1:9", region: "us-east-1", env: {} },
  azure: { endpoint: "http://127.0.0.1:9/acct", env: {} },
};

describe("preflightStorage, offline", () => {
  it("passes storages that can work, without reaching any server", async () => {
    await preflightStorage("memory://preflight/runs/r1");
    await preflightStorage(join(tmpdir(), "flyte-preflight-never-made", "x"));
    await preflightStorage("s3://my-bucket/flyte", { storageOptions: nowhere.s3 });
    await preflightStorage("abfs://ckpt@acct.dfs.core.windows.net/flyte", {
      storageOptions: nowhere.azure,
    });
  });

  it("refuses what cannot work with a typed error naming the fix", async () => {
    await expect(preflightStorage("gcsx://bucket/k")).rejects.toThrow(
      /no storage adapter for scheme "gcsx".*registerStorage/,
    );
    await expect(preflightStorage("file:///tmp/../etc/passwd")).rejects.toBeInstanceOf(
      InvalidKeyError,
    );
    await expect(preflightStorage("s3://")).rejects.toBeInstanceOf(StorageConfigurationError);
    // Azure's container rules: 3-63 lowercase letters, digits and single hyphens.
    for (const container of ["UPPER", "ab", "double--hyphen", "-leading"]) {
      const error = await preflightStorage(`abfs://${container}@acct.dfs.core.windows.net/k`, {
        storageOptions: nowhere.azure,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageConfigurationError);
      expect((error as Error).message).toContain(
        "3-63 lowercase letters, digits and single hyphens",
      );
    }
    // On AWS itself (no custom endpoint), bucket names follow AWS's rules.
    for (const bucket of ["Has_Upper", "a..b", "192.168.1.2", "xn--reserved"]) {
      await expect(
        preflightStorage(`s3://${bucket}/k`, { storageOptions: { region: "us-east-1", env: {} } }),
      ).rejects.toThrow(/is not valid on AWS/);
    }
    // Azure account names: 3-24 lowercase letters and digits (checked when the endpoint is Azure's).
    await expect(
      preflightStorage("abfs://ckpt/k", { storageOptions: { accountName: "Bad_Name", env: {} } }),
    ).rejects.toThrow(/account name "Bad_Name" is not valid/);
  });

  it("finds a missing SDK before anything runs", () => {
    const out = runIsolated<{ name: string; message: string }>(
      `import { preflightStorage } from "@flyte/storage-adapters";
${printError(`preflightStorage("s3://bkt/k", { storageOptions: { endpoint: "http://127.0.0.1:9", env: {} } })`)}`,
    );
    expect(out.name).toBe(MissingDependencyError.name);
    expect(out.message).toContain("@aws-sdk/client-s3");
  });

  it("asks a registered adapter's own preflight, and passes one that has none", async () => {
    const checked: unknown[] = [];
    registerStorage("pftest", () => ({
      ...MemoryStorageFixture.asyncOnly(),
      preflight: async (options) => void checked.push(options),
    }));
    registerStorage("pfplain", (): Storage => MemoryStorageFixture.asyncOnly());
    try {
      await preflightStorage("pftest://b/k", { checkAccess: true });
      expect(checked).toEqual([{ checkAccess: true }]);
      await preflightStorage("pfplain://b/k");
    } finally {
      unregisterStorage("pftest");
      unregisterStorage("pfplain");
    }
  });

  it("stops at once when its signal is aborted", async () => {
    const reason = new Error("run cancelled");
    await expect(
      preflightStorage("memory://preflight/k", { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
  });
});

describe("preflightStorage with checkAccess: local paths", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "flyte-preflight-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("passes a writable folder (existing or not yet made) and leaves nothing behind", async () => {
    await preflightStorage(`file://${dir}/runs/r1/ckpt`, { checkAccess: true });
    await preflightStorage("memory://preflight-access/k", { checkAccess: true });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses a root below a file", async () => {
    writeFileSync(join(dir, "a-file"), "x");
    const storage = new PosixStorage({ fs, root: join(dir, "a-file", "root") });
    await expect(storage.preflight({ checkAccess: true })).rejects.toBeInstanceOf(
      StorageConfigurationError,
    );
  });
});

const azurite = useAzurite();

describe("preflightStorage with checkAccess: Azure on Azurite", () => {
  let container: string;
  beforeAll(async () => {
    container = await azurite.createContainer("preflight");
  }, 60_000);
  afterAll(async () => {
    await azurite.deleteContainer(container);
  });
  const uri = (name: string) => `abfs://${name}@${AZURITE_ACCOUNT}.dfs.core.windows.net/runs/r1`;

  it("passes an existing container, refuses a missing one and a wrong key", async () => {
    const o = azurite.options();
    const storageOptions = { endpoint: o.endpoint, accountKey: o.accountKey, env: {} };
    await preflightStorage(uri(container), { checkAccess: true, storageOptions });
    // Offline it cannot know; with checkAccess it does.
    await preflightStorage(uri("no-such-container"), { storageOptions });
    const missing = await preflightStorage(uri("no-such-container"), {
      checkAccess: true,
      storageOptions,
    }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(StorageConfigurationError);
    expect((missing as Error).message).toMatch(/container "no-such-container" does not exist/);
    const wrongKey = Buffer.from("not the account key").toString("base64");
    await expect(
      preflightStorage(uri(container), {
        checkAccess: true,
        storageOptions: { ...storageOptions, accountKey: wrongKey },
      }),
    ).rejects.toBeInstanceOf(PermissionDeniedError);
  }, 60_000);

  it("reports a server it cannot reach as transient", async () => {
    await expect(
      preflightStorage(uri(container), {
        checkAccess: true,
        storageOptions: {
          ...nowhere.azure,
          accountKey: azurite.options().accountKey,
          maxAttempts: 1,
        },
      }),
    ).rejects.toBeInstanceOf(TransientError);
  }, 60_000);
});

const s3 = s3TestEnv();
const describeS3 = s3.available ? describe : describe.skip;

describeS3("preflightStorage with checkAccess: S3 on radosgw", () => {
  const options = s3.available ? s3.options : (undefined as never);
  let bucket: string;
  beforeAll(async () => {
    bucket = await createS3Bucket(options, "preflight");
  }, 60_000);
  afterAll(async () => {
    await deleteS3Bucket(options, bucket);
  });

  it("passes an existing bucket, refuses a missing one and unknown credentials", async () => {
    const storageOptions = { ...options, env: {} };
    await preflightStorage(`s3://${bucket}/runs/r1`, { checkAccess: true, storageOptions });
    const missing = await preflightStorage(`s3://${bucket}-missing/runs`, {
      checkAccess: true,
      storageOptions,
    }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(StorageConfigurationError);
    expect((missing as Error).message).toMatch(/bucket ".*-missing" does not exist/);
    await expect(
      preflightStorage(`s3://${bucket}/runs`, {
        checkAccess: true,
        storageOptions: {
          ...storageOptions,
          credentials: { accessKeyId: "nobody", secretAccessKey: "wrong" },
        },
      }),
    ).rejects.toBeInstanceOf(PermissionDeniedError);
  }, 60_000);
});
