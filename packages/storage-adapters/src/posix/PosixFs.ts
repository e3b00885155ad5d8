/**
 * The slice of Node's `fs` module the posix adapter uses. Both `node:fs` and memfs's `fs`
 * (`memfs().fs`) provide it, so one adapter serves the real disk and in-memory volumes alike.
 */

/** The stat fields the adapter reads. */
export interface PosixStats {
  readonly size: number;
  readonly ino: number;
  readonly mtimeMs: number;
  readonly mtime: Date;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/** A directory entry as `readdir(..., { withFileTypes: true })` returns it. */
export interface PosixDirent {
  readonly name: string | Uint8Array;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/** The `FileHandle` methods the adapter uses. */
export interface PosixFileHandle {
  read(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number | null,
  ): Promise<{ bytesRead: number }>;
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position?: number | null,
  ): Promise<{ bytesWritten: number }>;
  stat(): Promise<PosixStats>;
  sync(): Promise<void>;
  utimes(atime: number | Date, mtime: number | Date): Promise<void>;
  close(): Promise<void>;
}

/** `fs.promises`, as far as the adapter needs it. */
export interface PosixFsPromises {
  open(path: string, flags: string, mode?: number): Promise<PosixFileHandle>;
  stat(path: string): Promise<PosixStats>;
  realpath(path: string): Promise<string>;
  readdir(path: string, options: { withFileTypes: true }): Promise<PosixDirent[]>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, created: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

/** An `fs` module: its `promises` plus the synchronous calls the sync twins need. */
export interface PosixFs {
  readonly promises: PosixFsPromises;
  openSync(path: string, flags: string, mode?: number): number;
  closeSync(fd: number): void;
  readSync(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number | null,
  ): number;
  writeSync(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position?: number | null,
  ): number;
  fsyncSync(fd: number): void;
  fstatSync(fd: number): PosixStats;
  futimesSync(fd: number, atime: number | Date, mtime: number | Date): void;
  statSync(path: string): PosixStats;
  realpathSync(path: string): string;
  mkdirSync(path: string, options: { recursive: true }): unknown;
  renameSync(from: string, to: string): void;
  linkSync(existing: string, created: string): void;
  unlinkSync(path: string): void;
}
