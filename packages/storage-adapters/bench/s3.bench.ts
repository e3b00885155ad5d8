/**
 * S3 adapter vs the raw AWS SDK against radosgw, in the same run: put and get of 1 MiB and
 * 64 MiB (target ≥ 0.9× throughput). Uses the radosgw in S3_ENDPOINT / FLYTE_RGW_ENV_FILE /
 * `$TMPDIR/flyte-rgw/env`, else starts one with tooling/servers/rgw.sh and stops it at the end;
 * if none can start, prints why and skips.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { createS3Storage } from "@flyte/storage-adapters/s3";
import {
  createS3Bucket,
  deleteS3Bucket,
  rawS3Client,
  type S3TestOptions,
} from "@flyte/test-servers";
import type { Comparison } from "../../../tooling/bench/harness.js";
import { compare, printRows, printTable } from "../../../tooling/bench/harness.js";

const MiB = 1024 * 1024;
const root = join(import.meta.dirname, "..", "..", "..");

function readEnvFile(path: string | undefined): Record<string, string> | undefined {
  if (!path || !existsSync(path)) return undefined;
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) vars[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return vars;
}

function toOptions(vars: Record<string, string | undefined>): S3TestOptions | undefined {
  const { S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY } = vars;
  if (!S3_ENDPOINT || !AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) return undefined;
  return {
    endpoint: S3_ENDPOINT,
    region: vars.AWS_REGION || "us-east-1",
    credentials: { accessKeyId: AWS_ACCESS_KEY_ID, secretAccessKey: AWS_SECRET_ACCESS_KEY },
    forcePathStyle: true,
  };
}

let startedDir: string | undefined;
let options =
  toOptions(process.env) ??
  toOptions(readEnvFile(process.env.FLYTE_RGW_ENV_FILE) ?? {}) ??
  toOptions(readEnvFile(join(process.env.TMPDIR ?? tmpdir(), "flyte-rgw", "env")) ?? {});
if (!options) {
  startedDir = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), "flyte-rgw-bench-"));
  process.stderr.write("s3.bench: starting radosgw (tooling/servers/rgw.sh up)\n");
  const up = spawnSync("bash", [join(root, "tooling/servers/rgw.sh"), "up"], {
    env: { ...process.env, FLYTE_RGW_DIR: startedDir },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  options = up.status === 0 ? toOptions(readEnvFile(join(startedDir, "env")) ?? {}) : undefined;
}

function stopStarted(): void {
  if (!startedDir) return;
  spawnSync("bash", [join(root, "tooling/servers/rgw.sh"), "down"], {
    env: { ...process.env, FLYTE_RGW_DIR: startedDir },
    stdio: "ignore",
  });
  rmSync(startedDir, { recursive: true, force: true });
}

if (!options) {
  printRows(
    "S3 adapter vs raw AWS SDK (radosgw)",
    ["status"],
    [["SKIPPED: radosgw is not running and could not be started"]],
  );
  stopStarted();
} else {
  const o = options;
  const bucket = await createS3Bucket(o, "bench");
  const raw = rawS3Client(o);
  const storage = createS3Storage({ scheme: "s3", bucket, uri: `s3://${bucket}` }, o);
  const partSize = 8 * MiB;
  const queueSize = 4;
  try {
    const readAll = async (key: string): Promise<Uint8Array> => {
      const out = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return out.Body!.transformToByteArray();
    };
    const comparisons = (size: number): Comparison[] => {
      const bytes = new Uint8Array(size).fill(7);
      const label = `${size / MiB} MiB`;
      const rawKey = `raw/${label}`;
      const ourKey = `ours/${label}`;
      const rawPut =
        size <= partSize
          ? {
              name: "PutObject",
              fn: () =>
                raw.send(new PutObjectCommand({ Bucket: bucket, Key: rawKey, Body: bytes })),
            }
          : {
              name: `Upload (${partSize / MiB} MiB parts ×${queueSize})`,
              fn: () =>
                new Upload({
                  client: raw,
                  params: { Bucket: bucket, Key: rawKey, Body: bytes },
                  partSize,
                  queueSize,
                }).done(),
            };
      return [
        {
          name: `put ${label}`,
          target: "≥ 0.9×",
          kind: "throughput",
          baseline: rawPut,
          subject: { name: "put", fn: () => storage.put(ourKey, bytes) },
        },
        {
          name: `get ${label}`,
          target: "≥ 0.9×",
          kind: "throughput",
          baseline: { name: "GetObject+transformToByteArray", fn: () => readAll(rawKey) },
          subject: { name: "get", fn: () => storage.get(ourKey) },
        },
      ];
    };
    // Objects to read exist before the gets are timed.
    for (const size of [MiB, 64 * MiB]) {
      await raw.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `raw/${size / MiB} MiB`,
          Body: new Uint8Array(size),
        }),
      );
      await storage.put(`ours/${size / MiB} MiB`, new Uint8Array(size));
    }
    const small = await compare(comparisons(MiB), { time: 1500, iterations: 20 });
    const large = await compare(comparisons(64 * MiB), {
      time: 2000,
      iterations: 6,
      warmupTime: 500,
    });
    const results = [...small, ...large];
    printTable("S3 adapter vs raw AWS SDK (radosgw, same run)", results);
    printRows(
      "S3 throughput (radosgw on 127.0.0.1)",
      ["case", "raw SDK", "adapter"],
      results.map((r) => {
        const size = r.name.includes("64") ? 64 : 1;
        const mbps = (ns: number) => `${((size * 1e9) / ns).toFixed(0)} MiB/s`;
        return [r.name, mbps(r.baselineNs), mbps(r.subjectNs)];
      }),
    );
  } finally {
    await storage.close();
    raw.destroy();
    await deleteS3Bucket(o, bucket).catch(() => undefined);
    stopStarted();
  }
}
