/**
 * Whether this process's AsyncLocalStorage runs on AsyncContextFrame, from public facts only: the
 * Node version (the default from Node 24) and the flags that switch it (--no-async-context-frame
 * from Node 24, --experimental-async-context-frame on Node 22).
 */
export function expectsContextFrame(
  version: string = process.version,
  flags: readonly string[] = flagsOfThisProcess(),
): boolean {
  if (flags.includes("--no-async-context-frame")) return false;
  if (flags.includes("--experimental-async-context-frame")) return true;
  return Number(version.slice(1).split(".")[0]) >= 24;
}

/** The Node flags this process runs with: its command line and NODE_OPTIONS. */
export function flagsOfThisProcess(): string[] {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/).filter(Boolean)];
}
