// Output files: where they go, whether they may be written, and how: into a temporary file in the
// same directory, renamed over the final name only once complete, so a failed or interrupted
// export leaves nothing half-written. The manifest is `<file>.manifest.json`.
import { randomBytes } from "node:crypto";
import { closeSync, constants, accessSync, existsSync, openSync, renameSync, statSync, unlinkSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ChooseWritableOutput, UseForceToReplace } from "./errors.ts";

export interface OutputPaths {
  path: string;
  manifestPath: string;
}

export const manifestPathOf = (path: string): string => `${path}.manifest.json`;

/**
 * The files an export writes: `out` (a file, or an existing directory to put `defaultName` in;
 * default: `defaultName` in `cwd`). Refuses existing files without `force` and directories that
 * do not exist or cannot be written, before anything is read or written.
 */
export function planOutput(out: string | null | undefined, defaultName: string, opts: { force: boolean; cwd: string }): OutputPaths {
  let path = resolve(opts.cwd, out || defaultName);
  if (existsSync(path) && statSync(path).isDirectory()) path = join(path, defaultName);
  const dir = dirname(path);
  let st;
  try {
    st = statSync(dir);
  } catch (e) {
    throw new ChooseWritableOutput(`cannot write ${path}: directory ${dir} does not exist`, { cause: e });
  }
  if (!st.isDirectory()) throw new ChooseWritableOutput(`cannot write ${path}: ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new ChooseWritableOutput(`cannot write ${path}: no permission to write in ${dir}`, { cause: e });
  }
  const manifestPath = manifestPathOf(path);
  for (const p of [path, manifestPath]) {
    if (!existsSync(p)) continue;
    if (statSync(p).isDirectory()) throw new ChooseWritableOutput(`cannot write ${p}: it is a directory`);
    if (!opts.force) throw new UseForceToReplace(`${p} exists: give --force to replace it, or another --out`);
  }
  return { path, manifestPath };
}

/** Temporary files not yet committed or discarded: removed by discardTempFiles (e.g. on a forced exit). */
const live = new Set<TempFile>();

export function discardTempFiles(): void {
  for (const f of [...live]) f.discard();
}

/** A file written under a temporary name beside its final one. */
export class TempFile {
  readonly tmp: string;
  fd: number | null;

  constructor(readonly final: string) {
    this.tmp = join(dirname(final), `.${basename(final)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    try {
      this.fd = openSync(this.tmp, "wx", 0o644);
      live.add(this);
    } catch (e) {
      throw new ChooseWritableOutput(`cannot write ${final}: ${(e as Error).message}`, { cause: e });
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Move the complete file to its final name (replacing one that is there). */
  commit(): void {
    this.close();
    renameSync(this.tmp, this.final);
    live.delete(this);
  }

  /** Remove the temporary file (after a failure). */
  discard(): void {
    live.delete(this);
    try {
      this.close();
    } catch {
      // already closed
    }
    try {
      unlinkSync(this.tmp);
    } catch {
      // never created, or already gone
    }
  }
}
