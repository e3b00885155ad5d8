/**
 * Everything the entrypoint knows after reading its flags and environment, validated, before it
 * has read any inputs or loaded any user code.
 */
export interface EntrypointConfig {
  /** The module that defines the task (a path; `.ts` files load without a build). */
  readonly modulePath: string;
  /** The task's name, or the name of the export that holds it. */
  readonly taskName: string;
  readonly runName: string;
  readonly actionName: string;
  readonly project: string;
  readonly domain: string;
  readonly org: string;
  readonly runBaseDir: string;
  readonly attemptNumber: number;
  readonly version: string;
  readonly runStartTime: Date;
  readonly rawDataPath?: string;
  readonly checkpointPath?: string;
  readonly prevCheckpointPath?: string;
  readonly inputsUri?: string;
  readonly outputsPath?: string;
  /** The `--custom-context key=value` flags, parsed and checked (applied on top of the inputs' context). */
  readonly customContext?: Readonly<Record<string, string>>;
  /** The `--args` value, still JSON text. */
  readonly argsJson?: string;
}
