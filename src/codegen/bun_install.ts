// Runs `bun install` the way a Windmill worker's dependency job does (bun_executor.rs:
// install_bun_lockfile: `bun install --save-text-lockfile` in a directory holding the package.json
// and, when the script has one, its bun.lock), with the npm `bun` this repository pins to the
// image's version. The install cache is shared between runs so repeated installs stay offline-fast.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export class BunInstallError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BunInstallError";
  }
}

export const bunBinary = (root: string) => join(root, "node_modules", ".bin", "bun");
export const bunInstallCache = (root: string) => join(root, "node_modules", ".cache", "pvpipe-bun-install");

/** `bun install --save-text-lockfile` in `dir`; `frozen` fails instead of changing an existing bun.lock. */
export function bunInstall(root: string, dir: string, opts: { frozen?: boolean } = {}): string {
  mkdirSync(bunInstallCache(root), { recursive: true });
  const args = ["install", "--save-text-lockfile", ...(opts.frozen ? ["--frozen-lockfile"] : [])];
  const r = spawnSync(bunBinary(root), args, {
    cwd: dir,
    encoding: "utf8",
    timeout: 300_000,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir, BUN_INSTALL_CACHE_DIR: bunInstallCache(root), DO_NOT_TRACK: "1", NO_COLOR: "1" },
  });
  if (r.status !== 0) throw new BunInstallError(`bun ${args.join(" ")} in ${dir} failed (exit ${r.status}): ${(r.stderr || r.stdout || String(r.error)).slice(-2000)}`, { cause: r.error });
  return `${r.stdout}${r.stderr}`;
}
