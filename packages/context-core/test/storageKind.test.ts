/**
 * Which storage the Node entry installs, per Node version and flag. The getStore() memo
 * (StampedAsyncStorage) is exact only on the async-hooks AsyncLocalStorage (Node 20 and 22 by
 * default, Node 24+ with --no-async-context-frame); on the AsyncContextFrame one (Node 24+ by
 * default, Node 22 with --experimental-async-context-frame) the plain AsyncLocalStorage must be
 * installed. The expectation is derived from public facts only (process.version, the flags), so
 * these tests check the internal detection against them, in this process and in child processes
 * started with each flag.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ContextVar, contextualRun } from "@flyte/context-core";
import { StampedAsyncStorage } from "../src/internal/StampedAsyncStorage.js";
import { expectsContextFrame } from "./support/contextFrame.js";

describe("the storage the Node entry installs", () => {
  it(`is the memo on async-hooks Node, the plain AsyncLocalStorage on AsyncContextFrame (${process.version})`, () => {
    const slot = (globalThis as Record<symbol, { storage: unknown; kind: string }>)[
      Symbol.for("@flyte/context-core/storage@1")
    ]!;
    expect(slot.kind).toBe("async-local-storage");
    const frame = expectsContextFrame();
    expect(slot.storage instanceof StampedAsyncStorage).toBe(!frame);
    if (!frame) expect((slot.storage as StampedAsyncStorage).verifying).toBe(true);
  });

  it("matches the expectation in child processes started with each AsyncContextFrame flag, and passes a verified workout there", () => {
    const entry = pathToFileURL(join(__dirname, "..", "src", "node.ts")).href;
    // A small workout of branches, scopes and awaits; with FLYTE_CONTEXT_VERIFY=1 every memo hit
    // is checked against the real store and a disagreement throws.
    const script = `
      import { ContextVar, contextualRun } from ${JSON.stringify(entry)};
      const slot = globalThis[Symbol.for("@flyte/context-core/storage@1")];
      const v = new ContextVar("v", { default: -1 });
      const ok = (await Promise.all(Array.from({ length: 200 }, (_, i) => contextualRun(async () => {
        v.set(i);
        await new Promise((r) => (i % 2 ? setImmediate(r) : queueMicrotask(r)));
        const scope = v.enter(i + 1000);
        try { await null; if (v.get() !== i + 1000) return false; } finally { scope.exit(); }
        await Promise.resolve();
        return v.get() === i;
      })))).every(Boolean);
      console.log(JSON.stringify({ stamped: slot.storage.constructor.name === "StampedAsyncStorage", ok }));
    `;
    const tried: string[] = [];
    for (const flags of [
      [],
      ["--no-async-context-frame"],
      ["--experimental-async-context-frame"],
    ]) {
      const child = spawnSync(
        process.execPath,
        [...flags, "--import", "tsx", "--input-type=module", "-e", script],
        {
          cwd: join(__dirname, ".."),
          encoding: "utf8",
          env: { ...process.env, FLYTE_CONTEXT_VERIFY: "1", NODE_OPTIONS: "" },
          timeout: 60_000,
        },
      );
      // A flag this Node does not know (Node 20 has none of them) is refused before any code runs.
      if (child.status !== 0 && /bad option/.test(child.stderr)) continue;
      expect(child.stderr).toBe("");
      expect(child.status).toBe(0);
      const report = JSON.parse(child.stdout.trim().split("\n").pop()!) as {
        stamped: boolean;
        ok: boolean;
      };
      expect(report).toEqual({ stamped: !expectsContextFrame(process.version, flags), ok: true });
      tried.push(flags.join(" ") || "(defaults)");
    }
    // The defaults always run; Node 22+ knows at least one of the two flags.
    expect(tried[0]).toBe("(defaults)");
    if (Number(process.version.slice(1).split(".")[0]) >= 22) expect(tried.length).toBe(2);
  }, 120_000);

  it("keeps values apart across concurrent branches whichever storage is installed", async () => {
    const v = new ContextVar<number>("kind.v", { default: -1 });
    const seen = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        contextualRun(async () => {
          v.set(i);
          await new Promise<void>((r) => setImmediate(r));
          return v.get() === i;
        }),
      ),
    );
    expect(seen.every(Boolean)).toBe(true);
  });
});
