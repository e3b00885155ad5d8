/**
 * Exits once everything written to stdout and stderr has been handed to the OS. `process.exit`
 * right after a large write to a pipe drops what the pipe had not taken yet (a 200,000-character
 * result came out as 65,536 bytes); a write's callback runs only after the writes before it, so
 * exiting from the callbacks of two empty writes loses nothing. The exit stays explicit: a
 * storage client's idle sockets must not keep a finished command alive.
 */
export function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit(code);
  };
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.destroyed || !stream.writable) done();
    else stream.write("", done);
  }
}
