import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const pkg = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as Record<
  string,
  unknown
>;

describe("@flyte/context-core packaging", () => {
  it("has no runtime dependencies at all", () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
    expect(pkg.optionalDependencies ?? {}).toEqual({});
  });

  it("imports nothing but its own files and node: builtins", () => {
    const dir = join(__dirname, "..", "src");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) =>
      f.endsWith(".ts"),
    );
    const offenders: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(dir, f), "utf8");
      for (const m of text.matchAll(/from\s+"([^"]+)"/g)) {
        const spec = m[1]!;
        if (!spec.startsWith(".") && !spec.startsWith("node:")) offenders.push(`${f}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("keeps node: imports out of the universal entry's files", () => {
    const dir = join(__dirname, "..", "src");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter(
      (f) => f.endsWith(".ts") && !["node.ts", "installNodeStorage.ts"].includes(f),
    );
    const offenders = files.filter((f) => /from\s+"node:/.test(readFileSync(join(dir, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});
