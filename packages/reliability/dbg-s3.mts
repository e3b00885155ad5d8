import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Checkpoint } from "@flyte/checkpoint";
import { createS3Storage } from "@flyte/storage-adapters/s3";
import { createS3Bucket, s3TestEnv } from "@flyte/test-utils";
import { fileBytes, formatOf, jsonBytes, writeTreeFor } from "./test/torture/tortureContent.ts";
const env = s3TestEnv(); if (!env.available) throw new Error("no s3");
const bucket = await createS3Bucket(env.options, "dbg");
const storage = createS3Storage({ scheme: "s3", bucket, uri: `s3://${bucket}` }, env.options);
const work = mkdtempSync(join(tmpdir(), "dbg-"));
const cp = new Checkpoint("k/cp", undefined, { storage, tmpDir: work });
for (let gen = 1; gen <= 12; gen++) {
  const f = formatOf(gen); let data: any;
  if (f === "bytes") data = jsonBytes(0, gen); else if (f === "file") { data = join(work, "s.bin"); writeFileSync(data, fileBytes(0, gen)); } else { data = join(work, "d"); writeTreeFor(data, 0, gen); }
  const t = performance.now();
  if (gen % 2 === 0) await cp.save(data); else cp.saveSync(data);
  console.log("save", gen, f, gen % 2 === 0 ? "async" : "sync", (performance.now() - t).toFixed(0), "ms");
  const r = new Checkpoint("k/next", "k/cp", { storage, tmpDir: work });
  const t2 = performance.now();
  const p = gen % 2 === 0 ? await r.load() : r.loadSync();
  console.log("  load", r.lastLoad?.format, r.lastLoad?.verified, (performance.now() - t2).toFixed(0), "ms");
  r.dispose();
}
cp.dispose(); await storage.close();
