import type { Stats } from "node:fs";
import { CheckpointInputError } from "./errors.js";

/** A local path `save` was given, after checking it. */
export type SaveInput =
  | { readonly kind: "file"; readonly path: string; readonly stats: Stats }
  | { readonly kind: "dir"; readonly path: string };

/** Checks the argument of `save` synchronously, before anything is written. */
export function checkSaveArgument(data: unknown): asserts data is Uint8Array | string {
  if (data instanceof Uint8Array) return;
  if (typeof data !== "string") {
    throw new CheckpointInputError(
      String(data),
      `save() takes bytes (a Uint8Array) or the path of a local file or directory, got ${data === null ? "null" : typeof data}`,
    );
  }
  if (data.trim() === "") throw new CheckpointInputError(data, "save() was given an empty path");
}

/** Classifies a stat result; throws {@link CheckpointInputError} for what cannot be saved. */
export function classifyPath(path: string, stats: Stats | undefined, cause?: unknown): SaveInput {
  if (!stats) {
    throw new CheckpointInputError(path, "checkpoint source path does not exist", { cause });
  }
  if (stats.isDirectory()) return { kind: "dir", path };
  if (stats.isFile()) return { kind: "file", path, stats };
  throw new CheckpointInputError(path, "checkpoint source must be a regular file or a directory");
}
