/**
 * Small value types of the context: who an action is, where its raw data goes, where its
 * checkpoints live. All immutable; all validated when made.
 */
import { ContextError } from "./errors.js";
import { internalSlot } from "./contextStorage.js";
import { normalizeTemplateValue } from "./normalizeTemplateValue.js";

/** Identifies one action (a task execution) of a run. */
export class ActionID {
  readonly name: string;
  readonly runName: string;
  readonly project?: string;
  readonly domain?: string;
  readonly org?: string;

  constructor(init: {
    name: string;
    runName?: string;
    project?: string;
    domain?: string;
    org?: string;
  }) {
    if (typeof init?.name !== "string" || init.name.length === 0) {
      throw new ContextError("INVALID_TASK_CONTEXT", "ActionID needs a non-empty name");
    }
    this.name = init.name;
    this.runName = init.runName ?? init.name;
    if (init.project !== undefined) this.project = init.project;
    if (init.domain !== undefined) this.domain = init.domain;
    if (init.org !== undefined) this.org = init.org;
    Object.freeze(this);
  }

  /** A new action with a random name, its own run. */
  static createRandom(): ActionID {
    const name = randomName();
    return new ActionID({ name, runName: name });
  }

  /** A child action of the same run (random name unless one is given). */
  newSubAction(name?: string): ActionID {
    return new ActionID({
      name: name ?? randomName(),
      runName: this.runName,
      ...(this.project !== undefined && { project: this.project }),
      ...(this.domain !== undefined && { domain: this.domain }),
      ...(this.org !== undefined && { org: this.org }),
    });
  }

  /** `{project}-{domain}-{runName}-{name}[-salt]`, as the Python SDK's `unique_id_str`. */
  uniqueIdString(salt?: string): string {
    const base = `${this.project ?? ""}-${this.domain ?? ""}-${this.runName}-${this.name}`;
    return salt === undefined ? base : `${base}-${salt}`;
  }

  toString(): string {
    return `${this.runName}/${this.name}`;
  }
}

/** Where raw data (offloaded values, checkpoints in local runs) is written. */
export class RawDataPath {
  readonly path: string;

  constructor(path: string) {
    if (typeof path !== "string" || path.trim().length === 0) {
      throw new ContextError(
        "INVALID_RAW_DATA_PATH",
        `a raw data path must be a non-empty string, got ${JSON.stringify(path)}`,
      );
    }
    this.path = path;
    Object.freeze(this);
  }

  /**
   * A raw data path on the local disk: the folder given, or a new temporary folder when none is
   * (Node only: the Node entry supplies the temporary folder).
   */
  static fromLocalFolder(folder?: string): RawDataPath {
    if (folder !== undefined) return new RawDataPath(folder);
    const make = internalSlot.makeTempDir;
    if (make === undefined) {
      throw new ContextError(
        "NO_TEMP_DIR",
        "RawDataPath.fromLocalFolder() without a folder needs the Node entry of @flyte/context-core",
      );
    }
    return new RawDataPath(make("flyte-raw-"));
  }
}

/**
 * The platform-supplied checkpoint locations of one attempt: where the previous attempt's
 * checkpoint is (`prevCheckpointPath`) and where this attempt writes (`checkpointPath`).
 * Empty strings, `'""'` and unsubstituted `{{...}}` templates mean "absent".
 */
export class CheckpointPaths {
  readonly prevCheckpointPath?: string;
  readonly checkpointPath?: string;

  constructor(init: { prevCheckpointPath?: string | null; checkpointPath?: string | null } = {}) {
    const prev = normalizeTemplateValue(init.prevCheckpointPath);
    const dest = normalizeTemplateValue(init.checkpointPath);
    if (prev !== undefined) this.prevCheckpointPath = prev;
    if (dest !== undefined) this.checkpointPath = dest;
    Object.freeze(this);
  }
}

/** The group (`flyte.group(name)`) a task runs in. */
export class GroupData {
  readonly name: string;

  constructor(name: string) {
    if (typeof name !== "string" || name.length === 0) {
      throw new ContextError("INVALID_TASK_CONTEXT", "GroupData needs a non-empty name");
    }
    this.name = name;
    Object.freeze(this);
  }
}

function randomName(): string {
  // Lower-case letters and digits, starting with a letter, like Flyte's generated run names.
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  let out = "r";
  for (const b of bytes) out += (b % 36).toString(36);
  return out;
}
