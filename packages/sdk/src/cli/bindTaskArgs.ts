import { EntrypointError } from "../entrypoint/EntrypointError.js";
import type { ParameterInfo } from "../task/parameterList.js";
import { parameterList } from "../task/parameterList.js";
import type { AnyTask } from "../task/task.js";
import { ValueInputError, valueFromText } from "../task/valueFromInput.js";
import { coerceValue } from "./coerceValue.js";
import type { TaskToken } from "./parseRunArgs.js";

/**
 * The call arguments for `task` from the command line's task arguments. `--n-iterations` and
 * `--nIterations` both name `nIterations`; bare values fill the inputs in order.
 *
 * - A task with declared inputs gets one object of named inputs, each value parsed by its
 *   declared type (`--n 007` is the integer 7; `--n abc` is refused, naming `--n`).
 * - An undeclared task gets positional arguments, each coerced by its parameter's default when
 *   it has one, else as JSON where it parses (see {@link coerceValue}).
 *
 * A refused value, an unknown name, a name given twice or too many values is an
 * {@link EntrypointError} with the usage exit code, naming what was wrong.
 */
export function bindTaskArgs(task: AnyTask, tokens: readonly TaskToken[]): unknown[] {
  try {
    return task.interface.declaredInputs
      ? bindDeclared(task, tokens)
      : bindPositional(parameterList(task.fn), tokens);
  } catch (error) {
    if (error instanceof ValueInputError)
      throw new EntrypointError(error.message, { source: error.input, cause: error });
    throw error;
  }
}

function bindDeclared(task: AnyTask, tokens: readonly TaskToken[]): unknown[] {
  const inputs = task.interface.inputs;
  const known = inputs.map((v) => `--${v.name}`).join(", ") || "(none)";
  const record: Record<string, unknown> = {};
  const given = new Set<string>();
  let nextPositional = 0;
  const extra: string[] = [];
  for (const t of tokens) {
    let input;
    if (t.kind === "named") {
      const want = camel(t.name);
      input = inputs.find((v) => v.name === want || v.name === t.name);
      if (input === undefined) {
        throw new EntrypointError(`unknown task input --${t.name}; the task takes ${known}`, {
          source: `--${t.name}`,
        });
      }
      if (given.has(input.name))
        throw new EntrypointError(`--${t.name} given twice`, { source: `--${t.name}` });
    } else {
      while (nextPositional < inputs.length && given.has(inputs[nextPositional]!.name))
        nextPositional++;
      input = inputs[nextPositional++];
      if (input === undefined) {
        extra.push(t.value);
        continue;
      }
    }
    given.add(input.name);
    const flag = `--${input.name}`;
    const raw = t.value;
    record[input.name] =
      raw === true
        ? input.type.kind === "boolean"
          ? true
          : valueFromText("", input.type, flag)
        : valueFromText(raw, input.type, flag);
  }
  if (extra.length > 0) throw tooMany(inputs.length, extra);
  return [record];
}

function bindPositional(params: readonly ParameterInfo[], tokens: readonly TaskToken[]): unknown[] {
  const named = params.filter((p) => p.name !== undefined && !p.rest);
  const args: unknown[] = [];
  const given = new Set<number>();
  const extra: string[] = [];
  let nextPositional = 0;
  for (const t of tokens) {
    if (t.kind === "named") {
      const want = camel(t.name);
      const index = params.findIndex((p) => p.name === want && !p.rest);
      if (index < 0) {
        const known = named.map((p) => `--${p.name}`).join(", ") || "(none found)";
        throw new EntrypointError(`unknown task parameter --${t.name}; the task takes ${known}`, {
          source: `--${t.name}`,
        });
      }
      if (given.has(index))
        throw new EntrypointError(`--${t.name} given twice`, { source: `--${t.name}` });
      given.add(index);
      args[index] = coerceValue(t.value, t.name, params[index]!.defaultText);
    } else {
      while (given.has(nextPositional)) nextPositional++;
      const p = params[nextPositional];
      if (p?.rest) {
        args.push(coerceValue(t.value, p.name ?? "rest"));
        continue;
      }
      if (p === undefined && params.length > 0 && !params.some((q) => q.rest)) {
        extra.push(t.value);
        continue;
      }
      given.add(nextPositional);
      args[nextPositional] = coerceValue(
        t.value,
        p?.name ?? `arg${nextPositional}`,
        p?.defaultText,
      );
      nextPositional++;
    }
  }
  if (extra.length > 0) throw tooMany(params.length, extra);
  // Fill holes explicitly so defaults apply and the array has no sparse slots.
  for (let i = 0; i < args.length; i++) if (!(i in args)) args[i] = undefined;
  return args;
}

function tooMany(takes: number, extra: readonly string[]): EntrypointError {
  const values = extra.map((e) => JSON.stringify(e)).join(", ");
  return new EntrypointError(
    `too many arguments: the task takes ${takes}; ${extra.length} extra value${extra.length === 1 ? "" : "s"}: ${values}`,
    { source: "<args>" },
  );
}

function camel(name: string): string {
  return name.replace(/-([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}
