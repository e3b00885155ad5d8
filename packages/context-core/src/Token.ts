import type { Frame } from "./internal/Frame.js";

/**
 * What {@link ContextVar.set} returns: the receipt `reset` needs to undo that one `set`.
 * Valid once, for the variable and the context branch that made it.
 */
export class Token<T> {
  /** @internal */
  used = false;

  /** @internal */
  constructor(
    /** The variable that was set. */
    readonly variable: object,
    /** @internal the branch the set happened in */
    readonly branch: Frame,
    /** The value before the set (`undefined` if the variable had none). */
    readonly oldValue: T | undefined,
    /** @internal whether the variable had a value of its own before the set */
    readonly hadValue: boolean,
  ) {}
}
