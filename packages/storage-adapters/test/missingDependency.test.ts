/**
 * The optional peers (memfs for memory://, the AWS SDK for s3://, @azure/storage-blob for
 * abfs://) are not installed by a plain install. Using their scheme without them is a
 * MissingDependencyError that names what to install, with the supported range, in the
 * command of the user's package manager, and names the URI once.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { MissingDependencyError, StorageError } from "@flyte/storage-adapters";

import { detectPackageManager, installCommandFor } from "../src/internal/installCommand.js";
import { OPTIONAL_PEER_RANGES } from "../src/internal/optionalPeers.js";
import { printError, runIsolated } from "./support/runIsolated.js";

interface Thrown {
  name: string;
  code?: string;
  message: string;
  uri?: string;
  packages?: { name: string; range: string }[];
  installCommand?: string;
}

const npmAgent = { npm_config_user_agent: "npm/10.9.2 node/v22.23.5 linux x64 workspaces/false" };

/** How many times `needle` occurs in `text`. */
const count = (text: string, needle: string): number => text.split(needle).length - 1;

describe("MissingDependencyError", () => {
  it("memory:// without memfs installed: at resolve time, naming memfs and how to install it", () => {
    const out = runIsolated<Thrown>(
      `import { resolveStorage } from "@flyte/storage-adapters";
${printError(`Promise.resolve().then(() => resolveStorage("memory://scratch/a/b"))`)}`,
      { env: npmAgent },
    );
    expect(out).toMatchObject({
      name: "MissingDependencyError",
      code: "MISSING_DEPENDENCY",
      packages: [{ name: "memfs", range: "^4.80.1" }],
      installCommand: 'npm install "memfs@^4.80.1"',
    });
    expect(out.message).toContain('npm install "memfs@^4.80.1"');
    expect(count(out.message, "memory://scratch")).toBe(1);
  });

  it("s3:// without the AWS SDK: both packages with their ranges, the URI once", () => {
    const out = runIsolated<Thrown>(
      `import { resolveStorage } from "@flyte/storage-adapters";
const { storage, key } = resolveStorage("s3://bkt/runs/r1/ckpt", { endpoint: "http://127.0.0.1:9", env: {} });
${printError("storage.head(key)")}`,
      { env: { npm_config_user_agent: "pnpm/12.4.2 npm/? node/v22.23.5 linux x64" } },
    );
    expect(out).toMatchObject({
      name: "MissingDependencyError",
      code: "MISSING_DEPENDENCY",
      packages: [
        { name: "@aws-sdk/client-s3", range: "^3.700.0" },
        { name: "@aws-sdk/lib-storage", range: "^3.700.0" },
      ],
      installCommand: 'pnpm add "@aws-sdk/client-s3@^3.700.0" "@aws-sdk/lib-storage@^3.700.0"',
    });
    expect(count(out.message, "s3://bkt/runs/r1/ckpt")).toBe(1);
  });

  it("abfs:// without @azure/storage-blob: keeps the version pin, in yarn's words under yarn", () => {
    const out = runIsolated<Thrown>(
      `import { resolveStorage } from "@flyte/storage-adapters";
const { storage, key } = resolveStorage("abfs://ckpt@acct.dfs.core.windows.net/k", { endpoint: "http://127.0.0.1:9/acct", env: {} });
${printError("storage.head(key)")}`,
      { env: { npm_config_user_agent: "yarn/4.5.0 npm/? node/v22.23.5 linux x64" } },
    );
    expect(out).toMatchObject({
      name: "MissingDependencyError",
      packages: [{ name: "@azure/storage-blob", range: "~12.32.0" }],
      installCommand: 'yarn add "@azure/storage-blob@~12.32.0"',
    });
    expect(count(out.message, "abfs://ckpt@acct.dfs.core.windows.net/k")).toBe(1);
  });

  it("has a code of its own, the packages as data, and a detail without the URI", () => {
    const error = new MissingDependencyError(
      "s3://b/k",
      [{ name: "@aws-sdk/client-s3", range: "^3.700.0" }],
      { installCommand: 'npm install "@aws-sdk/client-s3@^3.700.0"' },
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(error.code).toBe("MISSING_DEPENDENCY");
    expect(error.packages).toEqual([{ name: "@aws-sdk/client-s3", range: "^3.700.0" }]);
    expect(error.message).toBe(
      's3:// needs @aws-sdk/client-s3, which is not installed: install it with `npm install "@aws-sdk/client-s3@^3.700.0"` (s3://b/k)',
    );
    expect(error.detail).not.toContain("s3://b/k");
    expect(error.message).toBe(`${error.detail} (s3://b/k)`);
  });

  it("offers exactly the ranges package.json declares for the optional peers", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as {
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    expect(OPTIONAL_PEER_RANGES).toEqual(pkg.peerDependencies);
    for (const name of Object.keys(pkg.peerDependencies)) {
      expect(pkg.peerDependenciesMeta[name]?.optional).toBe(true);
    }
  });
});

describe("the install command", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "flyte-pm-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("follows the package manager that started the process", () => {
    for (const [agent, manager] of [
      ["npm/10.9.2 node/v22.23.5 linux x64", "npm"],
      ["pnpm/12.4.2 npm/? node/v22.23.5 linux x64", "pnpm"],
      ["yarn/1.22.22 npm/? node/v20.20.2 linux x64", "yarn"],
      ["bun/1.2.0 npm/? node/v24.0.0 linux x64", "bun"],
    ] as const) {
      expect(detectPackageManager({ npm_config_user_agent: agent }, dir)).toBe(manager);
    }
  });

  it("else the lockfile in the working folder (or above it), else npm", () => {
    expect(detectPackageManager({}, dir)).toBe("npm");
    for (const [file, manager] of [
      ["package-lock.json", "npm"],
      ["bun.lockb", "bun"],
      ["yarn.lock", "yarn"],
      ["pnpm-lock.yaml", "pnpm"],
    ] as const) {
      writeFileSync(join(dir, file), "");
      expect(detectPackageManager({}, dir)).toBe(manager);
      expect(detectPackageManager({}, join(dir, "sub", "folder"))).toBe(manager);
      rmSync(join(dir, file));
    }
  });

  it("quotes ranges so no shell reads ^ or ~", () => {
    const packages = [
      { name: "@azure/storage-blob", range: "~12.32.0" },
      { name: "memfs", range: "" },
    ];
    expect(installCommandFor(packages, "npm")).toBe(
      'npm install "@azure/storage-blob@~12.32.0" memfs',
    );
    expect(installCommandFor(packages, "bun")).toBe('bun add "@azure/storage-blob@~12.32.0" memfs');
  });
});
