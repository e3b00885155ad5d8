/**
 * flyte.init: where runs write. Default: the local disk under the project folder; memory:// for
 * tests; a Storage instance; bad options refused with a typed error when given.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  ConfigurationError,
  PosixStorage,
  TaskEnvironment,
  ctx,
  currentConfig,
  init,
  memoryVolume,
  resolveStorage,
  withRunContext,
} from "../src/index.js";

const env = new TaskEnvironment({ name: "init" });
const saves = env.task(async function saves(value: string) {
  await ctx()!.checkpoint!.saveJson(value);
  return ctx()!.checkpointPaths!.checkpointPath!;
});

describe("init", () => {
  let dir: string;
  const savedHome = process.env["FLYTE_HOME"];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "flyte-init-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    if (savedHome === undefined) delete process.env["FLYTE_HOME"];
    else process.env["FLYTE_HOME"] = savedHome;
  });

  it("defaults to the local disk under <cwd>/.flyte", () => {
    delete process.env["FLYTE_HOME"];
    init();
    expect(currentConfig().home).toBe(join(process.cwd(), ".flyte"));
    expect(currentConfig().rawDataPath).toBe(join(process.cwd(), ".flyte", "raw_data"));
  });

  it("takes the project folder from FLYTE_HOME or the home option, and writes there", async () => {
    process.env["FLYTE_HOME"] = join(dir, "from-env");
    init();
    expect(currentConfig().rawDataPath).toBe(join(dir, "from-env", "raw_data"));
    init({ home: join(dir, "from-option") });
    const uri = await withRunContext({ name: "disk-run" }).run(saves, "on disk");
    expect(uri).toBe(
      join(dir, "from-option", "raw_data", "disk-run", "a0", "0", "_flytecheckpoints"),
    );
    expect(existsSync(uri)).toBe(true);
  });

  it("makes a relative rawDataPath absolute", () => {
    init({ rawDataPath: "relative/raw" });
    expect(currentConfig().rawDataPath).toBe(join(process.cwd(), "relative", "raw"));
  });

  it("uses memory:// for tests", async () => {
    init({ rawDataPath: "memory://init-tests/base" });
    const uri = await withRunContext({ name: "mem" }).run(saves, "in memory");
    expect(uri).toBe("memory://init-tests/base/mem/a0/0/_flytecheckpoints");
    const { storage, key } = resolveStorage(uri);
    expect(key).toBe("base/mem/a0/0/_flytecheckpoints");
    expect(JSON.parse(new TextDecoder().decode(await storage.get(key)))).toBe("in memory");
  });

  it("uses a Storage instance, with paths as keys inside it", async () => {
    const volume = memoryVolume("init-instance");
    const storage = new PosixStorage({
      fs: volume,
      root: "/",
      scheme: "memory",
      singleProcess: true,
    });
    init({ storage, rawDataPath: "runs" });
    const key = await withRunContext({ name: "inst" }).run(saves, "via instance");
    expect(key).toBe("runs/inst/a0/0/_flytecheckpoints");
    expect(JSON.parse(new TextDecoder().decode(await storage.get(key)))).toBe("via instance");
  });

  it("lets withRunContext override the raw data path for one run", async () => {
    init({ rawDataPath: "memory://init-tests/default" });
    const uri = await withRunContext({
      name: "over",
      rawDataPath: "memory://init-tests/other",
    }).run(saves, "x");
    expect(uri).toBe("memory://init-tests/other/over/a0/0/_flytecheckpoints");
  });

  it.each([
    ["an unknown option", { rawDatapath: "x" }, "rawDatapath"],
    ["an empty raw data path", { rawDataPath: "" }, "rawDataPath"],
    ["a template raw data path", { rawDataPath: "{{.rawOutputDataPrefix}}" }, "rawDataPath"],
    ["an unknown scheme", { rawDataPath: "nosuch://bucket/x" }, "rawDataPath"],
    ["a URI without a bucket", { rawDataPath: "s3://" }, "rawDataPath"],
    ["a storage that is not one", { storage: { get: 1 } }, "storage"],
    ["an empty home", { home: " " }, "home"],
  ])(
    "refuses %s, naming the option, and keeps the configuration in force",
    (_label, options, option) => {
      init({ rawDataPath: "memory://init-tests/kept" });
      let error: unknown;
      try {
        init(options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).code).toBe("INVALID_INIT");
      expect((error as ConfigurationError).option).toBe(option);
      expect(currentConfig().rawDataPath).toBe("memory://init-tests/kept");
    },
  );

  it("accepts s3:// and abfs:// without loading their SDKs", () => {
    init({ rawDataPath: "s3://bucket/prefix" });
    expect(currentConfig().rawDataPath).toBe("s3://bucket/prefix");
    init({ rawDataPath: "abfs://container@account.dfs.core.windows.net/prefix" });
    expect(currentConfig().rawDataPath).toMatch(/^abfs:/);
  });

  it("refuses bad withRunContext options when they are given", () => {
    init({ rawDataPath: "memory://init-tests/x" });
    expect(() => withRunContext({ name: "bad/name" })).toThrow(ConfigurationError);
    expect(() => withRunContext({ rawDataPath: "nosuch://x/y" })).toThrow(ConfigurationError);
    expect(() => withRunContext({ onEvent: 3 as never })).toThrow(/onEvent/);
    expect(() => withRunContext({ nme: "x" } as never)).toThrow(/no option "nme"/);
  });
});

describe("a run with a chosen name", () => {
  it("refuses a name whose folder an earlier run left, so its checkpoints are never taken for this run's", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { TaskEnvironment, withRunContext, ctx } = await import("@flyte/sdk");
    const raw = mkdtempSync(join(tmpdir(), "flyte-run-exists-"));
    const env = new TaskEnvironment({ name: "run_exists" });
    const counter = env.task(async function counter() {
      const cp = ctx()!.checkpoint!;
      const before = (await cp.loadJson<number>()) ?? 0;
      await cp.saveJson(before + 1);
      return before + 1;
    });
    await expect(withRunContext({ name: "fixed", rawDataPath: raw }).run(counter)).resolves.toBe(1);
    await expect(
      withRunContext({ name: "fixed", rawDataPath: raw }).run(counter),
    ).rejects.toMatchObject({
      code: "RUN_EXISTS",
      option: "name",
      message: expect.stringContaining('a run named "fixed" already has data'),
    });
    await expect(withRunContext({ name: "fixed-2", rawDataPath: raw }).run(counter)).resolves.toBe(
      1,
    );
  });
});
