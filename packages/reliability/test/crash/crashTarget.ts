/**
 * Where the crash loop's children save and load: a disk folder or an S3 bucket. The config goes
 * on the command line; S3 credentials never do (argv is visible to every user through `ps`):
 * the children read them from the AWS variables of their environment.
 */
import * as fs from "node:fs";
import { PosixStorage } from "@flyte/storage-adapters";
import type { Storage } from "@flyte/storage-adapters";
import { createS3Storage } from "@flyte/storage-adapters/s3";
import type { CrashMode } from "./crashContent.js";

/** The storage the children use. */
export type CrashTarget =
  | { readonly adapter: "disk"; readonly root: string }
  | { readonly adapter: "s3"; readonly bucket: string };

/** What a child is told. */
export interface CrashChildConfig {
  readonly target: CrashTarget;
  readonly mode: CrashMode;
  /** The checkpoint's key inside the storage. */
  readonly key: string;
  /** A local folder of the child's own: source files, the checkpoint workspace. */
  readonly workDir: string;
  /** The saver saves `startGen + 1`, `startGen + 2`, … */
  readonly startGen: number;
}

/** Opens the target's storage (the S3 adapter reads AWS_* from the environment). */
export function openTarget(target: CrashTarget): Storage {
  if (target.adapter === "disk") return new PosixStorage({ fs, root: target.root });
  return createS3Storage({ scheme: "s3", bucket: target.bucket, uri: `s3://${target.bucket}` });
}

/** A one-line JSON answer of the loader child. */
export type LoaderAnswer =
  | {
      readonly ok: true;
      readonly found: true;
      readonly digest: string;
      readonly verified: boolean;
      readonly format: string;
    }
  | { readonly ok: true; readonly found: false }
  | { readonly ok: false; readonly name: string; readonly message: string };
