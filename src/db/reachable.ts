// As root, PostgreSQL runs as the `postgres` user: whatever it must reach (its binaries, the data
// dir) has to be traversable by others all the way up.
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

export function reachableByOthers(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}
