import type { Options } from "tsup";

/**
 * The output options every build of ours shares, spread into each tsup config
 * (`{ ...nodeOutput, entry: … }`).
 */
export const nodeOutput = {
  // No source maps: dist is unminified and reads like the sources; maps would double the install.
  sourcemap: false,
  // The oldest Node the packages run on (engines: >=20.19).
  target: "node20",
  // Built-ins keep `node:` so that builtinModules() sees them (tsup would strip it first).
  removeNodeProtocol: false,
} as const satisfies Options;
