/**
 * A read-only npm registry for the packed workspace packages, on 127.0.0.1 and a free port.
 *
 * A fresh project points the `@flyte` scope at it in its `.npmrc` (`@flyte:registry=<url>`),
 * which npm, pnpm and yarn classic all read; every other package still comes from the public
 * registry. So `npm i @flyte/sdk`, `pnpm add @flyte/sdk` and `yarn add @flyte/sdk` run verbatim,
 * resolve `@flyte/*` dependencies by their published ranges, and check the tarballs' integrity,
 * as they will against the real registry. (Overrides cannot do this: npm refuses an override of
 * a direct dependency and yarn classic applies no `file:` resolution before it asks the registry.)
 *
 * It serves the two requests clients make: the packument (`GET /@flyte%2fsdk`, any casing of the
 * escape, or `/@flyte/sdk`) and the tarball (`GET /-/<file>.tgz`). Anything else is a 404.
 */
import { createReadStream } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { basename } from "node:path";
import type { PackedPackage } from "./packWorkspace.js";

/** A running registry. */
export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** The `.npmrc` line that sends the `@flyte` scope here. */
  readonly npmrc: string;
  close(): Promise<void>;
}

/** Starts a registry serving `packages`; close it when done. */
export async function startLocalRegistry(
  packages: readonly PackedPackage[],
): Promise<LocalRegistry> {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const byFile = new Map(packages.map((p) => [basename(p.tarball), p]));
  let url = "";
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405).end();
      return;
    }
    if (path.startsWith("/-/")) {
      const pkg = byFile.get(path.slice(3));
      if (pkg === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/octet-stream" });
      createReadStream(pkg.tarball).pipe(res);
      return;
    }
    const pkg = byName.get(path.slice(1));
    if (pkg === undefined) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
      return;
    }
    const version = {
      ...pkg.manifest,
      _id: `${pkg.name}@${pkg.version}`,
      dist: {
        tarball: `${url}-/${basename(pkg.tarball)}`,
        shasum: pkg.shasum,
        integrity: pkg.integrity,
      },
    };
    const body = JSON.stringify({
      _id: pkg.name,
      name: pkg.name,
      "dist-tags": { latest: pkg.version },
      versions: { [pkg.version]: version },
      time: { [pkg.version]: new Date(0).toISOString() },
    });
    res.writeHead(200, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    npmrc: `@flyte:registry=${url}\n`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
