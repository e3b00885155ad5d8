// jest globalTeardown: stop the registry and remove the temporary folder (see globalSetup.mjs).
export default async function globalTeardown() {
  await globalThis.__flyteDocsCheckStop?.();
}
