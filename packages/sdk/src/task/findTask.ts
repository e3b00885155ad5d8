/**
 * Looking tasks up in an imported module, for the CLI, the container entrypoint and the process
 * isolation worker: `findTask(await import(file), "useCheckpoint")`.
 */
import { TaskNotFoundError } from "../errors.js";
import type { AnyTask } from "./task.js";
import { adoptExportName, isTask, taskNameIfKnown } from "./task.js";

/**
 * Every task a module exports, by export name (a default export is listed as `default`). Each
 * task without a `{ name }` takes its export name as its name (see `Task.name`), so a task keeps
 * the name it is exported under even when a bundler renamed its function.
 */
export function listTasks(moduleNamespace: object): Map<string, AnyTask> {
  const found = new Map<string, AnyTask>();
  for (const [key, value] of Object.entries(moduleNamespace)) {
    if (isTask(value)) {
      adoptExportName(value, key);
      found.set(key, value);
    }
  }
  return found;
}

/**
 * The task `name` of a module: the export of that name if it is a task, else the one exported
 * task whose `name` or `fullName` is `name`. Throws {@link TaskNotFoundError} listing what the
 * module has, or when two exported tasks share the name.
 */
export function findTask(moduleNamespace: object, name: string): AnyTask {
  if (moduleNamespace === null || typeof moduleNamespace !== "object") {
    throw new TaskNotFoundError(
      `findTask needs an imported module namespace, got ${String(moduleNamespace)}`,
    );
  }
  const tasks = listTasks(moduleNamespace);
  const byKey = tasks.get(name);
  if (byKey !== undefined) return byKey;
  const matches = [
    ...new Set(
      [...tasks.values()].filter(
        (t) => nameOrUndefined(t) === name || fullNameOrUndefined(t) === name,
      ),
    ),
  ];
  if (matches.length === 1) return matches[0]!;
  const known = [...tasks.keys()].sort();
  if (matches.length > 1) {
    throw new TaskNotFoundError(
      `the module exports ${matches.length} tasks named "${name}"; use the export name (${known.join(", ")})`,
    );
  }
  throw new TaskNotFoundError(
    known.length === 0
      ? `no task "${name}": the module exports no tasks (tasks must be module-level exports: export const t = env.task(...))`
      : `no task "${name}" in the module; it exports: ${known.join(", ")}`,
  );
}

/** The export name under which a module exports exactly this task object, if any. */
export function exportNameOf(moduleNamespace: object, task: AnyTask): string | undefined {
  for (const [key, value] of Object.entries(moduleNamespace)) {
    if (value === task) return key;
  }
  return undefined;
}

function nameOrUndefined(task: AnyTask): string | undefined {
  return taskNameIfKnown(task);
}

function fullNameOrUndefined(task: AnyTask): string | undefined {
  const name = taskNameIfKnown(task);
  return name === undefined ? undefined : `${task.environment.name}.${name}`;
}
