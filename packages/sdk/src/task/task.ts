/**
 * A task: a function wrapped so that calling it runs an action (its own context, attempts,
 * checkpoint paths and custom context). Made by `env.task(...)`. This file knows nothing of the
 * runtime: what a call does is handed in by the environment.
 */
import { TaskDefinitionError } from "../errors.js";
import type { CachePolicy } from "./cachePolicy.js";
import type { RetryPolicy } from "./retry.js";
import type { TaskInterface } from "./taskInterface.js";
import type { TimeoutPolicy } from "./timeoutPolicy.js";

/** Where a task's attempts run: in this process (the default), or each in a child process. */
export type Isolation = "none" | "process";

/** What a task knows of the environment that defined it (the TaskEnvironment, seen from below). */
export interface TaskEnvironmentRef {
  readonly name: string;
}

/** A task's options after validation, with the environment's defaults applied. */
export interface ResolvedTaskOptions {
  /** The name given with `{ name }`, if any (see {@link Task.name} for the name in use). */
  readonly name?: string;
  readonly retries: RetryPolicy;
  readonly isolation: Isolation;
  readonly cache: CachePolicy;
  readonly timeout: TimeoutPolicy;
  /**
   * The file that defines the task (an absolute path): where the child process of an
   * `isolation: "process"` attempt imports it from, and where an unnamed task's export name is
   * looked up. Found from the call stack unless given.
   */
  readonly module?: string;
  readonly description?: string;
  /** The code version in the task's identity. @default a hash of the function's source */
  readonly version?: string;
}

const TASK_BRAND: unique symbol = Symbol.for("@flyte/sdk.task.v1") as never;

/**
 * A callable task: `await task(...args)`. Inside a running task the call runs as a child action;
 * outside any run it starts an implicit local run (exactly like `flyte.run(task, ...args)`).
 * Either way it resolves to the function's result, or rejects with a `TaskFailedError`.
 * `task.fn` is the bare function (no context, no retries), for unit tests.
 */
export interface Task<A extends unknown[] = never, R = unknown> {
  (...args: A): Promise<R>;
  /**
   * The task's name, its identity in child action names, hashes and lookups: `{ name }` when
   * given, else the name of the export that holds the task (once a loader has seen the module),
   * else the function's own name. Reading it on a task that has none throws a
   * `TaskDefinitionError` saying how to name it.
   */
  readonly name: string;
  /** `<environment>.<name>`, as the Python SDK names tasks (the task template's name). */
  readonly fullName: string;
  readonly options: ResolvedTaskOptions;
  /** The function the task wraps. */
  readonly fn: (...args: A) => R | PromiseLike<R>;
  /** Its inputs and outputs, typed for the wire (declared, or by the untyped rule). */
  readonly interface: TaskInterface;
  /** The environment that defined the task. */
  readonly environment: TaskEnvironmentRef;
  readonly [TASK_BRAND]: true;
}

/** The task `env.task(fn)` makes of a function type `F`: same parameters, the awaited result. */
export type TaskOf<F> = F extends (...args: infer A) => infer R ? Task<A, Awaited<R>> : never;

/** A task of any signature (for registries and lookups). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTask = Task<any[], unknown>;

/** Whether `value` is a task made by `env.task` (from any copy of this package). */
export function isTask(value: unknown): value is AnyTask {
  return typeof value === "function" && (value as { [TASK_BRAND]?: unknown })[TASK_BRAND] === true;
}

/** Where a task's name came from, strongest first. */
type NameSource = "option" | "export" | "function";

/** The naming state of one task: lazily settled, then fixed for the life of the process. */
interface NameState {
  name: string | undefined;
  source: NameSource | undefined;
  /** Set once the name was used as an identity (a call, a lookup): it can no longer change. */
  fixed: boolean;
}

/**
 * Where a task keeps its naming state: on the task itself, under a registry symbol, so that two
 * copies of this package (the ESM CLI running a CommonJS task file) read and settle one name.
 */
const NAME_STATE: unique symbol = Symbol.for("@flyte/sdk.task.name.v1") as never;

function stateOf(task: AnyTask): NameState | undefined {
  return (task as unknown as { [NAME_STATE]?: NameState })[NAME_STATE];
}

/**
 * Builds the callable. `call` is what invoking it does (the runtime's dispatch); it is passed in
 * so this file stays free of the runtime.
 */
export function makeTask<A extends unknown[], R>(
  fn: (...args: A) => R | PromiseLike<R>,
  options: ResolvedTaskOptions,
  taskInterface: TaskInterface,
  environment: TaskEnvironmentRef,
  call: (task: Task<A, R>, args: A) => Promise<R>,
): Task<A, R> {
  const task = function (this: unknown, ...args: A): Promise<R> {
    return call(task, args);
  } as Task<A, R>;
  const state: NameState =
    options.name !== undefined
      ? { name: options.name, source: "option", fixed: true }
      : TASK_NAME.test(fn.name)
        ? { name: fn.name, source: "function", fixed: false }
        : { name: undefined, source: undefined, fixed: false };
  Object.defineProperties(task, {
    [NAME_STATE]: { value: state },
    name: { get: () => nameOf(task as unknown as AnyTask), enumerable: false, configurable: true },
    fullName: {
      get: () => `${environment.name}.${nameOf(task as unknown as AnyTask)}`,
      enumerable: true,
    },
    options: { value: Object.freeze({ ...options }), enumerable: true },
    fn: { value: fn, enumerable: true },
    interface: { value: taskInterface, enumerable: true },
    environment: { value: environment, enumerable: true },
    [TASK_BRAND]: { value: true },
  });
  return Object.freeze(task);
}

/** The task's name, or undefined when it has none yet (never throws). */
export function taskNameIfKnown(task: AnyTask): string | undefined {
  return stateOf(task)?.name;
}

/**
 * Tells a task the name of the export that holds it: a loader (the CLI, the container
 * entrypoint, the isolation worker) calls this for every task a module exports, before it runs
 * anything. The export name beats the function's name, which a bundler may have changed
 * (`boom` → `boom2`); `{ name }` beats both. A name already used as an identity stays.
 */
export function adoptExportName(task: AnyTask, exportName: string): void {
  const state = stateOf(task);
  // The first export seen wins over aliases (`export { t as alias }`); `default` is no name.
  if (state === undefined || state.fixed || state.source === "option" || state.source === "export")
    return;
  if (exportName === "default") return;
  if (!TASK_NAME.test(exportName)) return;
  state.name = exportName;
  state.source = "export";
}

/**
 * Fixes the task's name as its identity (done at its first call): from now on it never changes.
 * Throws when the task has no name.
 */
export function fixTaskName(task: AnyTask): string {
  const name = nameOf(task);
  stateOf(task)!.fixed = true;
  return name;
}

/** Letters, digits, `_`, `$` and `-`, not starting with a digit or `-`. */
export const TASK_NAME = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

function nameOf(task: AnyTask): string {
  const state = stateOf(task);
  const name = state?.name;
  if (name !== undefined) return name;
  const where = task.options.module === undefined ? "" : ` (defined in ${task.options.module})`;
  throw new TaskDefinitionError(
    "INVALID_TASK",
    "name",
    `a task of environment "${task.environment.name}"${where} has no name: arrow functions have none. ` +
      `Give it one with env.task({ name: "myTask" }, ...), use a named function (async function myTask() {...}), ` +
      `or export it and run it through flyte run / flyte-task, which name it after its export`,
  );
}
