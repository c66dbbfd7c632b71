// The embedded database's folder must be one we can create and write, checked before anything
// starts: a bad PVPIPE_DATA_DIR is one line naming it, at once (Node's recursive mkdir loops
// forever on /proc/x, which is how `PVPIPE_DATA_DIR=/proc/x` once spun at 100 % CPU).
import { mkdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { UsageError } from "../config/errors.ts";

/** The folder given cannot hold the database: choose another one. */
export class ChooseAnotherDataDir extends UsageError {
  constructor(readonly dir: string, readonly setting: string, reason: string, options?: { cause?: unknown }) {
    super(`${setting}: cannot keep the database in ${dir}: ${reason}; set ${setting} to a folder you can write`, options);
  }
}

const REASONS: Record<string, string> = {
  ENOENT: "it cannot be created there",
  ENOTDIR: "a file is in the way",
  EEXIST: "a file is in the way",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
};

/** Create `dir` (and its missing parents) one level at a time, then prove it is writable. */
export function ensureWritableDir(dir: string, setting: string): void {
  const abs = resolve(dir);
  const parts = abs.split(sep).filter(Boolean);
  let path: string = sep;
  for (const part of parts) {
    path = join(path, part);
    try {
      if (!statSync(path).isDirectory()) throw new ChooseAnotherDataDir(dir, setting, `${path} is a file, not a folder`);
      continue;
    } catch (e) {
      if (e instanceof ChooseAnotherDataDir) throw e;
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw fail(dir, setting, e);
    }
    try {
      mkdirSync(path); // never { recursive: true }: see above
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || !statSync(path).isDirectory()) throw fail(dir, setting, e);
    }
  }
  const probe = join(abs, `.pvpipe-write-test-${process.pid}`);
  try {
    writeFileSync(probe, "");
    unlinkSync(probe);
  } catch (e) {
    throw fail(dir, setting, e);
  }
}

function fail(dir: string, setting: string, e: unknown): ChooseAnotherDataDir {
  const code = (e as NodeJS.ErrnoException).code ?? "";
  return new ChooseAnotherDataDir(dir, setting, REASONS[code] ?? `${code || (e as Error).message}`, { cause: e });
}

export const parentOf = (dataDir: string) => dirname(resolve(dataDir));
