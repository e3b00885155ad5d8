/**
 * The parent side of the crash loop: start a saver, let it complete at least one save, SIGKILL it
 * after a random delay, then resume in a fresh loader process and check that what loads is
 * byte-identical to the last acknowledged generation or the one in flight, and nothing else.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { seededRandom } from "@flyte/test-utils";
import { expectedDigest } from "./crashContent.js";
import type { CrashMode } from "./crashContent.js";
import type { CrashChildConfig, CrashTarget, LoaderAnswer } from "./crashTarget.js";

/** How one crash loop is run. */
export interface CrashLoopOptions {
  readonly saver: string;
  readonly loader: string;
  readonly target: CrashTarget;
  readonly mode: CrashMode;
  readonly key: string;
  readonly workDir: string;
  readonly kills: number;
  /** The kill lands this long (uniform in [0, max]) after the first acknowledged save. */
  readonly maxDelayMs: number;
  readonly seed: number;
  /** Environment of the children (the AWS variables for S3). */
  readonly env: NodeJS.ProcessEnv;
}

/** What a crash loop saw. */
export interface CrashLoopReport {
  readonly mode: CrashMode;
  kills: number;
  /** Loads that returned the last acknowledged generation. */
  loadedAcked: number;
  /** Loads that returned the generation in flight at the kill (its save had completed unseen). */
  loadedInFlight: number;
  /** Loads a current manifest verified (size + sha256). */
  verified: number;
  /** Load errors a retry got past (each message). */
  retried: string[];
  /** Anything that broke the rule, with the kill number and the seed. */
  failures: string[];
  /** Generations saved in all (acknowledged). */
  saves: number;
}

interface Killed {
  lastAck: number;
  acks: number;
}

function runSaver(
  options: CrashLoopOptions,
  config: CrashChildConfig,
  delayMs: number,
): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.saver, JSON.stringify(config)], {
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let lastAck = config.startGen;
    let acks = 0;
    let stderr = "";
    let buffered = "";
    let timer: NodeJS.Timeout | undefined;
    const watchdog = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the saver acknowledged no save within 60 s:\n${stderr}`));
    }, 60_000);
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      buffered += d;
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const m = /^saved (\d+)$/.exec(line);
        if (!m) continue;
        lastAck = Number(m[1]);
        acks++;
        if (timer === undefined) {
          clearTimeout(watchdog);
          // Killed by its PID: only this child, never anything matched by name.
          timer = setTimeout(() => child.kill("SIGKILL"), delayMs);
        }
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(watchdog);
      if (timer !== undefined) clearTimeout(timer);
      if (signal !== "SIGKILL")
        reject(
          new Error(`the saver exited by itself (code ${code}, signal ${signal}):\n${stderr}`),
        );
      else resolve({ lastAck, acks });
    });
  });
}

function runLoader(options: CrashLoopOptions, config: CrashChildConfig): Promise<LoaderAnswer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.loader, JSON.stringify(config)], {
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`the loader exited with ${code}:\n${err}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").at(-1)!) as LoaderAnswer);
      } catch {
        reject(new Error(`the loader printed no answer:\n${out}\n${err}`));
      }
    });
  });
}

/** Runs `options.kills` kill-and-resume rounds and reports what held. */
export async function runCrashLoop(options: CrashLoopOptions): Promise<CrashLoopReport> {
  const random = seededRandom(options.seed);
  const report: CrashLoopReport = {
    mode: options.mode,
    kills: 0,
    loadedAcked: 0,
    loadedInFlight: 0,
    verified: 0,
    retried: [],
    failures: [],
    saves: 0,
  };
  let start = 0;
  for (let i = 0; i < options.kills; i++) {
    const base = { target: options.target, mode: options.mode, key: options.key };
    const killed = await runSaver(
      options,
      { ...base, workDir: join(options.workDir, `saver-${i}`), startGen: start },
      random() * options.maxDelayMs,
    );
    report.kills++;
    report.saves += killed.acks;
    const acked = expectedDigest(options.mode, killed.lastAck);
    const inFlight = expectedDigest(options.mode, killed.lastAck + 1);
    const where = `${options.mode} kill #${i} (seed ${options.seed}, last acknowledged generation ${killed.lastAck})`;
    let answer: LoaderAnswer | undefined;
    for (let tries = 0; tries < 3; tries++) {
      answer = await runLoader(options, {
        ...base,
        workDir: join(options.workDir, `loader-${i}-${tries}`),
        startGen: 0,
      });
      if (answer.ok) break;
      report.retried.push(`${where}: ${answer.name}: ${answer.message}`);
    }
    if (!answer!.ok)
      report.failures.push(
        `${where}: load failed three times: ${answer!.name}: ${answer!.message}`,
      );
    else if (!answer!.found) report.failures.push(`${where}: load found no checkpoint`);
    else if (answer!.digest === acked) report.loadedAcked++;
    else if (answer!.digest === inFlight) report.loadedInFlight++;
    else
      report.failures.push(
        `${where}: load returned content matching neither generation (torn or stale)`,
      );
    if (answer?.ok && answer.found && answer.verified) report.verified++;
    // The next saver continues past the generation that may have been in flight.
    start = killed.lastAck + 1;
  }
  return report;
}
