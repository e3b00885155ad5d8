import type { CheckpointInspection } from "./inspectCheckpoint.js";

/** Renders an inspection for a terminal: one aligned field per line, then the file list. */
export function formatInspection(i: CheckpointInspection): string {
  const lines = [`checkpoint ${i.uri}`];
  if (!i.exists) {
    lines.push("  nothing stored here");
    if (i.below !== undefined && i.below.length > 0) {
      lines.push(`  objects below it (${i.below.length}${i.below.length >= 50 ? "+" : ""}):`);
      for (const k of i.below) lines.push(`    ${k}`);
    }
    return lines.join("\n");
  }
  const field = (name: string, value: string): void => {
    lines.push(`  ${name.padEnd(9)} ${value}`);
  };
  const what: Record<CheckpointInspection["format"], string> = {
    dir: "dir (a gzip tar of a directory",
    bytes: "bytes (stored raw",
    file: "file (stored raw",
    raw: "raw bytes or file (no manifest says which",
    unknown: "unknown (",
  };
  const restores =
    i.format === "dir" ? "load() restores the directory" : "load() returns a file named payload";
  field(
    "format",
    `${what[i.format]}; ${i.loadable ? restores : "load() refuses it, see problem"})`,
  );
  field("size", humanSize(i.size ?? 0));
  if (i.etag !== undefined) field("etag", i.etag);
  if (i.lastModified !== undefined) field("modified", i.lastModified);
  field("manifest", describeManifest(i));
  field(
    "verified",
    i.verified
      ? "yes: a manifest vouches for these exact bytes"
      : i.loadable
        ? "no (nothing vouches for the bytes; loaded as Python would)"
        : "no",
  );
  if (i.preview !== undefined) field("content", JSON.stringify(i.preview));
  if (i.problem !== undefined) field("problem", `${i.problemType ?? "error"}: ${i.problem}`);
  if (i.files !== undefined) {
    lines.push(`  files (${i.files.length}${i.loadable ? "" : ", up to the problem"}):`);
    const width = Math.min(60, Math.max(0, ...i.files.map((f) => f.path.length)));
    for (const f of i.files) {
      const detail =
        f.type === "file"
          ? humanSize(f.size)
          : f.linkname !== undefined
            ? `${f.type} -> ${f.linkname}`
            : f.type;
      lines.push(`    ${f.path.padEnd(width)}  ${detail}`);
    }
  }
  return lines.join("\n");
}

function describeManifest(i: CheckpointInspection): string {
  if (i.manifestStatus === "absent")
    return "none (written by the Python SDK, or by an older writer)";
  if (i.manifestStatus === "invalid") return "present but unreadable";
  const m = i.manifest ?? {};
  const parts: string[] = [];
  if (typeof m["crc32"] === "string") parts.push(`crc32 ${m["crc32"]}`);
  if (typeof m["sha256"] === "string") parts.push(`sha256 ${m["sha256"].slice(0, 12)}…`);
  if (typeof m["attempt"] === "number") parts.push(`attempt ${m["attempt"]}`);
  if (typeof m["createdAt"] === "string") parts.push(`saved ${m["createdAt"]}`);
  if (typeof m["writer"] === "string") parts.push(`by ${m["writer"]}`);
  const previous = Array.isArray(m["previous"]) ? m["previous"].length : 0;
  if (previous > 0) parts.push(`and ${previous} earlier version${previous === 1 ? "" : "s"}`);
  const status = {
    current: "current",
    mismatch: "vouches for other versions only (the object is damaged)",
    stale: "stale (describes an earlier object; ignored)",
  }[i.manifestStatus];
  return parts.length > 0 ? `${status}: ${parts.join(", ")}` : status;
}

/** `1.5 KiB (1,536 bytes)` */
export function humanSize(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const short = u === 0 ? `${bytes} B` : `${v.toFixed(1)} ${units[u]}`;
  return u === 0 ? short : `${short} (${bytes.toLocaleString("en-US")} bytes)`;
}
