// Who uses the embedded server: one lease file per pvpipe process (its pid), and a pin left by
// `pvpipe db start`. The last process to leave stops the server unless it is pinned. Leases of
// processes that are gone (killed) are dropped when read.
import { mkdirSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { processAlive } from "../runs/engine_address.ts";

const leaseDir = (dataDir: string) => `${dataDir}.clients`;
const PIN = "pinned";

export function addLease(dataDir: string, pid = process.pid): void {
  mkdirSync(leaseDir(dataDir), { recursive: true, mode: 0o700 });
  writeFileSync(join(leaseDir(dataDir), String(pid)), "");
}

export function removeLease(dataDir: string, pid = process.pid): void {
  rmSync(join(leaseDir(dataDir), String(pid)), { force: true });
}

/** Pids of the live pvpipe processes using the server (dead ones are forgotten). */
export function liveLeases(dataDir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(leaseDir(dataDir));
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const n of names) {
    const pid = Number(n);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (processAlive(pid)) live.push(pid);
    else rmSync(join(leaseDir(dataDir), n), { force: true });
  }
  return live;
}

export const isPinned = (dataDir: string) => existsSync(join(leaseDir(dataDir), PIN));

export function setPinned(dataDir: string, pinned: boolean): void {
  mkdirSync(leaseDir(dataDir), { recursive: true, mode: 0o700 });
  if (pinned) writeFileSync(join(leaseDir(dataDir), PIN), "");
  else rmSync(join(leaseDir(dataDir), PIN), { force: true });
}
