import { ContextVar } from "@flyte/context-core";
import { globalSlot } from "./globalSlot.js";
import { EMPTY_MAP } from "./validatedMerge.js";

/**
 * The custom context of scopes entered outside any task (in the driver: a script, a test, a
 * server handler). A variable of its own, beside the SDK Context, so that a run started inside
 * such a scope can take the values as its base. Pinned per process like context-core's root var.
 */
export const driverScopeVar: ContextVar<Readonly<Record<string, string>>> =
  (globalSlot().driverScope ??= new ContextVar<Readonly<Record<string, string>>>(
    "flyte.customContext.driver",
    {
      default: EMPTY_MAP,
    },
  ));
