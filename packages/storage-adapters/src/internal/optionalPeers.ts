import type { MissingPackage } from "../errors.js";

/**
 * The optional peer dependencies, with the ranges `package.json` declares for them (a test
 * keeps the two equal): what a `MissingDependencyError` tells the user to install.
 */
const RANGES = {
  "@aws-sdk/client-s3": "^3.700.0",
  "@aws-sdk/lib-storage": "^3.700.0",
  "@azure/storage-blob": "~12.32.0",
  memfs: "^4.80.1",
} as const;

/** An optional peer of this package. */
export type OptionalPeer = keyof typeof RANGES;

/** The peers `names`, each with its supported range. */
export function optionalPeers(...names: OptionalPeer[]): MissingPackage[] {
  return names.map((name) => ({ name, range: RANGES[name] }));
}

/** Every optional peer and its range (for the test that compares them with `package.json`). */
export const OPTIONAL_PEER_RANGES: Readonly<Record<OptionalPeer, string>> = RANGES;
