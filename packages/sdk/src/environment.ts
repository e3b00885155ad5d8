/**
 * `new TaskEnvironment({ name })`: a named group of tasks sharing defaults, and the registry the
 * CLI and the entrypoint look tasks up in.
 */
import * as path from "node:path";

import { callerModule, toPath } from "./callerModule.js";
import { TaskDefinitionError } from "./errors.js";
import { invokeTask } from "./invokeTask.js";
import type { RetrySpec } from "./retry.js";
import { normalizeRetries } from "./retry.js";
import type { AnyTask, Isolation, ResolvedTaskOptions, TaskOf } from "./task.js";
import { makeTask } from "./task.js";

/** Options of a {@link TaskEnvironment}; `retries` and `isolation` are defaults for its tasks. */
export interface TaskEnvironmentOptions {
  /** Letters, digits, `_` and `-`, starting with a letter (as Flyte environment names). */
  readonly name: string;
  readonly retries?: RetrySpec;
  readonly isolation?: Isolation;
  readonly description?: string;
}

/** Options of `env.task(options, fn)`. */
export interface TaskOptions {
  /** The task's name. @default the function's name */
  readonly name?: string;
  /** `3`, or `{ count: 3, backoff: { base: 100, factor: 2, cap: 5_000 } }` (ms). @default the environment's, else 0 */
  readonly retries?: RetrySpec;
  /**
   * `"process"` runs each attempt in a child process, so a crash (`process.exit`, an uncaught
   * error, SIGKILL) is one failed attempt. The task must then be a module-level export.
   * @default the environment's, else "none"
   */
  readonly isolation?: Isolation;
  /** The file defining the task (a path or `import.meta.url`), for `isolation: "process"`. @default read from the call stack */
  readonly module?: string;
  readonly description?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => unknown;

const ENV_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const TASK_NAME = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
const ENV_KEYS = ["name", "retries", "isolation", "description"];
const TASK_KEYS = ["name", "retries", "isolation", "module", "description"];

/** A named group of tasks. */
export class TaskEnvironment {
  readonly name: string;
  readonly options: Readonly<TaskEnvironmentOptions>;
  readonly #tasks = new Map<string, AnyTask>();

  constructor(options: TaskEnvironmentOptions) {
    if (typeof options !== "object" || options === null) {
      throw new TaskDefinitionError("INVALID_ENVIRONMENT", "options", "TaskEnvironment needs options { name }");
    }
    checkKeys(options, ENV_KEYS, "INVALID_ENVIRONMENT", "TaskEnvironment");
    if (typeof options.name !== "string" || !ENV_NAME.test(options.name)) {
      throw new TaskDefinitionError(
        "INVALID_ENVIRONMENT",
        "name",
        `TaskEnvironment name must be letters, digits, "_" or "-", starting with a letter; got ${JSON.stringify(options.name)}`,
      );
    }
    normalizeRetries(options.retries, "retries");
    checkIsolation(options.isolation, "INVALID_ENVIRONMENT");
    this.name = options.name;
    this.options = Object.freeze({ ...options });
  }

  /** The tasks defined in this environment, by name. */
  get tasks(): ReadonlyMap<string, AnyTask> {
    return this.#tasks;
  }

  /** The task `name` of this environment, or `undefined`. */
  getTask(name: string): AnyTask | undefined {
    return this.#tasks.get(name);
  }

  /**
   * Defines a task: `env.task(async function train(n: number) {...})`,
   * `env.task({ retries: 3 }, fn)`, or curried, `env.task({ retries: 3 })(fn)`.
   * The task keeps the function's name and its parameter and return types.
   */
  // `F extends Function` rather than `(...args: A) => R`: a contextual signature would type an
  // unannotated parameter with a default (`y = 2`) as `unknown` instead of from its initializer.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  task<F extends Function>(fn: F): TaskOf<F>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  task<F extends Function>(options: TaskOptions, fn: F): TaskOf<F>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  task(options: TaskOptions): <F extends Function>(fn: F) => TaskOf<F>;
  task(a: TaskOptions | AnyFn, b?: AnyFn): AnyTask | ((fn: AnyFn) => AnyTask) {
    if (typeof a === "function") return this.#define({}, a, callerModule);
    if (b === undefined) {
      const options = a;
      this.#resolve(options, undefined, () => undefined); // refuse bad options now, not at the second call
      return (fn: AnyFn) => this.#define(options, fn, callerModule);
    }
    return this.#define(a, b, callerModule);
  }

  #define(options: TaskOptions, fn: AnyFn, findModule: () => string | undefined): AnyTask {
    if (typeof fn !== "function") {
      throw new TaskDefinitionError("INVALID_TASK", "fn", `env.task needs a function, got ${typeof fn}`);
    }
    const resolved = this.#resolve(options, fn, findModule);
    if (this.#tasks.has(resolved.name)) {
      throw new TaskDefinitionError(
        "INVALID_TASK",
        "name",
        `environment "${this.name}" already has a task named "${resolved.name}"; give one of them { name }`,
      );
    }
    const task = makeTask(fn, resolved, this, invokeTask);
    this.#tasks.set(resolved.name, task);
    return task;
  }

  #resolve(
    options: TaskOptions,
    fn: ((...args: never[]) => unknown) | undefined,
    findModule: () => string | undefined,
  ): ResolvedTaskOptions {
    if (typeof options !== "object" || options === null) {
      throw new TaskDefinitionError("INVALID_TASK", "options", `task options must be an object, got ${String(options)}`);
    }
    checkKeys(options, TASK_KEYS, "INVALID_TASK", "env.task");
    const name = options.name ?? fn?.name ?? "";
    if (fn !== undefined || options.name !== undefined) {
      if (typeof name !== "string" || !TASK_NAME.test(name)) {
        throw new TaskDefinitionError(
          "INVALID_TASK",
          "name",
          name === ""
            ? "a task needs a name: use a named function (async function train() {...}) or pass { name }"
            : `task name ${JSON.stringify(name)} must be an identifier (letters, digits, _, $, -)`,
        );
      }
    }
    // `null` is refused, not taken for "absent": it is a value someone wrote.
    const retries = normalizeRetries(options.retries !== undefined ? options.retries : this.options.retries, "retries");
    const isolation =
      checkIsolation(options.isolation !== undefined ? options.isolation : this.options.isolation, "INVALID_TASK") ?? "none";
    let module: string | undefined;
    if (options.module !== undefined) {
      module = typeof options.module === "string" ? toPath(options.module) : undefined;
      if (module === undefined) {
        throw new TaskDefinitionError(
          "INVALID_TASK",
          "module",
          `task module must be an absolute path or a file:// URL (import.meta.url), got ${JSON.stringify(options.module)}`,
        );
      }
    } else if (isolation === "process") {
      module = findModule();
    }
    if (module !== undefined) module = path.normalize(module);
    const description = options.description ?? undefined;
    return {
      name,
      retries,
      isolation,
      ...(module !== undefined && { module }),
      ...(description !== undefined && { description }),
    };
  }
}

function checkIsolation(value: unknown, code: "INVALID_ENVIRONMENT" | "INVALID_TASK"): Isolation | undefined {
  if (value === undefined || value === "none" || value === "process") return value;
  throw new TaskDefinitionError(code, "isolation", `isolation must be "none" or "process", got ${JSON.stringify(value)}`);
}

function checkKeys(
  obj: object,
  allowed: readonly string[],
  code: "INVALID_ENVIRONMENT" | "INVALID_TASK",
  where: string,
): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new TaskDefinitionError(code, key, `${where} has no option "${key}" (known: ${allowed.join(", ")})`);
    }
  }
}
