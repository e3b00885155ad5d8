/**
 * A task's identity on the wire, settled at its first call: its name (fixed from then on), the
 * Python SDK's task hash over its full name, interface hash and code version, and the version
 * its cache key uses. Child action names and cache keys are built from it.
 */
import { pathToFileURL } from "node:url";

import { taskHash } from "@flyte/type-engine";

import type { AnyTask } from "../task/task.js";
import { adoptExportName, fixTaskName, taskNameIfKnown } from "../task/task.js";
import { listTasks } from "../task/findTask.js";

/** Who a task is, for hashes, names and messages. */
export interface TaskIdentity {
  readonly task: AnyTask;
  readonly name: string;
  /** `<environment>.<name>`: the task template's name. */
  readonly fullName: string;
  /** `task "name"`, for messages. */
  readonly label: string;
  /** The code version (`{ version }`, else a hash of the function's source). */
  readonly version: string;
  /** `base64(sha256("<fullName>-<interface hash>-<version>"))`, as the Python SDK computes it. */
  readonly taskHash: string;
  /** The version in the cache key: the cache's own `version`, else {@link version}. */
  readonly cacheVersion: string;
}

const identities = new WeakMap<AnyTask, TaskIdentity>();
const pending = new WeakMap<AnyTask, Promise<TaskIdentity>>();

/**
 * The task's identity, synchronously when its name is known (the usual case), else once its
 * export name is looked up in the module that defines it. Concurrent first calls share one
 * lookup and resume in call order, so child names stay deterministic.
 */
export function resolveIdentity(task: AnyTask): TaskIdentity | Promise<TaskIdentity> {
  const known = identities.get(task);
  if (known !== undefined) return known;
  if (taskNameIfKnown(task) !== undefined) return settle(task);
  let p = pending.get(task);
  if (p === undefined) {
    p = lookUpExportName(task).then(() => settle(task));
    pending.set(task, p);
  }
  return p;
}

function settle(task: AnyTask): TaskIdentity {
  const known = identities.get(task);
  if (known !== undefined) return known;
  const name = fixTaskName(task); // throws, saying how to name it, when there is no name
  const fullName = `${task.environment.name}.${name}`;
  const version = task.options.version ?? sourceHash(task.fn);
  const identity: TaskIdentity = Object.freeze({
    task,
    name,
    fullName,
    label: `task "${name}"`,
    version,
    taskHash: taskHash(fullName, task.interface.interfaceHash, version),
    cacheVersion: task.options.cache.version ?? version,
  });
  identities.set(task, identity);
  return identity;
}

/**
 * Finds the export that holds an unnamed task (an arrow function) in the module that defined
 * it. A module still evaluating — a script that calls its own task at the top level — cannot be
 * imported without waiting for itself: the lookup gives up at the next turn of the event loop
 * (an evaluated module's namespace arrives before that), and the task stays unnamed.
 */
async function lookUpExportName(task: AnyTask): Promise<void> {
  const module = task.options.module;
  if (module === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), 0);
  });
  const namespace = await Promise.race([
    import(pathToFileURL(module).href).catch(() => undefined) as Promise<object | undefined>,
    giveUp,
  ]);
  clearTimeout(timer);
  if (namespace === undefined) return;
  for (const [key, value] of listTasks(namespace)) if (value === task) adoptExportName(task, key);
}

function sourceHash(fn: (...args: never[]) => unknown): string {
  // `node:crypto` is loaded on first use, not at import: keeps import("@flyte/sdk") light.
  const { hash } = process.getBuiltinModule("node:crypto");
  return hash("sha256", Function.prototype.toString.call(fn), "hex").slice(0, 32);
}
