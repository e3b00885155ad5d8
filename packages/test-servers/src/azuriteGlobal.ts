import { startAzurite, stopPid } from "./azurite.js";

/** The variables {@link azuriteGlobalSetup} publishes to the test workers. */
export const AZURITE_ENV = { endpoint: "AZURITE_BLOB_ENDPOINT", pid: "AZURITE_PID" } as const;

/**
 * For jest `globalSetup`: starts one Azurite for the whole run and publishes its endpoint in
 * `AZURITE_BLOB_ENDPOINT` (and its PID in `AZURITE_PID`), which the workers inherit.
 * A package wires it with a one-line file, e.g. `test/azurite.setup.ts`:
 * `export { azuriteGlobalSetup as default } from "@flyte/test-utils";`
 */
export async function azuriteGlobalSetup(): Promise<void> {
  if (process.env[AZURITE_ENV.endpoint]) return;
  const server = await startAzurite();
  process.env[AZURITE_ENV.endpoint] = server.endpoint;
  process.env[AZURITE_ENV.pid] = String(server.pid);
}

/** For jest `globalTeardown`: stops the Azurite {@link azuriteGlobalSetup} started, by its PID. */
export async function azuriteGlobalTeardown(): Promise<void> {
  const pid = Number(process.env[AZURITE_ENV.pid]);
  if (Number.isInteger(pid) && pid > 0) await stopPid(pid);
  delete process.env[AZURITE_ENV.pid];
  delete process.env[AZURITE_ENV.endpoint];
}
