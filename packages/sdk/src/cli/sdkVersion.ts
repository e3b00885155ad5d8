import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

import { ownDirectory } from "../task/callerModule.js";

let cached: string | undefined;

/**
 * This package's version, from its package.json: found above this file's directory (`dist/` in
 * the published package, `src/task/` in the workspace), so it needs no build step to stay right.
 */
export function sdkVersion(): string {
  if (cached !== undefined) return cached;
  let dir = ownDirectory();
  for (let i = 0; dir !== undefined && i < 4; i++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "@flyte/sdk" && typeof pkg.version === "string")
        return (cached = pkg.version);
    } catch {
      // not here: look one folder up
    }
  }
  return (cached = "unknown");
}
