/** A module that exports no tasks. */
export const answer = 42;
