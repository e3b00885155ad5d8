/**
 * Concurrent save/load torture: two saver processes write the same checkpoint key over and
 * over (bytes, a file and a directory in turn, `save()` and `saveSync()` alternating) while two
 * loader processes load it again and again (`load()` and `loadSync()` alternating, a fresh
 * Checkpoint each time, as a next attempt would), on the disk (processes sharing a folder) and
 * on S3 (radosgw). Every load must return one saved value whole, in the format it was saved
 * in, verified by the manifest; no load may throw and no save may fail.
 *
 * Default run: FLYTE_RELIABILITY_TORTURE_LOADS (500 per loader on disk, 100 on S3); the full run
 * makes 2,500 per loader on disk and 500 on S3 (6,000 loads in all).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Checkpoint } from "@flyte/checkpoint";
import { createS3Bucket, deleteS3Bucket, s3TestEnv } from "@flyte/test-utils";
import type { S3TestEnv } from "@flyte/test-utils";
import type { CrashTarget } from "./crash/crashTarget.js";
import { openTarget } from "./crash/crashTarget.js";
import { PACKAGE_DIR } from "./support/bundleChild.js";
import { SEED, scale } from "./support/suiteScale.js";
import { jsonBytes } from "./torture/tortureContent.js";
import type { LoaderReport, TortureChildConfig } from "./torture/tortureTarget.js";

const DISK_LOADS = scale("FLYTE_RELIABILITY_TORTURE_LOADS", 500, 2_500);
const S3_LOADS = scale("FLYTE_RELIABILITY_TORTURE_LOADS", 100, 500);

// The children run from the TypeScript sources (not an esbuild bundle like the crash loop's):
// the blocking calls on S3 start the storage's worker bridge, whose worker file a bundle lacks.
const saver = join(PACKAGE_DIR, "test", "torture", "tortureSaver.ts");
const loader = join(PACKAGE_DIR, "test", "torture", "tortureLoader.ts");
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "flyte-torture-"));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a child to its end and parses the JSON line it prints last. */
function runChild<T>(
  script: string,
  config: TortureChildConfig,
  env: NodeJS.ProcessEnv,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=@flyte/source", script, JSON.stringify(config)],
      {
        cwd: PACKAGE_DIR,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`child exited with ${code}:\n${err}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").at(-1)!) as T);
      } catch {
        reject(new Error(`child printed no answer:\n${out}\n${err}`));
      }
    });
  });
}

const childEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    ...extra,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env;
};

async function torture(
  name: string,
  target: CrashTarget,
  env: NodeJS.ProcessEnv,
  loads: number,
): Promise<void> {
  const key = `torture/${name}/checkpoint`;
  const dir = join(work, name);
  const stopFile = join(dir, "stop");
  // A first checkpoint, so that every load finds one.
  const storage = openTarget(target);
  {
    using first = new Checkpoint(key, undefined, { storage, tmpDir: work });
    await first.save(jsonBytes(9, 0));
  }
  await storage.close?.();
  const base = { target, key, stopFile, loads };
  const started = Date.now();
  const savers = [0, 1].map((i) =>
    runChild<{ saves: number; errors: string[] }>(
      saver,
      { ...base, saver: i, workDir: join(dir, `saver-${i}`) },
      env,
    ),
  );
  let reports: LoaderReport[];
  try {
    reports = await Promise.all(
      [0, 1].map((i) =>
        runChild<LoaderReport>(
          loader,
          { ...base, saver: i, workDir: join(dir, `loader-${i}`) },
          env,
        ),
      ),
    );
  } finally {
    writeFileSync(stopFile, "");
  }
  const saved = await Promise.all(savers);
  const seconds = (Date.now() - started) / 1000;
  const total = reports.reduce((n, r) => n + r.loads, 0);
  const sum = (f: (r: LoaderReport) => number): number => reports.reduce((n, r) => n + f(r), 0);
  console.log(
    `checkpoint torture on ${name} (seed ${SEED}): ${total} loads in ${seconds.toFixed(1)} s during ${saved.reduce((n, s) => n + s.saves, 0)} saves ` +
      `(2 savers, 2 loaders); loaded bytes ${sum((r) => r.formats.bytes)} / file ${sum((r) => r.formats.file)} / dir ${sum((r) => r.formats.dir)}, ` +
      `verified ${sum((r) => r.verified)}; torn ${sum((r) => r.torn.length)}, load errors ${sum((r) => r.errors.length)}, save errors ${saved.reduce((n, s) => n + s.errors.length, 0)}`,
  );
  expect(reports.flatMap((r) => r.torn)).toEqual([]);
  expect(reports.flatMap((r) => r.errors)).toEqual([]);
  expect(saved.flatMap((s) => s.errors)).toEqual([]);
  expect(total).toBe(2 * loads);
  expect(sum((r) => r.verified)).toBe(total);
  // The loads really ran during saves of every format.
  for (const f of ["bytes", "file", "dir"] as const)
    expect(sum((r) => r.formats[f])).toBeGreaterThan(0);
}

describe("checkpoint torture on disk (processes sharing a folder)", () => {
  it(
    `${2 * DISK_LOADS} loads during two savers' saves: 0 torn, 0 errors`,
    async () => {
      await torture(
        "disk",
        { adapter: "disk", root: join(work, "disk-root") },
        childEnv(),
        DISK_LOADS,
      );
    },
    60_000 + DISK_LOADS * 400,
  );
});

const s3: S3TestEnv = s3TestEnv();
const describeS3 = s3.available ? describe : describe.skip;

describeS3("checkpoint torture on S3 (radosgw)", () => {
  let bucket: string;
  beforeAll(async () => {
    if (s3.available) bucket = await createS3Bucket(s3.options, "torture");
  });
  afterAll(async () => {
    if (s3.available && bucket) await deleteS3Bucket(s3.options, bucket);
  });

  it(
    `${2 * S3_LOADS} loads during two savers' saves: 0 torn, 0 errors`,
    async () => {
      if (!s3.available) return;
      const o = s3.options;
      const env = childEnv({
        AWS_ENDPOINT_URL_S3: o.endpoint,
        AWS_ACCESS_KEY_ID: o.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: o.credentials.secretAccessKey,
        AWS_REGION: o.region,
      });
      // The parent's first save goes through the same variables.
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        await torture("s3", { adapter: "s3", bucket }, env, S3_LOADS);
      } finally {
        process.env = saved;
      }
    },
    60_000 + S3_LOADS * 1_500,
  );
});
