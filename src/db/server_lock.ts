// One pvpipe process at a time starts, joins or stops the embedded server of a data dir: a lock
// file created exclusively, holding the pid of its owner; a lock whose owner is gone is taken over.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { processAlive } from "../runs/engine_address.ts";

const lockPath = (dataDir: string) => `${dataDir}.lock`;

function tryLock(path: string): boolean {
  try {
    const fd = openSync(path, "wx", 0o600);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    const owner = Number(readSafe(path));
    // An empty file is a lock being written this very moment, or one whose writer died at once.
    const orphan = owner > 0 ? owner !== process.pid && !processAlive(owner) : ageMs(path) > 5000;
    if (orphan) {
      try {
        unlinkSync(path);
      } catch {
        /* another process took it over first */
      }
    }
    return false;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function readSafe(path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return "";
  }
}

function unlock(path: string): void {
  if (readSafe(path) === String(process.pid)) unlinkSync(path);
}

export async function withServerLock<T>(dataDir: string, fn: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const path = lockPath(dataDir);
  const deadline = Date.now() + timeoutMs;
  while (!tryLock(path)) {
    if (Date.now() > deadline) throw new Error(`the embedded database in ${dataDir} stays locked by process ${readSafe(path)} (${path})`);
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    return await fn();
  } finally {
    unlock(path);
  }
}

/** For the exit hook, where nothing asynchronous runs: a few tries, then give up (returns false). */
export function withServerLockSync(dataDir: string, fn: () => void, timeoutMs = 1000): boolean {
  const path = lockPath(dataDir);
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!tryLock(path)) {
    if (Date.now() > deadline) return false;
    Atomics.wait(pause, 0, 0, 20);
  }
  try {
    fn();
    return true;
  } finally {
    unlock(path);
  }
}
