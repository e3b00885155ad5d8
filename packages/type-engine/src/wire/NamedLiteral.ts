import type { Literal } from "../proto/idl.js";

/** One input or output: its name and its literal (`flyteidl2.task.NamedLiteral`). */
export interface NamedLiteral {
  readonly name: string;
  readonly literal: Literal;
}
