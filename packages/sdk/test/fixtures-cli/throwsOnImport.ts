/** A module whose top level throws: loading it is exit code 3. */
export const nothing = 1;
throw new Error("this module refuses to load");
