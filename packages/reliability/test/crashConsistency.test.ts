/**
 * Crash consistency: a child saving checkpoints in a loop (file, directory, JSON) is SIGKILLed at
 * random moments, on disk and on S3 (radosgw). After every kill a fresh process resumes from the
 * checkpoint and must get the last acknowledged generation or the one in flight, byte for byte;
 * never a torn one, never an error a retry cannot get past.
 *
 * Default run: FLYTE_RELIABILITY_KILLS (4) kills per kind per adapter; the full run does 100.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createS3Bucket, deleteS3Bucket, s3TestEnv } from "@flyte/test-utils";
import type { S3TestEnv } from "@flyte/test-utils";
import type { CrashMode } from "./crash/crashContent.js";
import type { CrashTarget } from "./crash/crashTarget.js";
import { runCrashLoop } from "./crash/runCrashLoop.js";
import type { CrashLoopReport } from "./crash/runCrashLoop.js";
import { bundleChild } from "./support/bundleChild.js";
import { SEED, scale } from "./support/suiteScale.js";

const KILLS = scale("FLYTE_RELIABILITY_KILLS", 4, 100);
const MODES: readonly CrashMode[] = ["json", "file", "dir"];

let saver: string;
let loader: string;
let work: string;

beforeAll(async () => {
  [saver, loader] = await Promise.all([
    bundleChild("test/crash/saverChild.ts"),
    bundleChild("test/crash/loaderChild.ts"),
  ]);
  work = mkdtempSync(join(tmpdir(), "flyte-crash-"));
}, 60_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  for (const bundle of [saver, loader]) if (bundle) rmSync(bundle, { force: true });
});

function printReports(adapter: string, reports: readonly CrashLoopReport[]): void {
  const rows = reports.map(
    (r) =>
      `  ${adapter} ${r.mode.padEnd(4)}: ${r.kills} kills, ${r.saves} saves acknowledged, loaded acked ${r.loadedAcked} / in-flight ${r.loadedInFlight}, ` +
      `manifest-verified ${r.verified}, retried ${r.retried.length}, failures ${r.failures.length}`,
  );
  console.log(
    `crash consistency (seed ${SEED}):\n${rows.join("\n")}${reports
      .flatMap((r) => r.retried)
      .map((m) => `\n  retried: ${m}`)
      .join("")}`,
  );
}

async function crashAll(
  adapter: string,
  target: CrashTarget,
  env: NodeJS.ProcessEnv,
  maxDelayMs: number,
): Promise<void> {
  const reports = await Promise.all(
    MODES.map((mode, i) =>
      runCrashLoop({
        saver,
        loader,
        target,
        mode,
        key: `crash/${mode}/checkpoint`,
        workDir: join(work, adapter, mode),
        kills: KILLS,
        maxDelayMs,
        seed: SEED + i,
        env,
      }),
    ),
  );
  printReports(adapter, reports);
  for (const r of reports) {
    expect(r.failures).toEqual([]);
    expect(r.kills).toBe(KILLS);
    expect(r.loadedAcked + r.loadedInFlight).toBe(KILLS);
  }
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

describe("crash consistency on disk", () => {
  it(
    `holds over ${KILLS} SIGKILLs per kind (json, file, dir)`,
    async () => {
      const root = join(work, "disk-root");
      await crashAll("disk", { adapter: "disk", root }, childEnv(), 60);
      // What the kills left behind: temp files are hidden from list(), but they should not pile up.
      const leftovers = readdirSync(join(root, "crash"), { recursive: true }).filter((n) =>
        String(n).includes(".flyte-tmp."),
      );
      console.log(`disk: ${leftovers.length} temp file(s) left by ${KILLS * MODES.length} kills`);
    },
    60_000 + KILLS * 6_000,
  );
});

const s3: S3TestEnv = s3TestEnv();
const describeS3 = s3.available ? describe : describe.skip;

describeS3("crash consistency on S3 (radosgw)", () => {
  let bucket: string;
  beforeAll(async () => {
    if (s3.available) bucket = await createS3Bucket(s3.options, "crash");
  });
  afterAll(async () => {
    if (s3.available && bucket) await deleteS3Bucket(s3.options, bucket);
  });

  it(
    `holds over ${KILLS} SIGKILLs per kind (json, file, dir)`,
    async () => {
      if (!s3.available) return;
      const o = s3.options;
      const env = childEnv({
        AWS_ENDPOINT_URL_S3: o.endpoint,
        AWS_ACCESS_KEY_ID: o.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: o.credentials.secretAccessKey,
        AWS_REGION: o.region,
      });
      await crashAll("s3", { adapter: "s3", bucket }, env, 300);
    },
    60_000 + KILLS * 10_000,
  );
});
