import { EntrypointError } from "../entrypoint/EntrypointError.js";
import { coerceValue } from "./coerceValue.js";
import type { ParameterInfo } from "./parameterList.js";
import type { TaskToken } from "./parseRunArgs.js";

/**
 * Places the command line's task arguments at their parameters' positions, coerced (see
 * {@link coerceValue}). `--n-iterations` and `--nIterations` both name `nIterations`; positional
 * values fill the parameters in order; a parameter left out is passed as `undefined` so its
 * default applies. An unknown name, or one given twice, is refused naming the known parameters.
 */
export function bindTaskArgs(
  params: readonly ParameterInfo[],
  tokens: readonly TaskToken[],
): unknown[] {
  const named = params.filter((p) => p.name !== undefined && !p.rest);
  const args: unknown[] = [];
  const given = new Set<number>();
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
      if (given.has(index)) {
        throw new EntrypointError(`--${t.name} given twice`, { source: `--${t.name}` });
      }
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
        throw new EntrypointError(
          `too many arguments: the task takes ${params.length} (got ${JSON.stringify(t.value)} extra)`,
          { source: "<args>" },
        );
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
  // Fill holes explicitly so defaults apply and the array has no sparse slots.
  for (let i = 0; i < args.length; i++) if (!(i in args)) args[i] = undefined;
  return args;
}

function camel(name: string): string {
  return name.replace(/-([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}
