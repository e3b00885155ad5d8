import { createHash } from "node:crypto";
import {
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

/** A stable description of a directory tree: path → "dir" | "file:<sha256>" | "link:<target>". */
export function describeTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      const st = lstatSync(path);
      if (st.isSymbolicLink()) out[rel] = `link:${readlinkSync(path)}`;
      else if (st.isDirectory()) {
        out[rel] = "dir";
        walk(path, rel);
      } else out[rel] = `file:${createHash("sha256").update(readFileSync(path)).digest("hex")}`;
    }
  };
  walk(root, "");
  return out;
}

/** Writes a tree with nested folders, an empty folder, binary and text files, a unicode name, a long name and an internal symlink. */
export function makeSampleTree(root: string): void {
  mkdirSync(join(root, "nested/deeper/deepest"), { recursive: true });
  mkdirSync(join(root, "empty-dir"), { recursive: true });
  writeFileSync(join(root, "index.txt"), "41");
  writeFileSync(join(root, "empty-file"), "");
  const binary = Buffer.alloc(70_000);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919) % 256;
  writeFileSync(join(root, "nested/weights.bin"), binary);
  writeFileSync(join(root, "nested/deeper/deepest/state.json"), JSON.stringify({ step: 3 }));
  writeFileSync(join(root, "nested/déjà-vu ✓.txt"), "unicode name");
  const longName = `${"long-directory-name-".repeat(4)}/${"very-long-file-name-".repeat(6)}.txt`;
  mkdirSync(join(root, "nested", longName, ".."), { recursive: true });
  writeFileSync(join(root, "nested", longName), "long name");
  symlinkSync("index.txt", join(root, "link-to-index"));
}
