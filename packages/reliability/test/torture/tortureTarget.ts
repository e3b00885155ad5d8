/** What the torture run's children are told, and what a loader reports. */
import type { CrashTarget } from "../crash/crashTarget.js";

/** The config of a saver or loader child (on its command line; S3 credentials come from its environment). */
export interface TortureChildConfig {
  readonly target: CrashTarget;
  /** The checkpoint's key inside the storage. */
  readonly key: string;
  /** The saver's number (a loader's number, for loaders). */
  readonly saver: number;
  /** A local folder of the child's own. */
  readonly workDir: string;
  /** Savers stop once this file exists. */
  readonly stopFile: string;
  /** Loads a loader makes. */
  readonly loads: number;
}

/** What a loader child saw. */
export interface LoaderReport {
  loads: number;
  verified: number;
  formats: { bytes: number; file: number; dir: number };
  /** Loads that returned something no save wrote whole, or in another format. */
  torn: string[];
  /** Loads that threw (a healthy checkpoint being saved must never make a load throw). */
  errors: string[];
}
