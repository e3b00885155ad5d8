/** Prints a banner nobody can miss in a test log: a suite is about to be skipped, and why. */
export function warnLoudly(lines: readonly string[]): void {
  const bar = "!".repeat(78);
  console.warn([bar, ...lines.map((l) => `!! ${l}`), bar].join("\n"));
}

/** True when running under CI, where a missing server is a failure rather than a skip. */
export function isCI(): boolean {
  return process.env.CI === "true" || process.env.CI === "1";
}
