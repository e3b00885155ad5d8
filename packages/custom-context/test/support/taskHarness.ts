/**
 * A tiny stand-in for the SDK's task calls, built on context-core alone, as the SDK does it:
 * a child reads the custom context synchronously when it is called, then runs later (after a
 * tick) in a branch of its own with a TaskContext of its own.
 */
import {
  ActionID,
  RawDataPath,
  TaskContext,
  contextualRun,
  ctx,
  internalCtx,
} from "@flyte/context-core";
import type { TaskContextInit } from "@flyte/context-core";
import { getCustomContext } from "@flyte/custom-context";

/** A root task context, as a runner would build it. */
export function makeTaskContext(
  customContext: Readonly<Record<string, string>> = {},
  overrides: Partial<TaskContextInit> = {},
): TaskContext {
  return new TaskContext({
    action: new ActionID({ name: "a0", runName: "run1" }),
    version: "v1",
    rawDataPath: new RawDataPath("/tmp/raw"),
    outputPath: "/tmp/out/a0",
    runBaseDir: "/tmp/out",
    mode: "local",
    customContext,
    ...overrides,
  });
}

/** Runs `body` as a root task whose inherited custom context is `customContext`. */
export function runRootTask<R>(
  body: () => Promise<R>,
  customContext: Readonly<Record<string, string>> = {},
): Promise<R> {
  return internalCtx().replaceTaskContext(makeTaskContext(customContext)).run(body);
}

/**
 * Makes a "task": calling it inside a task snapshots `getCustomContext()` at once, then runs the
 * body after `hops` macrotask/microtask hops in its own branch and TaskContext.
 */
export function task<A extends unknown[], R>(
  body: (...args: A) => Promise<R> | R,
  hops: (...args: A) => number = () => 1,
): (...args: A) => Promise<R> {
  return (...args: A): Promise<R> => {
    const parent = ctx();
    if (parent === undefined) throw new Error("the harness only calls tasks inside a task");
    const snapshot = getCustomContext();
    const child = parent.replace({
      action: parent.action.newSubAction(),
      customContext: snapshot,
    });
    const n = hops(...args);
    return contextualRun(async () => {
      for (let i = 0; i < n; i++) {
        if (i % 2 === 0) await new Promise<void>((r) => setImmediate(r));
        else await Promise.resolve();
      }
      return internalCtx()
        .replaceTaskContext(child)
        .run(async () => body(...args));
    });
  };
}
