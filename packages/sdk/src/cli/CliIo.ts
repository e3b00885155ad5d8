/** Where the CLI writes: injectable so a test can run a command in-process and read its output. */
export interface CliIo {
  /** Results (machine-readable with `--json`). */
  out(text: string): void;
  /** Progress, diagnostics, errors. */
  err(text: string): void;
  /** Whether stderr is a terminal (colours, symbols). */
  readonly isTTY: boolean;
}

/** The process's own stdout and stderr. */
export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => void process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  get isTTY() {
    return process.stderr.isTTY === true;
  },
};
